"""Share of ESS spend: the purchases of a year, imported from a file, matched against the registry."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from procurement.enums import SiretMatch


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
