from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum

from funding.enums import ApplicationStatus, BudgetSection


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

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        ordering = ["year", "section", "-is_in_plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_budget_line_code_per_year"),
            models.CheckConstraint(condition=Q(voted_amount__gte=0), name="budget_line_voted_amount_positive"),
        ]

    def __str__(self):
        return f"{self.label} ({self.year}, {self.get_section_display().lower()})"


class ApplicationQuerySet(models.QuerySet):
    def of_user(self, user):
        """Applications of the structures the user acts for."""
        return self.filter(actor__memberships__user=user, actor__memberships__is_active=True)

    def awaiting_instruction(self):
        return self.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW])


class Application(models.Model):
    """A grant application (dossier) of an ESS structure. The instruction workflow comes with the grants issue."""

    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, related_name="applications", verbose_name="structure"
    )
    title = models.CharField("intitulé du projet", max_length=200)
    requested_amount = models.DecimalField(
        "montant demandé (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(
        "état", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    submitted_at = models.DateTimeField("déposé le", null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de subvention"
        verbose_name_plural = "demandes de subvention"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(requested_amount__gte=0), name="application_requested_amount_positive"),
        ]

    def __str__(self):
        return self.title
