import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum

from funding.budget_models import BudgetLine, BudgetLineQuerySet, BudgetLineRevision  # noqa: F401
from funding.enums import (
    ApplicationStatus,
    CommitmentKind,
    DocumentKind,
    FinancingSide,
    PaymentConditions,
    PaymentKind,
    StateAidRegime,
)


class SupportSchemeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_on(self, day):
        """Schemes an actor can apply to on `day`."""
        return self.published().filter(opens_on__lte=day).filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day))

    def eligible_for(self, actor):
        """Schemes whose legal forms include the actor's and whose filières (if any) meet the actor's (if any)."""
        # A JSON list of codes; the quoted code as text works alike on PostgreSQL and SQLite.
        schemes = self.filter(Q(eligible_legal_forms=[]) | Q(eligible_legal_forms__icontains=f'"{actor.legal_form}"'))
        actor_filieres = list(actor.filieres.values_list("pk", flat=True))
        if actor_filieres:
            links = SupportScheme.filieres.through.objects.values("supportscheme_id")
            schemes = schemes.filter(
                ~Q(pk__in=links) | Q(pk__in=links.filter(filiere_id__in=actor_filieres)),
            )
        return schemes


class SupportScheme(models.Model):
    """A dispositif: what ESS actors can apply to, drawing on one budget line."""

    title = models.CharField("intitulé", max_length=200)
    slug = models.SlugField("identifiant", max_length=200, unique=True)
    description = models.TextField("présentation")
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="schemes", verbose_name="ligne budgétaire"
    )
    filieres = models.ManyToManyField(
        "filieres.Filiere",
        blank=True,
        related_name="schemes",
        verbose_name="filières éligibles",
        help_text="Aucune : toutes les filières.",
    )
    eligible_legal_forms = models.JSONField(
        "formes juridiques éligibles", default=list, blank=True, help_text="Vide : toutes les formes de l’ESS."
    )
    state_aid_regime = models.CharField(
        "régime d’aide d’État", max_length=20, choices=StateAidRegime.choices, default=StateAidRegime.DE_MINIMIS
    )
    opens_on = models.DateField("ouverture le")
    closes_on = models.DateField("clôture le", null=True, blank=True)
    ceiling_amount = models.DecimalField(
        "plafond par demande (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    required_documents = models.JSONField(
        "pièces obligatoires", default=list, blank=True, help_text="Types de pièces (voir DocumentKind)."
    )
    plan_action = models.ForeignKey(
        "programme.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schemes",
        verbose_name="action du plan",
    )
    is_published = models.BooleanField("publié", default=False)

    objects = SupportSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "dispositif de soutien"
        verbose_name_plural = "dispositifs de soutien"
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(ceiling_amount__gt=0), name="scheme_ceiling_positive"),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opens_on")),
                name="scheme_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    def is_open_on(self, day) -> bool:
        return self.is_published and self.opens_on <= day and (self.closes_on is None or self.closes_on >= day)

    def accepts(self, actor) -> bool:
        return SupportScheme.objects.filter(pk=self.pk).eligible_for(actor).exists()

    @property
    def de_minimis_ceiling(self) -> Decimal | None:
        """The 3-year ceiling of the scheme's regime, None when no de minimis ceiling applies."""
        return {
            StateAidRegime.DE_MINIMIS: Decimal("300000.00"),
            StateAidRegime.SIEG_DE_MINIMIS: Decimal("750000.00"),
        }.get(self.state_aid_regime)


class CouncilSession(models.Model):
    """A sitting of the metropolitan council (or of its permanent commission) that decides grants."""

    title = models.CharField("intitulé", max_length=200)
    sits_on = models.DateField("date de la séance", unique=True)

    class Meta:
        verbose_name = "séance du conseil"
        verbose_name_plural = "séances du conseil"
        ordering = ["-sits_on"]

    def __str__(self):
        return f"{self.title} du {self.sits_on:%d/%m/%Y}"


class ApplicationQuerySet(models.QuerySet):
    def of_user(self, user):
        """Applications of the structures the user acts for."""
        return self.filter(actor__memberships__user=user, actor__memberships__is_active=True)

    def awaiting_instruction(self):
        return self.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW])


