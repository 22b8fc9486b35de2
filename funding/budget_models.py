"""Budget lines (projected by the plan, then voted and amended by the council) and the history of their amounts.

Kept apart from `funding/models.py`, which imports them, so that neither module grows past the house limit."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Sum

from funding.enums import BudgetRevisionKind, BudgetSection, CommitmentKind


class BudgetLineQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def in_plan(self):
        return self.filter(is_in_plan=True)

    def total_voted(self) -> Decimal:
        return self.aggregate(total=Sum("voted_amount"))["total"] or Decimal("0.00")

    def summary_by_year(self):
        """One row per year: voted operating (in plan / out of plan), investment and total, summed in SQL."""
        zero = Decimal("0.00")
        operating = Q(section=BudgetSection.FONCTIONNEMENT)
        return (
            self.values("year")
            .order_by("year")
            .annotate(
                operating_in_plan=Sum("voted_amount", filter=operating & Q(is_in_plan=True), default=zero),
                operating_out_of_plan=Sum("voted_amount", filter=operating & Q(is_in_plan=False), default=zero),
                investment=Sum("voted_amount", filter=Q(section=BudgetSection.INVESTISSEMENT), default=zero),
                total=Sum("voted_amount", default=zero),
            )
        )

    def summary_totals(self) -> dict:
        """The same sums as `summary_by_year`, over all years."""
        zero = Decimal("0.00")
        operating = Q(section=BudgetSection.FONCTIONNEMENT)
        return self.aggregate(
            operating_in_plan=Sum("voted_amount", filter=operating & Q(is_in_plan=True), default=zero),
            operating_out_of_plan=Sum("voted_amount", filter=operating & Q(is_in_plan=False), default=zero),
            investment=Sum("voted_amount", filter=Q(section=BudgetSection.INVESTISSEMENT), default=zero),
            total=Sum("voted_amount", default=zero),
        )

    def with_execution(self):
        """Each line's paid total, number of commitments and committed amount per kind of commitment
        (`committed_<kind>`), summed in SQL over one join with the commitments."""
        zero = Decimal("0.00")
        by_kind = {
            f"committed_{kind}": Sum("commitments__amount", filter=Q(commitments__kind=kind), default=zero)
            for kind in CommitmentKind.values
        }
        return self.annotate(
            paid_amount=Sum("commitments__paid_amount", default=zero),
            commitment_count=Count("commitments"),
            **by_kind,
        ).annotate(available=F("voted_amount") - F("committed_amount"))

    def totals_by_year_and_section(self):
        """Voted amounts per (year, section, in-plan), summed in SQL."""
        return (
            self.values("year", "section", "is_in_plan")
            .order_by("year", "section", "-is_in_plan")
            .annotate(total=Sum("voted_amount"))
        )


class BudgetLine(models.Model):
    """A line of the ESS budget voted by the council for one year and one section."""

    year = models.PositiveSmallIntegerField("exercice")
    section = models.CharField("section", max_length=20, choices=BudgetSection.choices)
    is_in_plan = models.BooleanField(
        "part allouée au plan", default=True, help_text="Décoché pour les lignes hors plan (emploi, insertion)."
    )
    code = models.SlugField("code", max_length=60)
    label = models.CharField("libellé", max_length=200)
    voted_amount = models.DecimalField(
        "montant voté (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    projected_amount = models.DecimalField(
        "montant prévu au plan (€)",
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text="Le chiffre du plan 2022–2026, chargé avec les données de référence.",
    )
    is_voted = models.BooleanField(
        "budget voté",
        default=False,
        help_text="Décoché, le montant est la projection du plan, en attendant le vote du budget de l’exercice.",
    )
    voted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vote enregistré par",
    )
    voted_at = models.DateTimeField("vote enregistré le", null=True, blank=True)
    committed_amount = models.DecimalField(
        "montant engagé (€)",
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        editable=False,
        help_text="Somme des engagements ; modifiée seulement par une mise à jour conditionnelle.",
    )

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        ordering = ["year", "section", "-is_in_plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_budget_line_code_per_year"),
            models.CheckConstraint(condition=Q(voted_amount__gte=0), name="budget_line_voted_amount_positive"),
            # The rule of the issue: commitments on a line never exceed its voted amount, whoever writes.
            models.CheckConstraint(
                condition=Q(committed_amount__gte=0) & Q(committed_amount__lte=F("voted_amount")),
                name="budget_line_committed_within_voted",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.year}, {self.get_section_display().lower()})"

    @property
    def is_projection(self) -> bool:
        """The amount is still the plan's projection: no vote of the year's budget recorded for this line."""
        return not self.is_voted

    @property
    def available_amount(self) -> Decimal:
        return self.voted_amount - self.committed_amount

    @property
    def committed_by_kind(self) -> list[tuple[str, str, Decimal]]:
        """(kind, label, committed) for each kind with a commitment on the line; needs `with_execution()`."""
        amounts = ((kind, label, getattr(self, f"committed_{kind}", None)) for kind, label in CommitmentKind.choices)
        return [(kind, label, amount) for kind, label, amount in amounts if amount]


class BudgetLineRevision(models.Model):
    """A recorded change of a line's voted amount: the vote of the year's budget, then each décision modificative,
    with its deliberation, who recorded it and when."""

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="revisions", verbose_name="ligne budgétaire"
    )
    kind = models.CharField("nature", max_length=20, choices=BudgetRevisionKind.choices)
    previous_amount = models.DecimalField("montant précédent (€)", max_digits=12, decimal_places=2)
    amount = models.DecimalField(
        "nouveau montant voté (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    deliberation_number = models.CharField("numéro de délibération", max_length=50, blank=True)
    deliberated_on = models.DateField("date de la délibération", null=True, blank=True)
    idempotency_key = models.CharField("clé d’idempotence", max_length=100, null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisi par"
    )
    recorded_at = models.DateTimeField("saisi le", auto_now_add=True)

    class Meta:
        verbose_name = "révision d’une ligne budgétaire"
        verbose_name_plural = "révisions des lignes budgétaires"
        ordering = ["budget_line", "recorded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="budget_revision_amount_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.budget_line} : {self.amount} €"
