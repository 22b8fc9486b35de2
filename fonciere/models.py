"""The foncière solidaire (plan action 2.3): the properties it holds or manages, the leases of their premises to
ESS structures at a discounted rent, and the Métropole's capitalisation instalments.

In-kind aid: a lease below the market rent is an aid to its occupant, worth (market rent − rent) × m² × days /
days-in-year for each calendar year (exact Decimal, rounded half up to the cent per lease and year; 366 days in a
leap year; a lease across two years counts in each year for its days in it).
"""

import builtins
import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from fonciere.enums import PropertyUse, Tenure
from fonciere.permissions import can_view_fonciere

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
SURFACE = {"max_digits": 10, "decimal_places": 2}
MONEY = {"max_digits": 12, "decimal_places": 2}


def days_in_year(year: int) -> int:
    return (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days


def _year_segments(start: datetime.date, end: datetime.date):
    """(year, first day, last day) of each calendar year that [start, end] touches."""
    for year in range(start.year, end.year + 1):
        yield year, max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))


# --- QuerySets ----------------------------------------------------------------------------------------------------


class PropertyQuerySet(models.QuerySet):
    def of_the_year(self, year: int):
        """The properties a yearly figure counts: in the register by 31 December, or let (signed or not) during the
        year. The register records no acquisition date."""
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return self.filter(
            Q(created_at__date__lte=end) | Q(pk__in=Lease.objects.overlapping(start, end).values("property_id"))
        )

    def with_occupancy(self, *, on: datetime.date):
        """Annotate the surface under a signed lease on `on`, the vacant surface and the occupancy rate (%), in SQL."""
        active = Q(leases__signed_on__isnull=False, leases__starts_on__lte=on) & (
            Q(leases__ends_on__isnull=True) | Q(leases__ends_on__gte=on)
        )
        leased = Coalesce(
            Sum("leases__surface", filter=active),
            Value(ZERO),
            output_field=DecimalField(**SURFACE),
        )
        return self.annotate(occupied_surface=leased).annotate(
            vacant_surface=ExpressionWrapper(
                F("surface") - F("occupied_surface"), output_field=DecimalField(**SURFACE)
            ),
            occupancy_rate=ExpressionWrapper(
                F("occupied_surface") * Value(Decimal("100")) / F("surface"), output_field=DecimalField(**SURFACE)
            ),
        )


class LeaseQuerySet(models.QuerySet):
    def signed(self):
        return self.filter(signed_on__isnull=False)

    def active_on(self, day: datetime.date):
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)

    def overlapping(self, start: datetime.date, end: datetime.date | None):
        """Leases whose period meets [start, end] (end None: open-ended)."""
        leases = self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        return leases if end is None else leases.filter(starts_on__lte=end)

    def visible_to(self, user):
        """Readers of the foncière see every lease; an applicant the leases of their structures; others none."""
        if can_view_fonciere(user):
            return self
        if user.is_authenticated:
            return self.filter(occupant__in=user.memberships.active().values("actor_id"))
        return self.none()

    def in_kind_aid(self, *, start: datetime.date, end: datetime.date) -> Decimal:
        """The in-kind aid of these leases over [start, end]: one query, each lease's yearly amounts added."""
        return sum((lease.in_kind_aid_between(start, end) for lease in self), ZERO)

    def in_kind_aid_by_year(self) -> list[dict]:
        """`[{"year", "amount"}]`: the in-kind aid of these leases (signed ones count) per calendar year."""
        totals = defaultdict(lambda: ZERO)
        for lease in self:
            for year, amount in lease.in_kind_aid_by_year().items():
                totals[year] += amount
        return [{"year": year, "amount": amount} for year, amount in sorted(totals.items())]

    def in_kind_aid_by_occupant_and_year(self) -> list[dict]:
        """`[{"occupant", "year", "amount"}]` of these leases (signed ones count), from their first to last year."""
        totals = defaultdict(lambda: ZERO)
        occupants = {}
        for lease in self:
            occupants[lease.occupant_id] = lease.occupant
            for year, amount in lease.in_kind_aid_by_year().items():
                totals[(lease.occupant_id, year)] += amount
        return [
            {"occupant": occupants[occupant_id], "year": year, "amount": amount}
            for (occupant_id, year), amount in sorted(
                totals.items(), key=lambda item: (str(occupants[item[0][0]]), item[0][1])
            )
        ]


# --- Models -------------------------------------------------------------------------------------------------------