class Application(models.Model):
    """A grant application (dossier) of an ESS structure to a support scheme."""

    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, related_name="applications", verbose_name="structure"
    )
    scheme = models.ForeignKey(
        SupportScheme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="dispositif",
    )
    title = models.CharField("intitulé du projet", max_length=200)
    summary = models.TextField("résumé du projet", blank=True)
    filiere = models.ForeignKey(
        "filieres.Filiere",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="filière",
    )
    segment = models.ForeignKey(
        "filieres.Segment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="segment",
    )
    communes = models.ManyToManyField(
        "actors.Commune", blank=True, related_name="applications", verbose_name="communes concernées"
    )
    plan_action = models.ForeignKey(
        "programme.Action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="action du plan",
    )
    starts_on = models.DateField("début du projet", null=True, blank=True)
    ends_on = models.DateField("fin du projet", null=True, blank=True)
    requested_amount = models.DecimalField(
        "montant demandé (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(
        "état", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instructed_applications",
        verbose_name="instructeur",
    )
    opinion = models.TextField("avis de l’instructeur", blank=True)
    proposed_amount = models.DecimalField(
        "montant proposé (€)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    council_session = models.ForeignKey(
        CouncilSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="séance du conseil",
    )
    de_minimis_justification = models.TextField(
        "justification du dépassement du plafond de minimis",
        blank=True,
        help_text="Obligatoire pour accorder une aide qui porte le cumul au-delà du plafond du régime.",
    )
    payment_conditions = models.CharField(
        "modalités de versement", max_length=20, choices=PaymentConditions.choices, default=PaymentConditions.SINGLE
    )
    agreement_signed_on = models.DateField("convention signée le", null=True, blank=True)
    open_data_published_on = models.DateField("publiée en données ouvertes le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    submitted_at = models.DateTimeField("déposé le", null=True, blank=True)
    closed_at = models.DateTimeField("clôturé le", null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de subvention"
        verbose_name_plural = "demandes de subvention"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-submitted_at"], name="application_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(requested_amount__gte=0), name="application_requested_amount_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="application_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def financing_totals(self) -> dict:
        """The financing plan: the Métropole's part is the requested amount, never stored as a FinancingLine.

        Resource lines are the other funders (co-financers, own funds); the plan balances when
        expenses == resources + requested amount.
        """
        totals = self.financing_lines.totals()
        totals["requested"] = self.requested_amount or Decimal("0.00")
        totals["all_resources"] = totals["resources"] + totals["requested"]
        totals["gap"] = totals["expenses"] - totals["all_resources"]
        totals["is_balanced"] = totals["expenses"] > 0 and totals["gap"] == 0
        return totals

    def available_documents(self, day):
        """Documents that count for this application: its own, and the valid ones of the structure's vault."""
        return Document.objects.filter(
            Q(application=self) | Q(pk__in=Document.objects.vault().valid_on(day).filter(actor_id=self.actor_id))
        )

    def missing_document_kinds(self, day) -> list[str]:
        """Required kinds of the scheme that no available document provides."""
        required = list(self.scheme.required_documents) if self.scheme_id else []
        provided = set(self.available_documents(day).filter(kind__in=required).values_list("kind", flat=True))
        return [kind for kind in required if kind not in provided]


class ApplicationTransition(models.Model):
    """One step of an application's life: who moved it, when, from which state to which, and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions", verbose_name="demande"
    )
    from_status = models.CharField("état de départ", max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField("nouvel état", max_length=20, choices=ApplicationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )
    at = models.DateTimeField("le", auto_now_add=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "étape de la demande"
        verbose_name_plural = "étapes de la demande"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application} : {self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class FinancingLineQuerySet(models.QuerySet):
    def totals(self) -> dict:
        """Expenses and resources (co-financers, own funds) summed in SQL."""
        zero = Decimal("0.00")
        return self.aggregate(
            expenses=Sum("amount", filter=Q(side=FinancingSide.EXPENSE), default=zero),
            resources=Sum("amount", filter=Q(side=FinancingSide.RESOURCE), default=zero),
        )


class FinancingLine(models.Model):
    """A line of the financing plan: an expense, or a resource (own funds, co-financers, the Métropole)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="financing_lines", verbose_name="demande"
    )
    side = models.CharField("nature", max_length=10, choices=FinancingSide.choices)
    label = models.CharField("libellé", max_length=200)
    amount = models.DecimalField(
        "montant (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    partner = models.ForeignKey(
        "quadripartite.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financing_lines",
        verbose_name="cofinanceur partenaire",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    objects = FinancingLineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne du plan de financement"
        verbose_name_plural = "lignes du plan de financement"
        ordering = ["side", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="financing_line_amount_positive")]

    def __str__(self):
        return f"{self.get_side_display()} – {self.label}"


class DeclaredAid(models.Model):
    """An aid the structure declares having received from another funder (for the de minimis sum)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="declared_aids", verbose_name="demande"
    )
    funder = models.CharField("financeur", max_length=200)
    amount = models.DecimalField(
        "montant (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    granted_on = models.DateField("date d’attribution")
    regime = models.CharField(
        "régime", max_length=20, choices=StateAidRegime.choices, default=StateAidRegime.DE_MINIMIS
    )

    class Meta:
        verbose_name = "aide déclarée"
        verbose_name_plural = "aides déclarées"
        ordering = ["-granted_on"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="declared_aid_amount_positive")]

    def __str__(self):
        return f"{self.funder} – {self.amount} €"


def document_upload_path(document, filename):
    # Private storage (MEDIA_ROOT, never served as static): a random name, the original is kept in the row.
    return f"documents/{document.actor_id}/{uuid.uuid4().hex}"


class DocumentQuerySet(models.QuerySet):
    def vault(self):
        """The structure's own documents (statuts, RIB, accounts…), reused by its next applications."""
        return self.filter(application__isnull=True)

    def valid_on(self, day):
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))

    def visible_to(self, user):
        """Staff see every document; members those of their structures only.

        Elected officials read the dossiers but not their pieces (statuts, RIB, accounts hold personal and bank data).
        """
        from funding.permissions import can_instruct

        if can_instruct(user):
            return self
        return self.filter(actor__memberships__user=user, actor__memberships__is_active=True)


