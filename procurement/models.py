"""ASR (« achats socialement responsables ») referencing of ESS actors for public buyers."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actors.enums import AgrementKind, LegalForm
from actors.models import Actor, Agrement, normalize_search_text
from ess_portal.formatting import format_number
from procurement.enums import (
    ExportFormat,
    ListingStatus,
    ReservedArticle,
    RevenueBand,
    SiretMatch,
    SourcingAnswer,
    SourcingStatus,
)
from procurement.permissions import can_manage_contracts

# A listing nobody verified for this long is no longer shown to buyers.
LISTING_VALIDITY = timedelta(days=365)
# The structure is reminded to have its listing verified again this long before it expires.
RENEWAL_NOTICE = timedelta(days=30)

ESS_LEGAL_FORMS = frozenset(LegalForm.values)


def reserved_articles(legal_form: str, agrement_kinds) -> list[str]:
    """Articles of the Code de la commande publique under which a structure may win a reserved contract.

    - art. L2113-12: contracts reserved to entreprises adaptées (EA) and ESAT;
    - art. L2113-13: contracts reserved to structures d’insertion par l’activité économique (SIAE);
    - art. L2113-15: certain health, social and cultural services reserved to ESS companies (an ESS legal
      form under art. 1 of the loi du 31 juillet 2014, or the ESUS agrément).

    `agrement_kinds` are the kinds of the agréments in force (see `Agrement.objects.valid_on`).
    """
    kinds = set(agrement_kinds)
    articles = []
    if kinds & {AgrementKind.EA, AgrementKind.ESAT}:
        articles.append(ReservedArticle.L2113_12.value)
    if AgrementKind.SIAE in kinds:
        articles.append(ReservedArticle.L2113_13.value)
    if legal_form in ESS_LEGAL_FORMS or AgrementKind.ESUS in kinds:
        articles.append(ReservedArticle.L2113_15.value)
    return articles


def significant_cpv_digits(text: str) -> str:
    """« 90910000-9 », « 90910000 » or « 9091 » → « 9091 », the form in which `CpvCode.code` is stored, so that a
    prefix finds the sub-codes; « » when the text holds no digit. A division keeps two digits (« 03000000 » → « 03 »).
    """
    digits = re.sub(r"\D", "", text.split("-")[0])[:8].rstrip("0")
    return digits.ljust(2, "0") if digits else ""


def cpv_display_code(code: str) -> str:
    """« 9051 » → « 90510000 » (the 8-digit CPV code without its check digit)."""
    return code.ljust(8, "0")


class CpvCode(models.Model):
    """A code of the Common Procurement Vocabulary (division, group, class or category).

    `code` holds only the significant digits (« 45 », « 9051 »), so that a prefix search finds sub-codes.
    """

    code = models.CharField("code CPV", max_length=8, unique=True)
    label = models.CharField("libellé", max_length=300)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="parent"
    )

    class Meta:
        verbose_name = "code CPV"
        verbose_name_plural = "codes CPV"
        ordering = ["code"]

    def __str__(self):
        return f"{self.full_code} {self.label}"

    @property
    def full_code(self) -> str:
        return cpv_display_code(self.code)


def matching_cpv_codes(text: str) -> list[CpvCode]:
    """The CPV codes whose label holds every word of `text` (accents and case ignored), or, when `text` is a
    number, whose code starts with its significant digits; in code order.

    The labels are compared in Python: a few thousand short rows, read in one query, and the same accent folding
    on SQLite and PostgreSQL.
    """
    if any(char.isdigit() for char in text) and not any(char.isalpha() for char in text):
        return list(CpvCode.objects.filter(code__startswith=significant_cpv_digits(text)).order_by("code"))
    words = normalize_search_text(text).split()
    return [
        code
        for code in CpvCode.objects.order_by("code")
        if all(word in normalize_search_text(code.label) for word in words)
    ]


class AsrListingQuerySet(models.QuerySet):
    def published(self, today: date):
        """Listings buyers see: published, of an active actor, and verified within the last 12 months."""
        return self.filter(
            status=ListingStatus.PUBLISHED,
            actor__is_archived=False,
            last_verified_on__gte=today - LISTING_VALIDITY,
        )

    def expiring_soon(self, today: date):
        """Published listings buyers still see that expire within `RENEWAL_NOTICE` (to be verified again)."""
        return self.published(today).filter(last_verified_on__lte=today - LISTING_VALIDITY + RENEWAL_NOTICE)

    def due_for_renewal_reminder(self, today: date):
        """Listings expiring soon whose structure was not reminded since their last verification."""
        return self.expiring_soon(today).filter(
            # Reminded on the day it was verified again counts as « before »: a new cycle.
            Q(renewal_reminded_on__isnull=True) | Q(renewal_reminded_on__lte=models.F("last_verified_on"))
        )

    def stale(self, today: date):
        """Published listings not verified for 12 months (to be marked expired)."""
        return self.filter(status=ListingStatus.PUBLISHED).filter(
            Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=today - LISTING_VALIDITY)
        )

    def search(self, text: str):
        """Every word must appear in the offers, the CPV codes and labels, or the actor's name and SIRET."""
        queryset = self
        for word in normalize_search_text(text).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def eligibility_counts(self, today: date) -> dict:
        """How many listings, and how many eligible to each reserved article today, in one query:
        {"total": n, "L2113-12": n, "L2113-13": n, "L2113-15": n}."""
        counts = {"total": models.Count("pk")}
        for article in ReservedArticle.values:
            counts[article] = models.Count("pk", filter=eligible_to_article(article, today))
        return self.aggregate(**counts)

    def with_card_data(self, today: date):
        return self.select_related("actor__commune").prefetch_related(
            "cpv_codes",
            "communes",
            "actor__filieres",
            models.Prefetch(
                "actor__agrements", queryset=Agrement.objects.valid_on(today), to_attr="agrements_in_force"
            ),
        )


