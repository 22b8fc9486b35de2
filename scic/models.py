"""The SCIC register (action 2.2 of the plan): the SCIC the Métropole holds shares in, their capital over time, the
other public collectivities' holdings, the Métropole's share movements and its representatives in their bodies.

Figures at a date (all computed in SQL, `ScicQuerySet.with_figures`):
- the Métropole's holding is the sum of its subscriptions less its redemptions and transfers, in shares and in euros
  at each movement's nominal value; paying-up (libération) pays subscribed shares and changes neither figure;
- the SCIC's capital is the last capital recorded on or before the date, plus the Métropole's subscriptions less its
  redemptions dated after that record (a subscription is new capital, a redemption reimburses it; a transfer moves
  shares to another associate and leaves the capital unchanged). A record is the capital at the end of its day;
- the other collectivities' holding is the sum of the holdings in force on the date (from ≤ date ≤ to);
- the public share is (the Métropole's holding + the other collectivities') / capital, capped at 50 % by loi
  47-1775 art. 19 septies (`scic.services.subscribe_shares` refuses a subscription that would pass it).
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actors.enums import LegalForm
from ess_portal.formatting import percentage
from scic.enums import Body, CollectivityKind, MovementKind

# Loi 47-1775, art. 19 septies: public collectivities together hold at most half of a SCIC's capital.
PUBLIC_SHARE_CAP_PERCENT = Decimal("50")
MONEY = models.DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)
DAWN_OF_TIME = datetime.date(1, 1, 1)

HELD_SHARES = Case(
    When(kind=MovementKind.SUBSCRIPTION, then=F("shares")),
    When(kind__in=[MovementKind.REDEMPTION, MovementKind.TRANSFER], then=-F("shares")),
    default=Value(0),
    output_field=models.IntegerField(),
)
HELD_AMOUNT = Case(
    When(kind=MovementKind.SUBSCRIPTION, then=F("amount")),
    When(kind__in=[MovementKind.REDEMPTION, MovementKind.TRANSFER], then=-F("amount")),
    default=ZERO,
    output_field=MONEY,
)
CAPITAL_CHANGE = Case(
    When(kind=MovementKind.SUBSCRIPTION, then=F("amount")),
    When(kind=MovementKind.REDEMPTION, then=-F("amount")),
    default=ZERO,
    output_field=MONEY,
)
PAID_UP_AMOUNT = Case(When(kind=MovementKind.PAYING_UP, then=F("amount")), default=ZERO, output_field=MONEY)


def _sum_per_scic(queryset, expression, output_field=MONEY):
    """A correlated subquery: the sum of `expression` over `queryset`'s rows of the outer SCIC, 0 when none."""
    total = queryset.order_by().values("scic").annotate(total=Sum(expression)).values("total")
    zero = ZERO if isinstance(output_field, models.DecimalField) else Value(0)
    return Coalesce(Subquery(total, output_field=output_field), zero, output_field=output_field)