class Document(models.Model):
    """An uploaded file: in the structure's vault (no application) or attached to one application."""

    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.CASCADE, related_name="documents", verbose_name="structure"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="documents", verbose_name="demande"
    )
    kind = models.CharField("type de pièce", max_length=30, choices=DocumentKind.choices)
    file = models.FileField("fichier", upload_to=document_upload_path, max_length=255)
    original_name = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField("type de contenu", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    valid_until = models.DateField("valable jusqu’au", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="déposé par"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "pièce justificative"
        verbose_name_plural = "pièces justificatives"
        ordering = ["kind", "-uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.original_name}"


class InformationRequest(models.Model):
    """Staff ask the applicant for more information; the applicant answers (message and documents)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="information_requests", verbose_name="demande"
    )
    message = models.TextField("demande de compléments")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="demandée par"
    )
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    answer = models.TextField("réponse", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réponse de",
    )
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)

    class Meta:
        verbose_name = "demande de compléments"
        verbose_name_plural = "demandes de compléments"
        ordering = ["requested_at"]

    def __str__(self):
        return f"Compléments demandés le {self.requested_at:%d/%m/%Y} – {self.application}"


class InternalNote(models.Model):
    """A note of the instruction, never shown to the applicant."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="internal_notes", verbose_name="demande"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="auteur"
    )
    text = models.TextField("note")
    created_at = models.DateTimeField("écrite le", auto_now_add=True)

    class Meta:
        verbose_name = "note interne"
        verbose_name_plural = "notes internes"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Note du {self.created_at:%d/%m/%Y} – {self.application}"


class Decision(models.Model):
    """The council's decision on an application: a deliberation granting an amount, or a refusal."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision", verbose_name="demande"
    )
    council_session = models.ForeignKey(
        CouncilSession, on_delete=models.PROTECT, related_name="decisions", verbose_name="séance du conseil"
    )
    deliberation_number = models.CharField("numéro de délibération", max_length=50)
    decided_on = models.DateField("date de la décision")
    is_approved = models.BooleanField("accordée")
    granted_amount = models.DecimalField(
        "montant accordé (€)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    refusal_reason = models.TextField("motif du refus", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisie par"
    )

    class Meta:
        verbose_name = "décision"
        verbose_name_plural = "décisions"
        ordering = ["-decided_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(is_approved=True) & Q(granted_amount__gt=0))
                | (Q(is_approved=False) & Q(granted_amount__isnull=True) & ~Q(refusal_reason="")),
                name="decision_amount_or_refusal_reason",
            ),
        ]

    def __str__(self):
        return f"Délibération {self.deliberation_number} – {self.application}"


class CommitmentQuerySet(models.QuerySet):
    def spending(self):
        """Commitments that are not grants: SCIC shares, foncière capital, memberships, studies and services."""
        return self.exclude(kind=CommitmentKind.GRANT)

    def grants(self):
        """Commitments of granted aids (each with its application): what the aid figures count."""
        return self.filter(kind=CommitmentKind.GRANT)

    def for_year(self, year: int):
        return self.filter(budget_line__year=year)


class Commitment(models.Model):
    """A budget commitment (engagement) on a budget line: a granted aid (with its application) or another
    spending (SCIC shares, foncière capitalisation, membership, study or service) with its beneficiary."""

    kind = models.CharField("nature", max_length=20, choices=CommitmentKind.choices, default=CommitmentKind.GRANT)
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitment",
        verbose_name="demande",
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="commitments", verbose_name="ligne budgétaire"
    )
    label = models.CharField("objet de la dépense", max_length=200, blank=True)
    beneficiary = models.ForeignKey(
        "actors.Actor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spending_commitments",
        verbose_name="bénéficiaire (structure du répertoire)",
    )
    beneficiary_name = models.CharField(
        "bénéficiaire (hors répertoire)", max_length=200, blank=True, help_text="Fournisseur absent du répertoire."
    )
    deliberation_number = models.CharField("numéro de délibération", max_length=50, blank=True)
    deliberation_on = models.DateField("date de la délibération", null=True, blank=True)
    amount = models.DecimalField("montant engagé (€)", max_digits=12, decimal_places=2)
    paid_amount = models.DecimalField("montant versé (€)", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    legal_commitment_number = models.CharField("numéro d’engagement juridique (EJ)", max_length=30, blank=True)
    idempotency_key = models.CharField("clé d’idempotence", max_length=100, unique=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="engagé par"
    )
    committed_at = models.DateTimeField("engagé le", auto_now_add=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = "engagement"
        verbose_name_plural = "engagements"
        ordering = ["-committed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=F("amount")), name="commitment_paid_within_amount"
            ),
            # A grant is the commitment of an application; any other spending has none, but an object.
            models.CheckConstraint(
                condition=(Q(kind=CommitmentKind.GRANT) & Q(application__isnull=False))
                | (~Q(kind=CommitmentKind.GRANT) & Q(application__isnull=True) & ~Q(label="")),
                name="commitment_grant_has_application_others_a_label",
            ),
            # Who receives a spending: an actor of the registry or, for a supplier outside it, a name.
            models.CheckConstraint(
                condition=Q(kind=CommitmentKind.GRANT) | Q(beneficiary__isnull=False) | ~Q(beneficiary_name=""),
                name="commitment_spending_has_beneficiary",
            ),
        ]

    def __str__(self):
        number = self.legal_commitment_number or self.pk
        if self.kind == CommitmentKind.GRANT:
            return f"Engagement {number} – {self.application}"
        return f"Engagement {number} – {self.get_kind_display()} : {self.label}"

    @property
    def beneficiary_label(self) -> str:
        """The beneficiary's name: the registry actor, the supplier's name, or the applying structure of a grant."""
        if self.beneficiary_id is not None:
            return self.beneficiary.name
        if self.beneficiary_name:
            return self.beneficiary_name
        return self.application.actor.name if self.application_id else ""

    @property
    def remaining_to_pay(self) -> Decimal:
        return self.amount - self.paid_amount


class Payment(models.Model):
    """A scheduled or made payment (versement) of a commitment: advance, balance or single payment."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="payments", verbose_name="engagement"
    )
    kind = models.CharField("nature", max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    due_on = models.DateField("échéance", null=True, blank=True)
    paid_on = models.DateField("versé le", null=True, blank=True)
    payment_order_number = models.CharField("numéro de mandat", max_length=30, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )
    recorded_at = models.DateTimeField("enregistré le", null=True, blank=True)
    idempotency_key = models.CharField("clé d’idempotence", max_length=100, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "versement"
        verbose_name_plural = "versements"
        ordering = ["due_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.amount} €"


from funding.cofinancing_models import CoFinancing, CoFinancingQuerySet  # noqa: E402, F401