class AsrListing(models.Model):
    """The ASR listing of one actor: what it offers to public buyers, where, with which capacity."""

    actor = models.OneToOneField(
        "actors.Actor", on_delete=models.CASCADE, related_name="asr_listing", verbose_name="structure"
    )
    offers = models.TextField(
        "offre de produits et services", help_text="En mots simples : ce que la structure peut fournir."
    )
    cpv_codes = models.ManyToManyField(CpvCode, blank=True, related_name="listings", verbose_name="codes CPV")
    serves_whole_metropole = models.BooleanField("intervient sur toute la métropole", default=False)
    communes = models.ManyToManyField(
        "actors.Commune", blank=True, related_name="asr_listings", verbose_name="communes desservies"
    )
    revenue_band = models.CharField(
        "chiffre d’affaires annuel", max_length=10, choices=RevenueBand.choices, blank=True
    )
    public_contract_references = models.TextField(
        "références de marchés publics", blank=True, help_text="Marchés passés : acheteur, objet, année."
    )
    status = models.CharField("état", max_length=10, choices=ListingStatus.choices, default=ListingStatus.DRAFT)
    last_verified_on = models.DateField("dernière vérification", null=True, blank=True)
    renewal_reminded_on = models.DateField(
        "rappel de renouvellement envoyé le",
        null=True,
        blank=True,
        editable=False,
        help_text="Rappel envoyé à la structure un mois avant l’expiration du référencement.",
    )
    review_comment = models.TextField("commentaire du service ESS", blank=True)
    search_text = models.TextField("texte de recherche", blank=True, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = AsrListingQuerySet.as_manager()

    class Meta:
        verbose_name = "référencement ASR"
        verbose_name_plural = "référencements ASR"
        ordering = ["actor__name"]
        indexes = [models.Index(fields=["status", "last_verified_on"], name="asr_status_verified_idx")]

    def __str__(self):
        return f"Référencement ASR – {self.actor}"

    def refresh_search_text(self) -> None:
        """Rebuild the search column from the offers, the actor and the CPV codes (call after setting codes)."""
        cpv = " ".join(f"{c.code} {c.full_code} {c.label}" for c in self.cpv_codes.all())
        self.search_text = normalize_search_text(f"{self.actor.name} {self.actor.siret} {self.offers} {cpv}")

    @property
    def expires_on(self) -> date | None:
        """The last day buyers see the listing, unless it is verified again."""
        return self.last_verified_on + LISTING_VALIDITY if self.last_verified_on else None

    def is_visible_to_buyers(self, today: date) -> bool:
        return (
            self.status == ListingStatus.PUBLISHED
            and self.last_verified_on is not None
            and self.last_verified_on >= today - LISTING_VALIDITY
        )

    def reserved_articles(self, today: date | None = None) -> list[str]:
        agrements = getattr(self.actor, "agrements_in_force", None)
        if agrements is None:
            agrements = Agrement.objects.valid_on(today or timezone.localdate()).filter(actor=self.actor)
        return reserved_articles(self.actor.legal_form, [a.kind for a in agrements])


class ExportLog(models.Model):
    """One export of the buyer directory: who, when, which filters, how many rows, which format."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )
    created_at = models.DateTimeField("le", auto_now_add=True)
    filters = models.JSONField("filtres", default=dict, blank=True)
    columns = models.JSONField("colonnes", default=list, blank=True)
    row_count = models.PositiveIntegerField("lignes")
    file_format = models.CharField("format", max_length=5, choices=ExportFormat.choices)

    class Meta:
        verbose_name = "export de l’annuaire ASR"
        verbose_name_plural = "exports de l’annuaire ASR"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Export {self.get_file_format_display()} du {self.created_at:%d/%m/%Y} ({self.row_count} lignes)"

    @property
    def includes_contacts(self) -> bool:
        """Whether the file held the contacts who agreed to be shown to buyers (personal data)."""
        return "contact" in self.columns


class ConsultationListQuerySet(models.QuerySet):
    def owned_by(self, user):
        """Lists the user may edit, share and delete."""
        return self.filter(owner=user)

    def visible_to(self, user):
        """Lists the user owns or a colleague shared with them (they see and export them)."""
        return self.filter(Q(owner=user) | Q(pk__in=user.shared_consultation_lists.values("pk")))

    def with_entry_count(self):
        return self.annotate(entry_count=models.Count("entries", distinct=True))


class ConsultationList(models.Model):
    """A buyer's named selection of suppliers (usually a tender being prepared), with notes, shareable."""

    name = models.CharField("nom", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultation_lists",
        verbose_name="propriétaire",
    )
    notes = models.TextField("notes", blank=True)
    listings = models.ManyToManyField(
        AsrListing, through="ConsultationEntry", related_name="consultation_lists", verbose_name="fournisseurs"
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_consultation_lists",
        verbose_name="partagée avec",
        help_text="Collègues des achats ou du service ESS : ils la consultent et l’exportent.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ConsultationListQuerySet.as_manager()

    class Meta:
        verbose_name = "liste de consultation"
        verbose_name_plural = "listes de consultation"
        ordering = ["-updated_at", "pk"]

    def __str__(self):
        return self.name

    def add_listing(self, listing: AsrListing) -> bool:
        """Add a supplier; False when it was already in the list."""
        _, created = ConsultationEntry.objects.get_or_create(consultation_list=self, listing=listing)
        if created:
            self.save(update_fields=["updated_at"])
        return created

    def published_listings(self, today: date):
        """The list's suppliers buyers may still see today (what an export of the list holds)."""
        return AsrListing.objects.published(today).filter(consultation_entries__consultation_list=self)


class ConsultationEntry(models.Model):
    """One supplier of a consultation list, with the buyer's note about it."""

    consultation_list = models.ForeignKey(
        ConsultationList, on_delete=models.CASCADE, related_name="entries", verbose_name="liste"
    )
    listing = models.ForeignKey(
        AsrListing, on_delete=models.CASCADE, related_name="consultation_entries", verbose_name="fournisseur"
    )
    note = models.TextField("note", blank=True)
    added_at = models.DateTimeField("ajouté le", auto_now_add=True)

    class Meta:
        verbose_name = "fournisseur d’une liste de consultation"
        verbose_name_plural = "fournisseurs des listes de consultation"
        ordering = ["listing__actor__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["consultation_list", "listing"], name="consultation_entry_unique")
        ]

    def __str__(self):
        return f"{self.listing.actor} – {self.consultation_list}"


# --- Sourcing requests: a buyer describes a need, matching published suppliers are notified and answer ---


def cpv_prefix_condition(codes, *, lookup: str = "code") -> Q:
    """CPV codes sharing a prefix with one of `codes`, in either direction.

    A supplier listed under division « 90 » answers a need coded « 9051 » (its code is a prefix of the need's),
    and a supplier listed under « 90511 » answers a need coded « 90 » (the need's code is a prefix of its own).
    """
    condition = Q()
    for code in codes:
        prefixes = [code[:length] for length in range(2, len(code) + 1)]
        condition |= Q(**{f"{lookup}__startswith": code}) | Q(**{f"{lookup}__in": prefixes})
    return condition


def eligible_to_article(article: str, today: date) -> Q:
    """Listings whose structure may win a contract reserved under `article` today, in SQL.

    `reserved_articles` grants an article for the legal form or for one agrément in force, each on its own; the
    legal forms and agrément kinds that give `article` are read from it, so the rule stays in one place.
    """
    legal_forms = [form for form in LegalForm.values if article in reserved_articles(form, [])]
    kinds = [kind for kind in AgrementKind.values if article in reserved_articles("", [kind])]
    # `IN (the few structures holding such an agrément)` rather than a correlated EXISTS: the same plan in a WHERE
    # clause, and in a COUNT … FILTER (the buyers' home page) one hashed set instead of a lookup per listing.
    in_force = Agrement.objects.valid_on(today).filter(kind__in=kinds).values("actor_id")
    return Q(actor__legal_form__in=legal_forms) | Q(actor_id__in=in_force)


class SourcingRequestQuerySet(models.QuerySet):
    def of_buyer(self, user):
        """The requests a buyer wrote (only they see, send and close them)."""
        return self.filter(buyer=user)

    def sent(self):
        return self.filter(sent_at__isnull=False)

    def with_answer_counts(self):
        """Recipients, views, answers and « interested » answers, counted in SQL."""
        return self.annotate(
            recipient_count=models.Count("recipients", distinct=True),
            viewed_count=models.Count("recipients", filter=Q(recipients__viewed_at__isnull=False), distinct=True),
            answer_count=models.Count("recipients", filter=~Q(recipients__answer=""), distinct=True),
            interested_count=models.Count(
                "recipients", filter=Q(recipients__answer=SourcingAnswer.INTERESTED), distinct=True
            ),
        )


class SourcingRecipientQuerySet(models.QuerySet):
    def of_user(self, user):
        """Requests sent to the structures the user acts for (an active membership of an active structure)."""
        return self.filter(
            request__sent_at__isnull=False,
            listing__actor__in=Actor.objects.of_user(user).active().values("pk"),
        )

    def interested(self):
        return self.filter(answer=SourcingAnswer.INTERESTED)

    def to_notify(self):
        return self.filter(notified_at__isnull=True)


class SourcingRequest(models.Model):
    """A buyer's need sent to the matching published suppliers before a tender (« sourcing »)."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sourcing_requests", verbose_name="acheteur"
    )
    title = models.CharField("objet du besoin", max_length=250)
    description = models.TextField("description du besoin")
    buying_direction = models.CharField("direction acheteuse", max_length=200, blank=True)
    cpv_codes = models.ManyToManyField(CpvCode, blank=True, related_name="sourcing_requests", verbose_name="codes CPV")
    communes = models.ManyToManyField(
        "actors.Commune",
        blank=True,
        related_name="sourcing_requests",
        verbose_name="communes d’exécution",
        help_text="Vide : toute la métropole.",
    )
    reserved_article = models.CharField(
        "marché réservé",
        max_length=10,
        choices=ReservedArticle.choices,
        blank=True,
        help_text="Vide : marché non réservé.",
    )
    answer_by = models.DateField("réponses attendues avant le")
    status = models.CharField("état", max_length=10, choices=SourcingStatus.choices, default=SourcingStatus.OPEN)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)

    objects = SourcingRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de sourcing"
        verbose_name_plural = "demandes de sourcing"
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    def close(self) -> None:
        """The buyer stops collecting answers (before or after the deadline)."""
        if self.status == SourcingStatus.CLOSED:
            raise ValidationError("Cette demande est déjà close.")
        self.status = SourcingStatus.CLOSED
        self.save(update_fields=["status"])

    def accepts_answers(self, today: date) -> bool:
        """Suppliers answer (or change their answer) until the deadline, unless the buyer closed it first."""
        return self.is_sent and self.status == SourcingStatus.OPEN and today <= self.answer_by

    def matching_listings(self, today: date):
        """The published listings (verified within 12 months) this need is sent to.

        - CPV: a listing code and a requested code share a prefix, in either direction (no code: any listing);
        - communes: the listing serves the whole métropole or one of the communes (no commune: any listing);
        - reserved contract: the structure is eligible to the article today (legal form, agréments in force).
        """
        listings = AsrListing.objects.published(today)
        codes = list(self.cpv_codes.values_list("code", flat=True))
        if codes:
            through = AsrListing.cpv_codes.through.objects.filter(
                cpv_prefix_condition(codes, lookup="cpvcode__code"), asrlisting=OuterRef("pk")
            )
            listings = listings.filter(Exists(through))
        commune_ids = list(self.communes.values_list("pk", flat=True))
        if commune_ids:
            through = AsrListing.communes.through.objects.filter(asrlisting=OuterRef("pk"), commune_id__in=commune_ids)
            listings = listings.filter(Q(serves_whole_metropole=True) | Exists(through))
        if self.reserved_article:
            listings = listings.filter(eligible_to_article(self.reserved_article, today))
        return listings


class SourcingRecipient(models.Model):
    """One supplier a sourcing request was sent to, and what it did with it."""

    request = models.ForeignKey(
        SourcingRequest, on_delete=models.CASCADE, related_name="recipients", verbose_name="demande"
    )
    listing = models.ForeignKey(
        AsrListing, on_delete=models.CASCADE, related_name="sourcing_recipients", verbose_name="fournisseur"
    )
    notified_at = models.DateTimeField("prévenu le", null=True, blank=True)
    viewed_at = models.DateTimeField("consultée le", null=True, blank=True)
    answer = models.CharField("réponse", max_length=15, choices=SourcingAnswer.choices, blank=True)
    answer_message = models.TextField("message du fournisseur", blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="répondu par",
    )

    objects = SourcingRecipientQuerySet.as_manager()

    class Meta:
        verbose_name = "fournisseur sollicité"
        verbose_name_plural = "fournisseurs sollicités"
        ordering = ["listing__actor__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "listing"], name="sourcing_recipient_unique")]

    def __str__(self):
        return f"{self.listing.actor} – {self.request}"

    def mark_viewed(self) -> bool:
        """Record the first time a member of the structure opened the request; later views change nothing."""
        now = timezone.now()
        if SourcingRecipient.objects.filter(pk=self.pk, viewed_at__isnull=True).update(viewed_at=now):
            self.viewed_at = now
            return True
        return False

    def record_answer(self, *, answer: str, message: str, by, today: date) -> None:
        """The structure's answer; it may change it until the deadline or the closing of the request."""
        if not self.request.accepts_answers(today):
            raise ValidationError(
                "Cette demande n’accepte plus de réponse : la date limite est passée ou l’acheteur l’a close."
            )
        if answer not in SourcingAnswer.values:
            raise ValidationError({"answer": "Indiquez si votre structure est intéressée ou non."})
        self.answer = answer
        self.answer_message = message
        self.answered_at = timezone.now()
        self.answered_by = by
        self.viewed_at = self.viewed_at or self.answered_at
        self.save(update_fields=["answer", "answer_message", "answered_at", "answered_by", "viewed_at"])


# --- Share of spend: the purchases of a year, imported, matched against the registry ---


class PurchaseImportQuerySet(models.QuerySet):
    def current(self):
        """The import in force of each year (the last one of a year replaces the previous ones)."""
        return self.filter(is_current=True)

    def with_people(self):
        return self.select_related("imported_by")


class PurchaseQuerySet(models.QuerySet):
    def of_year(self, year: int):
        """The purchases of the import in force for `year`."""
        return self.filter(purchase_import__year=year, purchase_import__is_current=True)

    def ess(self):
        return self.filter(siret_match=SiretMatch.MATCHED)

    def unmatched(self):
        """Rows whose SIRET is valid but not in the registry, or absent or invalid: reported, never dropped."""
        return self.exclude(siret_match=SiretMatch.MATCHED)

    def spend_totals(self) -> dict:
        """Sum and count of all purchases and of each kind of supplier, as `aggregate`/`annotate` arguments.

        SIAE, EA/ESAT and ESUS are the supplier's agréments in force on the purchase date, frozen at import;
        a supplier may hold several, so these three amounts may overlap.
        """
        matched = Q(siret_match=SiretMatch.MATCHED)
        unknown = Q(siret_match=SiretMatch.UNKNOWN)
        malformed = Q(siret_match=SiretMatch.MALFORMED)
        zero = models.Value(Decimal("0.00"), output_field=models.DecimalField(max_digits=16, decimal_places=2))

        def total(condition=None):
            return Coalesce(models.Sum("amount", filter=condition), zero)

        return {
            "total_amount": total(),
            "total_count": models.Count("pk"),
            "ess_amount": total(matched),
            "ess_count": models.Count("pk", filter=matched),
            "siae_amount": total(matched & Q(is_siae=True)),
            "ea_esat_amount": total(matched & Q(is_ea_esat=True)),
            "esus_amount": total(matched & Q(is_esus=True)),
            "unknown_amount": total(unknown),
            "unknown_count": models.Count("pk", filter=unknown),
            "malformed_amount": total(malformed),
            "malformed_count": models.Count("pk", filter=malformed),
        }

    def summary(self) -> dict:
        return self.aggregate(**self.spend_totals())

    def by_direction(self):
        """One row per buying direction (blank when the file left it empty), largest spend first."""
        return (
            self.values("buying_direction")
            .annotate(**self.spend_totals())
            .order_by("-total_amount", "buying_direction")
        )

    def by_filiere(self):
        """Spend with ESS suppliers per filière of the supplier (the registry's filières of the actor).

        A supplier in two filières counts in both: each purchase is counted once per filière of its supplier,
        so the rows do not add up to the ESS total. Suppliers in no filière give a row with `filiere_id` None.
        """
        return (
            self.ess()
            .values("actor__filieres__id")
            .annotate(
                amount=models.Sum("amount"),
                purchase_count=models.Count("pk"),
                supplier_count=models.Count("actor", distinct=True),
            )
            .order_by()
        )

    def by_supplier_commune(self):
        """Spend with ESS suppliers per commune of the supplier (the registry's commune of the actor)."""
        return (
            self.ess()
            .values("actor__commune__name")
            .annotate(
                amount=models.Sum("amount"),
                purchase_count=models.Count("pk"),
                supplier_count=models.Count("actor", distinct=True),
            )
            .order_by("-amount", "actor__commune__name")
        )


class PurchaseImport(models.Model):
    """One purchases file imported by the procurement team for a year."""

    year = models.PositiveSmallIntegerField("année")
    original_filename = models.CharField("fichier", max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="importé par"
    )
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    row_count = models.PositiveIntegerField("lignes", default=0)
    total_amount = models.DecimalField("montant total", max_digits=16, decimal_places=2, default=0)
    is_current = models.BooleanField(
        "import en vigueur", default=True, help_text="Le dernier import d’une année remplace les précédents."
    )

    objects = PurchaseImportQuerySet.as_manager()

    class Meta:
        verbose_name = "import d’achats"
        verbose_name_plural = "imports d’achats"
        ordering = ["-year", "-imported_at"]

    def __str__(self):
        return f"Achats {self.year} – {self.original_filename}"


class Purchase(models.Model):
    """One purchase line of an import. A row whose SIRET is unknown or malformed is kept and reported."""

    purchase_import = models.ForeignKey(
        PurchaseImport, on_delete=models.CASCADE, related_name="purchases", verbose_name="import"
    )
    row_number = models.PositiveIntegerField("ligne du fichier")
    supplier_siret = models.CharField("SIRET du fournisseur (tel que fourni)", max_length=40, blank=True)
    supplier_name = models.CharField("fournisseur", max_length=250, blank=True)
    siret_match = models.CharField("rapprochement", max_length=10, choices=SiretMatch.choices)
    actor = models.ForeignKey(
        "actors.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="purchases",
        verbose_name="structure de l’ESS",
    )
    amount = models.DecimalField("montant HT", max_digits=14, decimal_places=2)
    purchased_on = models.DateField("date")
    buying_direction = models.CharField("direction acheteuse", max_length=200, blank=True)
    cpv_code = models.CharField("code CPV", max_length=12, blank=True)
    # Classification of the supplier when the file was imported (agréments change over time).
    is_siae = models.BooleanField("SIAE", default=False)
    is_ea_esat = models.BooleanField("EA / ESAT", default=False)
    is_esus = models.BooleanField("ESUS", default=False)

    objects = PurchaseQuerySet.as_manager()

    class Meta:
        verbose_name = "achat"
        verbose_name_plural = "achats"
        ordering = ["purchase_import", "row_number"]

    def __str__(self):
        return f"{self.supplier_name or self.supplier_siret} – {self.amount} €"


# --- Contracts with insertion clauses and the hours the PLIE facilitator reports ---

# A running contract is late when the hours realised are below 4/5 (80 %) of the hours expected pro rata.
LATE_TOLERANCE_NUMERATOR, LATE_TOLERANCE_DENOMINATOR = 4, 5


class DayNumber(models.Func):
    """The number of days from a fixed origin to a date, so that date differences are plain numbers in SQL."""

    output_field = models.FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="julianday(%(expressions)s)", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "((%(expressions)s)::date - DATE '2000-01-01')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _hours_total(queryset, group_by: str):
    """Sum of `hours…` of a correlated subquery, 0 when there is no row."""
    decimal = models.DecimalField(max_digits=12, decimal_places=2)
    return Coalesce(
        models.Subquery(queryset.values(group_by).annotate(total=models.Sum("value")).values("total")),
        models.Value(0),
        output_field=decimal,
    )


def _boolean(condition: Q):
    return models.ExpressionWrapper(condition, output_field=models.BooleanField())


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff, procurement and admins see every contract; anyone else only the contracts they facilitate."""
        if can_manage_contracts(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(facilitator=user)

    def with_insertion_totals(self, today: date):
        """Annotate each contract with its insertion hours, in SQL (correlated subqueries: no join fan-out).

        - `hours_required`: the hours the clauses of its lots require;
        - `hours_realised`: the hours reported on those clauses (they may exceed the hours required);
        - `hours_expected`: the hours expected at `today` pro rata of the execution time elapsed
          (0 before the start, every required hour from the last day of execution);
        - `completion`: realised / required in % (None without clause);
        - `is_late`, the rule of the economic direction's follow-up page. A contract with insertion clauses is late:
          * while running (start ≤ today < end), when the hours realised are below 80 % of the hours expected
            pro rata of the execution time elapsed: realised < 80 % × required × (today − start) / (end − start);
          * on its last day of execution, when realised < 80 % × required;
          * once ended (end < today), when realised < required.
          Never before it starts, never without a clause. Exactly 80 % (or exactly the required hours once ended)
          is not late.
        """
        as_float = models.FloatField()
        required = _hours_total(
            InsertionClause.objects.filter(lot__contract=models.OuterRef("pk")).annotate(
                value=models.F("hours_required")
            ),
            "lot__contract",
        )
        realised = _hours_total(
            InsertionHours.objects.filter(clause__lot__contract=models.OuterRef("pk")).annotate(
                value=models.F("hours")
            ),
            "clause__lot__contract",
        )
        elapsed_days = DayNumber(models.Value(today, output_field=models.DateField())) - DayNumber("starts_on")
        duration_days = DayNumber("ends_on") - DayNumber("starts_on")
        required_float, realised_float = Cast("hours_required", as_float), Cast("hours_realised", as_float)
        queryset = self.annotate(hours_required=required, hours_realised=realised).alias(
            # 5 × realised < 4 × required × elapsed / duration, multiplied out: no division, no decimal factor,
            # so the boundary is exact on SQLite and PostgreSQL alike.
            late_gap=models.ExpressionWrapper(
                LATE_TOLERANCE_NUMERATOR * required_float * elapsed_days
                - LATE_TOLERANCE_DENOMINATOR * realised_float * duration_days,
                output_field=as_float,
            ),
            late_gap_at_end=models.ExpressionWrapper(
                LATE_TOLERANCE_NUMERATOR * required_float - LATE_TOLERANCE_DENOMINATOR * realised_float,
                output_field=as_float,
            ),
        )
        return queryset.annotate(
            hours_expected=models.Case(
                models.When(starts_on__gt=today, then=models.Value(0.0)),
                models.When(ends_on__lte=today, then=required_float),
                default=models.ExpressionWrapper(required_float * elapsed_days / duration_days, output_field=as_float),
                output_field=as_float,
            ),
            completion=models.Case(
                models.When(hours_required__gt=0, then=realised_float * 100 / required_float),
                default=None,
                output_field=as_float,
            ),
            is_late=models.Case(
                models.When(hours_required__lte=0, then=models.Value(False)),
                models.When(starts_on__gt=today, then=models.Value(False)),
                models.When(ends_on__lt=today, then=_boolean(Q(hours_realised__lt=models.F("hours_required")))),
                # On the last day (or the only day) of execution every required hour is expected.
                models.When(ends_on=today, then=_boolean(Q(late_gap_at_end__gt=0))),
                default=_boolean(Q(late_gap__gt=0)),
                output_field=models.BooleanField(),
            ),
        )


class Contract(models.Model):
    """A public contract of the Métropole holding insertion clauses on some of its lots."""

    reference = models.CharField("référence du marché", max_length=60, unique=True)
    title = models.CharField("objet", max_length=250)
    buying_direction = models.CharField("direction acheteuse", max_length=200)
    starts_on = models.DateField("début d’exécution")
    ends_on = models.DateField("fin d’exécution")
    amount = models.DecimalField("montant HT", max_digits=14, decimal_places=2)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_contracts",
        verbose_name="facilitateur PLIE",
        help_text="La personne qui suit les clauses et déclare les heures réalisées.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="créé par"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    history = HistoricalRecords(verbose_name="historique du marché")

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = "marché avec clause d’insertion"
        verbose_name_plural = "marchés avec clause d’insertion"
        ordering = ["-starts_on", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="contract_dates_ordered"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contract_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.reference} – {self.title}"


class ContractLot(models.Model):
    """A lot of a contract, with its holder (the company that won it)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lots", verbose_name="marché")
    number = models.PositiveSmallIntegerField("numéro de lot")
    title = models.CharField("intitulé", max_length=250)
    amount = models.DecimalField("montant HT", max_digits=14, decimal_places=2)
    holder_name = models.CharField("titulaire", max_length=250, blank=True)
    holder_siret = models.CharField("SIRET du titulaire", max_length=14, blank=True)

    class Meta:
        verbose_name = "lot"
        verbose_name_plural = "lots"
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contract_lot_unique_number"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contract_lot_amount_not_negative"),
        ]

    def __str__(self):
        return f"Lot {self.number} – {self.title}"


