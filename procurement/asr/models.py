"""ASR (« achats socialement responsables ») referencing of ESS actors for public buyers: the listings, the log of
the buyer directory's exports, the buyers' consultation lists."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actors.models import Agrement, normalize_search_text
from procurement.asr.eligibility import eligible_to_article, reserved_articles
from procurement.cpv.models import CpvCode
from procurement.enums import ExportFormat, ListingStatus, ReservedArticle, RevenueBand

# A listing nobody verified for this long is no longer shown to buyers.
LISTING_VALIDITY = timedelta(days=365)
# The structure is reminded to have its listing verified again this long before it expires.
RENEWAL_NOTICE = timedelta(days=30)


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
