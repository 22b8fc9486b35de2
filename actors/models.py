import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords
from stdnum.fr import siret as siret_check

from actors.enums import ActorImportStatus, AgrementKind, ClaimStatus, LegalForm, LocationPrecision, SiaeType


def normalize_search_text(text: str) -> str:
    """Lower-case, accent-free text: « Économie Circulaire » → « economie circulaire ».

    Stored in `Actor.search_text` so that the same accent- and case-insensitive search works on SQLite
    and on PostgreSQL (where a trigram GIN index makes `LIKE '%…%'` fast on 200,000 rows).
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().replace("’", "'").split())


def validate_siret(value: str) -> None:
    if not siret_check.is_valid(value):
        raise ValidationError(
            "Le numéro SIRET « %(value)s » n’est pas valide (14 chiffres, clé de contrôle).",
            params={"value": value},
            code="invalid_siret",
        )


class Commune(models.Model):
    """One of the 28 communes of Bordeaux Métropole (reference data)."""

    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100, unique=True)
    slug = models.SlugField("identifiant", max_length=100, unique=True)
    latitude = models.DecimalField("latitude du centre", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude du centre", max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ActorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def public(self):
        """Actors shown to anonymous visitors: opted in and not archived."""
        return self.active().filter(is_public=True)

    def of_user(self, user):
        """Structures the user acts for (through an active membership)."""
        return self.filter(memberships__user=user, memberships__is_active=True)

    def search(self, text: str):
        """Every word of `text` must appear in the name, SIRET or description (accents and case ignored)."""
        queryset = self
        for word in normalize_search_text(text).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def with_agrement(self, kind: str):
        return self.filter(agrements__kind=kind).distinct()


class Actor(models.Model):
    """An ESS structure of the territory (association, coopérative, mutuelle, fondation, société ESS)."""

    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    legal_form = models.CharField("forme juridique", max_length=20, choices=LegalForm.choices)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="actors", verbose_name="commune")
    address = models.CharField("adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    latitude = models.DecimalField("latitude", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=8, decimal_places=5, null=True, blank=True)
    fte = models.DecimalField(
        "effectif (ETP)",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    founded_year = models.PositiveSmallIntegerField(
        "année de création", null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    website = models.URLField("site web", blank=True)
    description = models.TextField("présentation", blank=True)
    filieres = models.ManyToManyField("filieres.Filiere", blank=True, related_name="actors", verbose_name="filières")
    segments = models.ManyToManyField("filieres.Segment", blank=True, related_name="actors", verbose_name="segments")
    is_public = models.BooleanField(
        "visible dans l’annuaire public",
        default=False,
        help_text="La structure a accepté de paraître dans l’annuaire.",
    )
    is_archived = models.BooleanField("archivée", default=False)
    location_precision = models.CharField(
        "précision de la localisation",
        max_length=10,
        choices=LocationPrecision.choices,
        default=LocationPrecision.NONE,
    )
    geocoded_at = models.DateTimeField("géocodée le", null=True, blank=True)
    verified_at = models.DateTimeField(
        "vérifiée par le service le",
        null=True,
        blank=True,
        help_text="Vide pour une structure déclarée par un porteur de projet et pas encore vérifiée.",
    )
    search_text = models.TextField("texte de recherche", blank=True, editable=False)
    # The association's number in the national register (RNA), published in the SCDL open-data file.
    rna = models.CharField(
        "numéro RNA",
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(r"^W\d{9}$", "Le numéro RNA est un W suivi de 9 chiffres (ex. W331234567).", "invalid_rna")
        ],
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name="historique de l’acteur",
        excluded_fields=["search_text", "updated_at"],
        m2m_fields=[filieres, segments],
    )

    class Meta:
        verbose_name = "acteur de l’ESS"
        verbose_name_plural = "acteurs de l’ESS"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["siret"], condition=~models.Q(siret=""), name="unique_actor_siret"),
        ]
        indexes = [
            models.Index(fields=["commune", "name"], name="actor_commune_name_idx"),
            models.Index(fields=["legal_form", "name"], name="actor_legal_form_name_idx"),
            models.Index(fields=["is_public", "is_archived", "name"], name="actor_public_name_idx"),
            # The registry lists active actors by name (default) or by last change; the primary key breaks ties.
            models.Index(fields=["name", "id"], condition=Q(is_archived=False), name="actor_active_name_idx"),
            models.Index(fields=["updated_at", "id"], name="actor_updated_idx"),
            models.Index(fields=["fte"], name="actor_fte_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A derived column, not behaviour: it must follow the fields it is built from.
        self.search_text = normalize_search_text(f"{self.name} {self.siret} {self.description}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def siren(self) -> str:
        return self.siret[:9]

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def set_location(self, *, latitude, longitude, precision: str) -> None:
        self.latitude, self.longitude, self.location_precision = latitude, longitude, precision
        self.geocoded_at = timezone.now()


class AgrementQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(obtained_on__isnull=True) | Q(obtained_on__lte=day)).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=day)
        )


class Agrement(models.Model):
    """A state agrément or status of an actor (ESUS, SIAE, EA, ESAT); verified by staff, never by members."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="agrements", verbose_name="acteur")
    kind = models.CharField("agrément", max_length=10, choices=AgrementKind.choices)
    siae_type = models.CharField(
        "type de SIAE",
        max_length=10,
        choices=SiaeType.choices,
        blank=True,
        help_text="Obligatoire pour une SIAE, vide sinon.",
    )
    obtained_on = models.DateField("obtenu le", null=True, blank=True)
    expires_on = models.DateField(
        "expire le", null=True, blank=True, help_text="L’agrément ESUS est accordé pour 5 ans."
    )
    reference = models.CharField("référence de l’arrêté ou de la décision", max_length=120, blank=True)

    objects = AgrementQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="historique de l’agrément")

    class Meta:
        verbose_name = "agrément"
        verbose_name_plural = "agréments"
        ordering = ["kind", "-obtained_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=AgrementKind.SIAE) & ~Q(siae_type=""))
                | (~Q(kind=AgrementKind.SIAE) & Q(siae_type="")),
                name="agrement_siae_type_only_for_siae",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(obtained_on__isnull=True)
                | Q(expires_on__gte=models.F("obtained_on")),
                name="agrement_expires_after_obtained",
            ),
            models.UniqueConstraint(fields=["actor", "kind"], name="unique_agrement_kind_per_actor"),
        ]

    def __str__(self):
        label = self.get_siae_type_display() if self.siae_type else self.get_kind_display()
        return f"{label} – {self.actor}"

    def clean(self):
        if self.kind == AgrementKind.SIAE and not self.siae_type:
            raise ValidationError({"siae_type": "Précisez le type de SIAE (ACI, EI, ETTI, AI ou EITI)."})
        if self.kind != AgrementKind.SIAE and self.siae_type:
            raise ValidationError({"siae_type": "Le type de SIAE ne concerne que les agréments SIAE."})
        if self.obtained_on and self.expires_on and self.expires_on < self.obtained_on:
            raise ValidationError({"expires_on": "La date d’expiration doit suivre la date d’obtention."})

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


