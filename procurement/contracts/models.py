"""Contracts with insertion clauses and the hours the PLIE facilitator reports."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Coalesce
from simple_history.models import HistoricalRecords

from ess_portal.formatting import format_number
from procurement.permissions import can_manage_contracts

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