def new_idempotency_key() -> str:
    """The key of a row written without one (the admin): services pass the form's key instead."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Holding:
    shares: int
    amount: Decimal


class ScicQuerySet(models.QuerySet):
    def with_figures(self, *, on: datetime.date | None = None):
        """Each SCIC with its figures on `on` (today by default), in one query: `metropole_shares`,
        `metropole_amount`, `paid_up_amount`, `capital_amount`, `other_public_amount` (see the module's docstring)."""
        on = on or timezone.localdate()
        movements = ShareMovement.objects.filter(scic=OuterRef("pk"), moved_on__lte=on)
        last_capital = CapitalRecord.objects.filter(scic=OuterRef("pk"), recorded_on__lte=on).order_by("-recorded_on")
        in_force = PublicHolding.objects.filter(
            Q(held_until__isnull=True) | Q(held_until__gte=on), scic=OuterRef("pk"), held_from__lte=on
        )
        return self.annotate(
            metropole_shares=_sum_per_scic(movements, HELD_SHARES, output_field=models.IntegerField()),
            metropole_amount=_sum_per_scic(movements, HELD_AMOUNT),
            paid_up_amount=_sum_per_scic(movements, PAID_UP_AMOUNT),
            last_capital_on=Subquery(last_capital.values("recorded_on")[:1]),
            last_capital_amount=Coalesce(Subquery(last_capital.values("amount")[:1]), ZERO, output_field=MONEY),
            capital_change=_sum_per_scic(
                movements.filter(
                    moved_on__gt=Coalesce(
                        OuterRef("last_capital_on"), Value(DAWN_OF_TIME), output_field=models.DateField()
                    )
                ),
                CAPITAL_CHANGE,
            ),
            capital_amount=F("last_capital_amount") + F("capital_change"),
            other_public_amount=_sum_per_scic(in_force, F("amount")),
        )

    def for_register(self, *, on: datetime.date | None = None):
        return self.with_figures(on=on).select_related("actor__commune").order_by("actor__name", "pk")


class Scic(models.Model):
    """A SCIC of the territory the Métropole takes a stake in, under the council's framework deliberation."""

    actor = models.OneToOneField(
        "actors.Actor", on_delete=models.PROTECT, related_name="scic", verbose_name="structure (SCIC)"
    )
    framework_deliberation_number = models.CharField("numéro de la délibération cadre", max_length=50, blank=True)
    framework_deliberation_on = models.DateField("date de la délibération cadre", null=True, blank=True)
    notes = models.TextField("notes", blank=True)
    declared_at = models.DateTimeField("déclarée le", default=timezone.now, editable=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déclarée par",
        editable=False,
    )
    idempotency_key = models.CharField(
        "clé d’idempotence", max_length=80, unique=True, default=new_idempotency_key, editable=False
    )
    history = HistoricalRecords(verbose_name="historique de la SCIC")

    objects = ScicQuerySet.as_manager()

    class Meta:
        verbose_name = "SCIC"
        verbose_name_plural = "SCIC"
        ordering = ["actor__name"]

    def __str__(self):
        return self.actor.name

    def clean(self):
        if self.actor_id is not None and self.actor.legal_form != LegalForm.SCIC:
            raise ValidationError(
                {
                    "actor": (
                        f"« {self.actor.name} » n’a pas la forme juridique SCIC "
                        f"({self.actor.get_legal_form_display()}) : corrigez sa fiche avant de la déclarer."
                    )
                }
            )

    def figures_on(self, on: datetime.date | None = None) -> "Scic":
        """This SCIC annotated with its figures on `on` (one query)."""
        return Scic.objects.with_figures(on=on).get(pk=self.pk)

    def metropole_holding_on(self, on: datetime.date | None = None) -> Holding:
        figures = self.figures_on(on)
        return Holding(shares=figures.metropole_shares, amount=figures.metropole_amount)

    def capital_on(self, on: datetime.date | None = None) -> Decimal:
        return self.figures_on(on).capital_amount

    def other_public_holding_on(self, on: datetime.date | None = None) -> Decimal:
        return self.figures_on(on).other_public_amount

    # Read on an instance annotated by `with_figures`.
    @property
    def public_amount(self) -> Decimal:
        return self.metropole_amount + self.other_public_amount

    @property
    def metropole_percent(self) -> Decimal | None:
        return percentage(self.metropole_amount, self.capital_amount)

    @property
    def public_percent(self) -> Decimal | None:
        return percentage(self.public_amount, self.capital_amount)

    @property
    def public_cap_amount(self) -> Decimal:
        return (self.capital_amount * PUBLIC_SHARE_CAP_PERCENT / 100).quantize(Decimal("0.01"))

    @property
    def public_room_amount(self) -> Decimal:
        """What public collectivities may still subscribe before the cap, with the capital it adds counted:
        (public + x) ≤ (capital + x) / 2 ⇔ x ≤ capital − 2 × public."""
        return max(self.capital_amount - 2 * self.public_amount, Decimal("0.00"))

    @property
    def is_over_cap(self) -> bool:
        return self.public_amount * 100 > self.capital_amount * PUBLIC_SHARE_CAP_PERCENT


class CapitalRecord(models.Model):
    """The SCIC's total capital on a date (from its accounts or general meeting), the capital over time."""

    scic = models.ForeignKey(Scic, on_delete=models.CASCADE, related_name="capital_records", verbose_name="SCIC")
    recorded_on = models.DateField("date")
    amount = models.DecimalField("capital social (€)", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=200, blank=True, help_text="Comptes annuels, procès-verbal d’AG…")
    history = HistoricalRecords(verbose_name="historique du capital de SCIC")

    class Meta:
        verbose_name = "capital de SCIC"
        verbose_name_plural = "capitaux de SCIC"
        ordering = ["-recorded_on"]
        constraints = [
            models.UniqueConstraint(fields=["scic", "recorded_on"], name="scic_capital_one_per_date"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="scic_capital_not_negative"),
        ]

    def __str__(self):
        return f"{self.scic} – capital au {self.recorded_on:%d/%m/%Y}"


class PublicHolding(models.Model):
    """Capital of the SCIC held by another public collectivity or grouping (they count in the 50 % cap)."""

    scic = models.ForeignKey(Scic, on_delete=models.CASCADE, related_name="public_holdings", verbose_name="SCIC")
    holder_name = models.CharField("collectivité", max_length=200)
    holder_kind = models.CharField("nature", max_length=20, choices=CollectivityKind.choices)
    amount = models.DecimalField("capital détenu (€)", max_digits=14, decimal_places=2)
    held_from = models.DateField("détenu depuis le")
    held_until = models.DateField("détenu jusqu’au", null=True, blank=True)
    idempotency_key = models.CharField(
        "clé d’idempotence", max_length=80, unique=True, default=new_idempotency_key, editable=False
    )
    history = HistoricalRecords(verbose_name="historique de la participation publique")

    class Meta:
        verbose_name = "participation publique"
        verbose_name_plural = "participations publiques"
        ordering = ["-held_from", "holder_name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="scic_public_holding_positive"),
            models.CheckConstraint(
                condition=Q(held_until__isnull=True) | Q(held_until__gte=F("held_from")),
                name="scic_public_holding_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.holder_name} dans {self.scic}"


class ShareMovementQuerySet(models.QuerySet):
    def subscriptions(self):
        return self.filter(kind=MovementKind.SUBSCRIPTION)

    def holding(self, *, on: datetime.date | None = None) -> Holding:
        """The Métropole's holding over these movements on `on` (every movement by default)."""
        rows = self.filter(moved_on__lte=on) if on else self
        totals = rows.aggregate(
            shares=Coalesce(Sum(HELD_SHARES), Value(0)), amount=Coalesce(Sum(HELD_AMOUNT), ZERO, output_field=MONEY)
        )
        return Holding(shares=totals["shares"], amount=totals["amount"])

    def paid_up_amount(self) -> Decimal:
        return self.aggregate(total=Coalesce(Sum(PAID_UP_AMOUNT), ZERO, output_field=MONEY))["total"]


class ShareMovement(models.Model):
    """A movement of the Métropole's shares in a SCIC; a subscription is its stake, charged on the SCIC fund line
    of its year through its commitment."""

    scic = models.ForeignKey(Scic, on_delete=models.PROTECT, related_name="movements", verbose_name="SCIC")
    kind = models.CharField("nature", max_length=20, choices=MovementKind.choices)
    moved_on = models.DateField("date")
    shares = models.PositiveIntegerField("nombre de parts")
    nominal = models.DecimalField("valeur nominale d’une part (€)", max_digits=10, decimal_places=2)
    amount = models.DecimalField("montant (€)", max_digits=14, decimal_places=2, editable=False)
    deliberation_number = models.CharField("numéro de délibération", max_length=50, blank=True)
    deliberation_on = models.DateField("date de la délibération", null=True, blank=True)
    commitment = models.ForeignKey(
        "funding.Commitment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scic_movements",
        verbose_name="engagement sur le fonds SCIC",
    )
    payment = models.OneToOneField(
        "funding.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scic_movement",
        verbose_name="versement sur l’engagement de la souscription",
    )
    idempotency_key = models.CharField(
        "clé d’idempotence", max_length=80, unique=True, default=new_idempotency_key, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
        editable=False,
    )
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now, editable=False)
    history = HistoricalRecords(verbose_name="historique du mouvement de parts")

    objects = ShareMovementQuerySet.as_manager()

    class Meta:
        verbose_name = "mouvement de parts"
        verbose_name_plural = "mouvements de parts"
        ordering = ["-moved_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(shares__gt=0), name="scic_movement_shares_positive"),
            models.CheckConstraint(condition=Q(nominal__gt=0), name="scic_movement_nominal_positive"),
            models.CheckConstraint(
                condition=Q(amount=F("shares") * F("nominal")), name="scic_movement_amount_is_shares_by_nominal"
            ),
            models.CheckConstraint(
                condition=Q(commitment__isnull=True) | Q(kind=MovementKind.SUBSCRIPTION),
                name="scic_movement_commitment_only_for_subscription",
            ),
            models.CheckConstraint(
                condition=Q(payment__isnull=True) | Q(kind=MovementKind.PAYING_UP),
                name="scic_movement_payment_only_for_paying_up",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} de {self.shares} parts de {self.scic} le {self.moved_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.amount = self.shares * self.nominal
        super().save(*args, **kwargs)


class RepresentativeQuerySet(models.QuerySet):
    def current(self, *, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(mandate_end_on__isnull=True) | Q(mandate_end_on__gte=on), mandate_start_on__lte=on)

    def ending_soon(self, *, days: int = 90, today: datetime.date | None = None):
        """Mandates ending within `days` days (from today, included)."""
        today = today or timezone.localdate()
        return self.filter(mandate_end_on__gte=today, mandate_end_on__lte=today + datetime.timedelta(days=days))


class Representative(models.Model):
    """A person designated by the council to represent the Métropole in a body of the SCIC."""

    scic = models.ForeignKey(Scic, on_delete=models.CASCADE, related_name="representatives", verbose_name="SCIC")
    person_name = models.CharField("nom", max_length=200)
    body = models.CharField("instance", max_length=20, choices=Body.choices)
    deliberation_number = models.CharField("délibération de désignation", max_length=50, blank=True)
    deliberation_on = models.DateField("date de la délibération de désignation", null=True, blank=True)
    mandate_start_on = models.DateField("début du mandat")
    mandate_end_on = models.DateField("fin du mandat", null=True, blank=True)
    idempotency_key = models.CharField(
        "clé d’idempotence", max_length=80, unique=True, default=new_idempotency_key, editable=False
    )
    history = HistoricalRecords(verbose_name="historique du représentant")

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = "représentant de la Métropole"
        verbose_name_plural = "représentants de la Métropole"
        ordering = ["body", "person_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mandate_end_on__isnull=True) | Q(mandate_end_on__gte=F("mandate_start_on")),
                name="scic_mandate_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.person_name} ({self.get_body_display()}, {self.scic})"

    def ends_within(self, *, days: int = 90, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.mandate_end_on is not None and today <= self.mandate_end_on <= today + datetime.timedelta(days)


class LiaisonMeeting(models.Model):
    """A meeting of the liaison committee (élus, techniciens, SCIC) that follows a capitalised SCIC."""

    scic = models.ForeignKey(Scic, on_delete=models.CASCADE, related_name="liaison_meetings", verbose_name="SCIC")
    held_on = models.DateField("date")
    participants = models.TextField("participants", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    decisions = models.TextField("décisions", blank=True)
    idempotency_key = models.CharField(
        "clé d’idempotence", max_length=80, unique=True, default=new_idempotency_key, editable=False
    )

    class Meta:
        verbose_name = "comité de liaison"
        verbose_name_plural = "comités de liaison"
        ordering = ["-held_on"]

    def __str__(self):
        return f"Comité de liaison {self.scic} du {self.held_on:%d/%m/%Y}"
