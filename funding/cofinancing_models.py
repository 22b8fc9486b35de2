"""Co-financing by the partners of the quadripartite convention (plan action 3.1): per application, partner and
year, the amount pledged, decided and paid. Entered by staff or by the partner concerned; totals per partner and
year are SQL aggregates; the steering committee reads the joint table. Registered through `funding/models.py`."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
ZERO = Decimal("0.00")


class CoFinancingQuerySet(models.QuerySet):
    def totals(self) -> dict:
        return self.aggregate(
            pledged=Sum("pledged", default=ZERO), decided=Sum("decided", default=ZERO), paid=Sum("paid", default=ZERO)
        )

    def totals_by_partner_and_year(self) -> list[dict]:
        """`[{"partner__short_name", "year", "pledged", "decided", "paid"}]` in one GROUP BY query."""
        return list(
            self.values("partner_id", "partner__short_name", "partner__position", "year")
            .annotate(
                pledged_total=Sum("pledged", default=ZERO),
                decided_total=Sum("decided", default=ZERO),
                paid_total=Sum("paid", default=ZERO),
            )
            .order_by("year", "partner__position")
        )


class CoFinancing(models.Model):
    application = models.ForeignKey(
        "funding.Application", on_delete=models.CASCADE, related_name="cofinancings", verbose_name="demande"
    )
    partner = models.ForeignKey(
        "quadripartite.Partner", on_delete=models.PROTECT, related_name="cofinancings", verbose_name="partenaire"
    )
    year = models.PositiveSmallIntegerField("exercice")
    pledged = models.DecimalField("montant sollicité ou annoncé (€)", **MONEY)
    decided = models.DecimalField("montant décidé (€)", null=True, blank=True, **MONEY)
    paid = models.DecimalField("montant versé (€)", default=ZERO, **MONEY)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisi par"
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = CoFinancingQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="historique du cofinancement")

    class Meta:
        verbose_name = "cofinancement"
        verbose_name_plural = "cofinancements"
        ordering = ["year", "partner__position", "application_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "partner", "year"], name="cofinancing_once_per_year"),
            models.CheckConstraint(
                condition=Q(pledged__gte=0) & Q(paid__gte=0) & (Q(decided__isnull=True) | Q(decided__gte=0)),
                name="cofinancing_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=(Q(decided__isnull=True) & Q(paid=0)) | Q(paid__lte=F("decided")),
                name="cofinancing_paid_within_decided",
            ),
        ]

    def __str__(self):
        return f"{self.partner} – {self.application_id} – {self.year}"