class Property(models.Model):
    """Premises held or managed by the foncière solidaire, let to ESS structures."""

    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=250)
    commune = models.ForeignKey(
        "actors.Commune", on_delete=models.PROTECT, related_name="fonciere_properties", verbose_name="commune"
    )
    latitude = models.DecimalField("latitude", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=9, decimal_places=6, null=True, blank=True)
    surface = models.DecimalField("surface (m²)", **SURFACE, validators=[MinValueValidator(Decimal("0.01"))])
    use = models.CharField("usage", max_length=20, choices=PropertyUse.choices)
    tenure = models.CharField("mode de détention", max_length=30, choices=Tenure.choices, default=Tenure.HELD)
    acquisition_price = models.DecimalField(
        "prix d’acquisition (€)", **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    works_amount = models.DecimalField(
        "montant des travaux (€)", **MONEY, default=ZERO, validators=[MinValueValidator(Decimal("0"))]
    )
    exit_price_cap_clause = models.TextField(
        "clause de prix de sortie plafonné",
        blank=True,
        help_text="Pour une opération d’aménagement : double clause, grille de prix, part de la production dédiée.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = PropertyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bien de la foncière"
        verbose_name_plural = "biens de la foncière"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(surface__gt=0), name="fonciere_property_surface_positive"),
            models.CheckConstraint(
                condition=Q(acquisition_price__isnull=True) | Q(acquisition_price__gte=0),
                name="fonciere_property_price_not_negative",
            ),
            models.CheckConstraint(condition=Q(works_amount__gte=0), name="fonciere_property_works_not_negative"),
        ]

    def __str__(self):
        return f"{self.name} ({self.commune})"

    def get_absolute_url(self):
        return reverse("fonciere:property_detail", args=[self.pk])

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Lease(models.Model):
    """The occupation of part of a property by an ESS structure, at a rent below the market rent."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="leases", verbose_name="bien")
    occupant = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, related_name="fonciere_leases", verbose_name="structure occupante"
    )
    surface = models.DecimalField("surface louée (m²)", **SURFACE, validators=[MinValueValidator(Decimal("0.01"))])
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", null=True, blank=True, help_text="Vide pour un bail sans terme fixé.")
    rent = models.DecimalField("loyer (€/m²/an)", **MONEY, validators=[MinValueValidator(Decimal("0"))])
    market_rent = models.DecimalField(
        "loyer de marché (€/m²/an)", **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    signed_on = models.DateField("signé le", null=True, blank=True)
    end_reason = models.TextField(
        "motif de la fin anticipée", blank=True, help_text="Renseigné quand le bail prend fin avant son terme."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisi par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = LeaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bail"
        verbose_name_plural = "baux"
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(surface__gt=0), name="fonciere_lease_surface_positive"),
            models.CheckConstraint(condition=Q(rent__gte=0), name="fonciere_lease_rent_not_negative"),
            models.CheckConstraint(condition=Q(rent__lte=F("market_rent")), name="fonciere_lease_rent_within_market"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="fonciere_lease_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.occupant} – {self.property.name}"

    def get_absolute_url(self):
        return reverse("fonciere:lease_detail", args=[self.pk])

    @builtins.property  # the field `property` hides the built-in in this class
    def is_signed(self) -> bool:
        return self.signed_on is not None

    @builtins.property
    def discount(self) -> Decimal:
        """The rent discount per m² and year."""
        return self.market_rent - self.rent

    @builtins.property
    def discount_rate(self) -> Decimal | None:
        """The discount as a percentage of the market rent."""
        if not self.market_rent:
            return None
        return (self.discount * 100 / self.market_rent).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def ensure_editable(self) -> None:
        """Only a lease not signed yet has its terms corrected; a signed one may only be ended early."""
        if self.is_signed:
            raise ValidationError(
                "Ce bail est signé depuis le %(signed_on)s : ses conditions ne peuvent plus être modifiées, "
                "seule une fin anticipée peut être enregistrée.",
                code="signed",
                params={"signed_on": self.signed_on.strftime("%d/%m/%Y")},
            )

    def is_active_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    def in_kind_aid_for_days(self, *, year: int, days: int) -> Decimal:
        """(market − rent) × m² × days / days-in-year, to the cent (half up)."""
        amount = self.discount * self.surface * days / days_in_year(year)
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)

    def in_kind_aid_by_year(self, *, until: datetime.date | None = None) -> dict[int, Decimal]:
        """The in-kind aid of each calendar year of the lease (an open-ended lease up to `until`, default the end
        of the current year); nothing for an unsigned lease."""
        if not self.is_signed:
            return {}
        end = self.ends_on or until or datetime.date(timezone.localdate().year, 12, 31)
        return {
            year: self.in_kind_aid_for_days(year=year, days=(last - first).days + 1)
            for year, first, last in _year_segments(self.starts_on, end)
            if last >= first
        }

    def in_kind_aid_between(self, start: datetime.date, end: datetime.date) -> Decimal:
        """The in-kind aid of the lease's days within [start, end], split by calendar year (each rounded)."""
        if not self.is_signed:
            return ZERO
        first_day = max(start, self.starts_on)
        last_day = end if self.ends_on is None else min(end, self.ends_on)
        if last_day < first_day:
            return ZERO
        return sum(
            (
                self.in_kind_aid_for_days(year=year, days=(last - first).days + 1)
                for year, first, last in _year_segments(first_day, last_day)
            ),
            ZERO,
        )


class Capitalisation(models.Model):
    """An instalment of the Métropole's capitalisation of the foncière, committed on the year's capitalisation line."""

    amount = models.DecimalField("montant (€)", **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    paid_on = models.DateField("date du versement")
    deliberation_number = models.CharField("numéro de délibération", max_length=50)
    deliberation_on = models.DateField("date de la délibération", null=True, blank=True)
    commitment = models.OneToOneField(
        "funding.Commitment",
        on_delete=models.PROTECT,
        related_name="fonciere_capitalisation",
        verbose_name="engagement",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisi par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "versement de capitalisation"
        verbose_name_plural = "versements de capitalisation"
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fonciere_capitalisation_positive")]

    def __str__(self):
        return f"Capitalisation du {self.paid_on:%d/%m/%Y} – {self.amount} €"


from fonciere.committee_models import CommitteeProposal, CommitteeSitting, PremisesRequest  # noqa: E402, F401