class Contact(models.Model):
    """A person to contact in a structure: personal data, shown to staff only unless published."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="contacts", verbose_name="acteur")
    name = models.CharField("nom et prénom", max_length=150)
    role = models.CharField("fonction", max_length=120, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    is_public = models.BooleanField(
        "contact publiable",
        default=False,
        help_text="La personne a accepté que ses coordonnées soient communiquées aux acheteurs publics.",
    )

    history = HistoricalRecords(verbose_name="historique du contact")

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.actor})"


class ActorClaimQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ClaimStatus.PENDING)


class ActorClaim(models.Model):
    """An applicant asks to act for an existing structure; staff approve (membership) or reject it."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="claims", verbose_name="structure")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="actor_claims", verbose_name="demandeur"
    )
    position = models.CharField("fonction dans la structure", max_length=120)
    message = models.TextField("message au service ESS", blank=True)
    status = models.CharField("état", max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decision_comment = models.TextField("motif de la décision", blank=True)
    created_at = models.DateTimeField("demandée le", auto_now_add=True)

    objects = ActorClaimQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de rattachement"
        verbose_name_plural = "demandes de rattachement"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "user"], condition=Q(status="pending"), name="unique_pending_claim_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.actor}"


class ActorImportQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("created_by", "job")


class ActorImport(models.Model):
    """A file of actors uploaded by staff (e.g. a CRESS export), its column mapping, preview and report.

    The uploaded file is kept under MEDIA_ROOT (private, served by no URL); the report is a CSV served by
    a view that checks permissions. See actors/importing/__init__.py for the rules of an import.
    """

    class FileFormat(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    file = models.FileField("fichier déposé", upload_to="imports/acteurs/%Y/%m/", max_length=255)
    original_name = models.CharField("nom du fichier", max_length=255)
    file_format = models.CharField("format", max_length=10, choices=FileFormat.choices)
    encoding = models.CharField("encodage", max_length=20, blank=True)
    delimiter = models.CharField("séparateur", max_length=1, blank=True)
    headers = models.JSONField("en-têtes des colonnes", default=list, blank=True)
    row_count = models.PositiveIntegerField("nombre de lignes", default=0)
    mapping = models.JSONField(
        "correspondance des colonnes", default=dict, blank=True, help_text="Champ du portail → numéro de colonne."
    )
    preview = models.JSONField("aperçu", default=dict, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=ActorImportStatus.choices, default=ActorImportStatus.UPLOADED
    )
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="tâche de fond"
    )
    created_count = models.PositiveIntegerField("acteurs créés", default=0)
    updated_count = models.PositiveIntegerField("acteurs mis à jour", default=0)
    unchanged_count = models.PositiveIntegerField("acteurs inchangés", default=0)
    rejected_count = models.PositiveIntegerField("lignes rejetées", default=0)
    rejected_rows = models.JSONField("lignes rejetées et motifs", default=list, blank=True)
    report_file = models.FileField("rapport d’import", upload_to="imports/acteurs/%Y/%m/", blank=True, max_length=255)
    error_message = models.TextField("message d’erreur", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="actor_imports",
        verbose_name="déposé par",
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ActorImportQuerySet.as_manager()

    class Meta:
        verbose_name = "import d’acteurs"
        verbose_name_plural = "imports d’acteurs"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Import nº {self.pk} ({self.original_name})"

    @property
    def is_running(self) -> bool:
        return self.status in (ActorImportStatus.QUEUED, ActorImportStatus.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == ActorImportStatus.DONE

    @property
    def can_be_mapped(self) -> bool:
        """Mapping and preview may be redone until the import is confirmed."""
        return self.status in (ActorImportStatus.UPLOADED, ActorImportStatus.PREVIEWED)

    @property
    def can_be_confirmed(self) -> bool:
        return self.status == ActorImportStatus.PREVIEWED and self.preview.get("valid", 0) > 0