class InsertionClause(models.Model):
    """The insertion clause of a lot: hours of work reserved to people far from employment."""

    lot = models.OneToOneField(
        ContractLot, on_delete=models.CASCADE, related_name="insertion_clause", verbose_name="lot"
    )
    hours_required = models.DecimalField("heures d’insertion exigées", max_digits=10, decimal_places=2)
    public_concerned = models.TextField(
        "publics concernés",
        help_text="Par exemple : demandeurs d’emploi de longue durée, allocataires du RSA, jeunes sans qualification.",
    )

    history = HistoricalRecords(verbose_name="historique de la clause")

    class Meta:
        verbose_name = "clause d’insertion"
        verbose_name_plural = "clauses d’insertion"
        ordering = ["lot"]
        constraints = [models.CheckConstraint(condition=Q(hours_required__gt=0), name="clause_hours_positive")]

    def __str__(self):
        return f"Clause d’insertion – {self.lot}"


class InsertionHours(models.Model):
    """Hours realised under a clause, reported for a period and a company (the holder or a subcontractor)."""

    clause = models.ForeignKey(
        InsertionClause, on_delete=models.CASCADE, related_name="hours_reports", verbose_name="clause"
    )
    company_name = models.CharField("entreprise", max_length=250)
    company_siret = models.CharField("SIRET de l’entreprise", max_length=14, blank=True)
    period_start = models.DateField("période du")
    period_end = models.DateField("au")
    hours = models.DecimalField("heures réalisées", max_digits=10, decimal_places=2)
    beneficiaries = models.PositiveIntegerField("personnes en insertion", default=0)
    comment = models.TextField("commentaire", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="déclaré par"
    )
    reported_at = models.DateTimeField("déclaré le", auto_now_add=True)

    history = HistoricalRecords(verbose_name="historique des heures")

    class Meta:
        verbose_name = "heures d’insertion réalisées"
        verbose_name_plural = "heures d’insertion réalisées"
        ordering = ["clause", "period_start", "company_name"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="insertion_hours_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="insertion_hours_period_ordered"
            ),
            models.UniqueConstraint(
                fields=["clause", "company_name", "period_start"], name="insertion_hours_unique_company_period"
            ),
        ]

    def __str__(self):
        return f"{self.company_name} – {self.hours} h ({self.period_start:%m/%Y})"

    @property
    def description(self) -> str:
        """« 32,00 h de BTP Garonne pour la période du 01/07/2025 au 30/09/2025 », for messages."""
        return (
            f"{format_number(self.hours, 2)} h de {self.company_name} pour la période du "
            f"{self.period_start:%d/%m/%Y} au {self.period_end:%d/%m/%Y}"
        )
