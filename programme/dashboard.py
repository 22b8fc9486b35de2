"""The elected officials' dashboard of one year: budget voted / committed / paid, aids by filière and by commune,
the action plan's progress and the indicators against their targets.

`dashboard_data(year)` gathers every figure with SQL aggregates (a fixed number of queries, whatever the number of
applications) into plain Python values and Decimals; `build_charts(data)` draws them as SVG. The web page
(`programme/dashboard_views.py`) and the PDF indicator report both call these two functions.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from ess_portal.charts import PALETTE, ProgressItem, Series, horizontal_bar_chart, progress_chart
from ess_portal.formatting import format_euros, format_number, percentage
from filieres.models import Filiere
from funding.models import Commitment
from funding.views.budget import committed_by_kind, execution_lines, execution_totals
from programme.enums import ActionStatus
from programme.models import Axis, Indicator

PLAN_YEARS = list(range(2022, 2027))
ZERO = Decimal("0.00")
NO_FILIERE_LABEL = "Sans filière"


def default_year(*, today: datetime.date | None = None) -> int:
    """The current year, brought back within the plan's years (2022–2026)."""
    year = (today or timezone.localdate()).year
    return min(max(year, PLAN_YEARS[0]), PLAN_YEARS[-1])


def parse_year(value, *, today: datetime.date | None = None) -> int:
    """The year asked for in the URL (`?annee=2024`) if it is one of the plan's years, else the default year."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return default_year(today=today)
    return year if year in PLAN_YEARS else default_year(today=today)


def format_quantity(value: Decimal | None, unit: str) -> str:
    """`45000` € → `45 000,00 €`; `12` structures → `12 structures`; `3.5` ETP → `3,5 ETP`; None → ``."""
    if value is None:
        return ""
    if unit.strip() == "€":
        return format_euros(value)
    decimals = 0 if value == value.to_integral_value() else len(str(value.normalize()).partition(".")[2])
    return f"{format_number(value, min(decimals, 2))}\u00a0{unit}".strip()


@dataclass
class BudgetFigures:
    """Voted, committed, paid and available amounts of a budget line, a section or the whole year."""

    label: str
    voted: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal
    section: str = ""
    section_label: str = ""
    is_in_plan: bool = True
    commitment_count: int = 0
    is_projection: bool = False  # a line whose amount is still the plan's projection (vote not recorded)
    # (kind label, committed) for each kind of commitment with an amount: grants, SCIC shares, foncière…
    committed_by_kind: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def committed_rate(self) -> Decimal | None:
        return percentage(self.committed, self.voted)

    @property
    def paid_rate(self) -> Decimal | None:
        return percentage(self.paid, self.committed)


@dataclass
class AidFigures:
    """Aids committed on the year's budget lines for one filière or one commune (the applicant's commune)."""

    label: str
    committed: Decimal
    paid: Decimal
    application_count: int
    key: str = ""


@dataclass
class ActionProgress:
    code: str
    title: str
    status: str
    status_label: str
    progress: int
    responsible_service: str
    overdue_milestones: int
    is_sub_action: bool = False


@dataclass
class AxisProgress:
    number: int
    title: str
    sheet_title: str
    progress: int
    actions: list[ActionProgress]

    @property
    def overdue_milestones(self) -> int:
        return sum(action.overdue_milestones for action in self.actions)

    @property
    def done_count(self) -> int:
        return sum(1 for action in self.actions if action.status == ActionStatus.DONE)


@dataclass
class IndicatorFigures:
    code: str
    name: str
    kind: str
    kind_label: str
    unit: str
    target: Decimal | None
    value: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        """How much of the target is reached, in % (None without target or measurement)."""
        return percentage(self.value, self.target)

    @property
    def value_label(self) -> str:
        return format_quantity(self.value, self.unit)

    @property
    def target_label(self) -> str:
        return format_quantity(self.target, self.unit)


@dataclass
class DashboardData:
    year: int
    today: datetime.date
    budget_sections: list[BudgetFigures] = field(default_factory=list)
    budget_lines: list[BudgetFigures] = field(default_factory=list)
    budget_total: BudgetFigures | None = None
    aids_by_filiere: list[AidFigures] = field(default_factory=list)
    aids_by_commune: list[AidFigures] = field(default_factory=list)
    aids_total: AidFigures | None = None
    axes: list[AxisProgress] = field(default_factory=list)
    indicators: list[IndicatorFigures] = field(default_factory=list)

    @property
    def overdue_milestones(self) -> int:
        return sum(axis.overdue_milestones for axis in self.axes)


def _budget(year: int) -> tuple[list[BudgetFigures], list[BudgetFigures], BudgetFigures]:
    """The budget execution page's own queries (funding/views/budget.py), turned into plain figures."""
    line_rows = list(execution_lines(year))
    lines = [
        BudgetFigures(
            label=line.label,
            voted=line.voted_amount,
            committed=line.committed_amount,
            paid=line.paid_amount,
            available=line.available,
            section=line.section,
            section_label=line.get_section_display() + ("" if line.is_in_plan else " (hors plan)"),
            is_in_plan=line.is_in_plan,
            commitment_count=line.commitment_count,
            committed_by_kind=[(label, amount) for _kind, label, amount in line.committed_by_kind],
            is_projection=line.is_projection,
        )
        for line in line_rows
    ]
    sections = [
        BudgetFigures(
            label=group["label"],
            voted=group["voted"],
            committed=group["committed"],
            paid=group["paid"],
            available=group["available"],
            section=group["section"],
            section_label=group["label"],
            is_in_plan=group["is_in_plan"],
            commitment_count=sum(
                line.commitment_count
                for line in lines
                if (line.section, line.is_in_plan) == (group["section"], group["is_in_plan"])
            ),
        )
        for group in execution_totals(year)
    ]
    # Adding up the few section rows (at most four), not the applications.
    total = BudgetFigures(
        label="Total",
        **{key: sum((getattr(s, key) for s in sections), ZERO) for key in ("voted", "committed", "paid", "available")},
        commitment_count=sum(line.commitment_count for line in lines),
        committed_by_kind=[(row["label"], row["committed"]) for row in committed_by_kind(line_rows)],
    )
    return sections, lines, total


def _aid_rows(year: int, key: str, label: str) -> list[dict]:
    """Grants committed on the year's budget lines grouped by `key` (a path from Commitment), summed in SQL; the
    other spending (SCIC shares, foncière, memberships, studies) has no applicant and shows in the budget only."""
    return list(
        Commitment.objects.grants()
        .for_year(year)
        .values(key, label)
        .annotate(committed=Sum("amount"), paid=Sum("paid_amount"), count=Count("pk"))
        .order_by()
    )


def _aids_by_filiere(year: int) -> list[AidFigures]:
    """The four filières always (even without aid), then « Sans filière » when some aids have none."""
    rows = {
        row["application__filiere"]: row
        for row in _aid_rows(year, "application__filiere", "application__filiere__name")
    }
    figures = []
    for filiere in Filiere.objects.order_by("code"):
        row = rows.get(filiere.pk, {})
        figures.append(
            AidFigures(
                label=filiere.name,
                committed=row.get("committed", ZERO),
                paid=row.get("paid", ZERO),
                application_count=row.get("count", 0),
                key=filiere.code,
            )
        )
    if None in rows:
        row = rows[None]
        figures.append(
            AidFigures(
                label=NO_FILIERE_LABEL, committed=row["committed"], paid=row["paid"], application_count=row["count"]
            )
        )
    return figures


def _aids_by_commune(year: int) -> list[AidFigures]:
    """Communes whose structures received an aid on the year's lines, the largest committed amount first."""
    rows = _aid_rows(year, "application__actor__commune__insee_code", "application__actor__commune__name")
    figures = [
        AidFigures(
            label=row["application__actor__commune__name"],
            committed=row["committed"],
            paid=row["paid"],
            application_count=row["count"],
            key=row["application__actor__commune__insee_code"],
        )
        for row in rows
    ]
    return sorted(figures, key=lambda figure: (-figure.committed, figure.label))


def _plan(today: datetime.date) -> list[AxisProgress]:
    axes = []
    for axis in Axis.objects.with_plan(today=today):
        actions = []
        for top in axis.sheet.top_actions:
            for action in [top, *top.sub_actions]:
                actions.append(
                    ActionProgress(
                        code=action.code,
                        title=action.title,
                        status=action.status_value,
                        status_label=action.status_label,
                        progress=action.progress_value,
                        responsible_service=action.responsible_service,
                        overdue_milestones=len(action.overdue_milestones),
                        is_sub_action=action.parent_id is not None,
                    )
                )
        axes.append(
            AxisProgress(
                number=axis.number,
                title=axis.title,
                sheet_title=axis.sheet.title,
                progress=axis.progress_value,
                actions=actions,
            )
        )
    return axes


def _indicators(year: int) -> list[IndicatorFigures]:
    return [
        IndicatorFigures(
            code=indicator.code,
            name=indicator.name,
            kind=indicator.kind,
            kind_label=indicator.get_kind_display(),
            unit=indicator.unit,
            target=indicator.target,
            value=indicator.value,
        )
        for indicator in Indicator.objects.active().for_year(year)
    ]


def dashboard_data(year: int, *, today: datetime.date | None = None) -> DashboardData:
    """Every figure of the dashboard for `year`. The plan's progress is its state on `today` (default: today);
    budget and aids are those of the year's budget lines; indicators are the year's targets and measurements."""
    today = today or timezone.localdate()
    sections, lines, total = _budget(year)
    by_filiere = _aids_by_filiere(year)
    aids_total = AidFigures(
        label="Total",
        committed=sum((row.committed for row in by_filiere), ZERO),
        paid=sum((row.paid for row in by_filiere), ZERO),
        application_count=sum(row.application_count for row in by_filiere),
    )
    return DashboardData(
        year=year,
        today=today,
        budget_sections=sections,
        budget_lines=lines,
        budget_total=total,
        aids_by_filiere=by_filiere,
        aids_by_commune=_aids_by_commune(year),
        aids_total=aids_total,
        axes=_plan(today),
        indicators=_indicators(year),
    )


# --- Charts -------------------------------------------------------------------------------------------------

BUDGET_SERIES_COLOURS = (PALETTE[1], PALETTE[0], PALETTE[2])


def _budget_series(rows: list[BudgetFigures]) -> list[Series]:
    voted, committed, paid = BUDGET_SERIES_COLOURS
    return [
        Series("Voté", [row.voted for row in rows], voted),
        Series("Engagé", [row.committed for row in rows], committed),
        Series("Versé", [row.paid for row in rows], paid),
    ]


def _aid_series(rows: list[AidFigures]) -> list[Series]:
    return [
        Series("Engagé", [row.committed for row in rows], PALETTE[0]),
        Series("Versé", [row.paid for row in rows], PALETTE[2]),
    ]


def _percent(value: Decimal | None) -> str:
    return f"{format_number(value, 1 if value % 1 else 0)}\u00a0%" if value is not None else "non mesuré"


def _achievement_label(indicator: "IndicatorFigures") -> str:
    """The % of the target reached; a measured indicator without a target for the year says so."""
    if indicator.rate is None and indicator.value is not None and indicator.target is None:
        return "sans cible"
    return _percent(indicator.rate)


def build_charts(data: DashboardData) -> dict[str, str]:
    """SVG markup of each chart, keyed by section: `budget_sections`, `budget_lines`, `aids_by_filiere`,
    `aids_by_commune`, `plan_progress`, `indicators`. A chart with nothing to draw is an empty string; show the
    section's data table (or its empty state) anyway."""
    year = data.year
    charts = dict.fromkeys(
        ("budget_sections", "budget_lines", "aids_by_filiere", "aids_by_commune", "plan_progress", "indicators"), ""
    )
    if data.budget_sections:
        charts["budget_sections"] = horizontal_bar_chart(
            title=f"Budget {year} : voté, engagé et versé par section",
            description="Montants en euros pour chaque section du budget ESS (fonctionnement du plan, fonctionnement "
            "hors plan, investissement) : crédits votés, engagés et versés. Les valeurs exactes figurent dans le "
            "tableau qui suit.",
            categories=[row.label for row in data.budget_sections],
            series=_budget_series(data.budget_sections),
        )
    if data.budget_lines:
        charts["budget_lines"] = horizontal_bar_chart(
            title=f"Budget {year} : voté, engagé et versé par ligne budgétaire",
            description=f"Montants en euros des {len(data.budget_lines)} lignes budgétaires de {year} : crédits "
            "votés, engagés et versés. Les valeurs exactes figurent dans le tableau qui suit.",
            categories=[row.label for row in data.budget_lines],
            series=_budget_series(data.budget_lines),
        )
    if data.aids_total and data.aids_total.committed:
        charts["aids_by_filiere"] = horizontal_bar_chart(
            title=f"Aides {year} par filière : engagé et versé",
            description="Montants en euros des aides engagées et versées sur les lignes de l’exercice, pour chacune "
            "des quatre filières prioritaires. Les valeurs exactes figurent dans le tableau qui suit.",
            categories=[row.label for row in data.aids_by_filiere],
            series=_aid_series(data.aids_by_filiere),
        )
    if data.aids_by_commune:
        charts["aids_by_commune"] = horizontal_bar_chart(
            title=f"Aides {year} par commune de la structure aidée : engagé et versé",
            description=f"Montants en euros engagés et versés pour les {len(data.aids_by_commune)} communes dont une "
            "structure a reçu une aide, de la plus aidée à la moins aidée. Les valeurs exactes figurent dans le "
            "tableau qui suit.",
            categories=[row.label for row in data.aids_by_commune],
            series=_aid_series(data.aids_by_commune),
        )
    if data.axes:
        items = []
        for axis in data.axes:
            items.append(
                ProgressItem(f"Axe {axis.number} – {axis.title}", axis.progress, f"{axis.progress}\u00a0%", PALETTE[0])
            )
            items.extend(
                ProgressItem(f"{action.code} {action.title}", action.progress, f"{action.progress}\u00a0%", PALETTE[1])
                for action in axis.actions
                if not action.is_sub_action
            )
        charts["plan_progress"] = progress_chart(
            title="Avancement du plan d’actions par axe et par action",
            description=f"Avancement en pourcentage des {len(data.axes)} axes du plan et de leurs actions au "
            f"{data.today:%d/%m/%Y}. Les valeurs exactes et les sous-actions figurent dans le tableau qui suit.",
            items=items,
        )
    if data.indicators:
        charts["indicators"] = progress_chart(
            title=f"Indicateurs {year} : part de la cible atteinte",
            description=f"Pour chacun des {len(data.indicators)} indicateurs actifs, la valeur mesurée en {year} "
            "rapportée à sa cible, en pourcentage (100 % : cible atteinte). Les valeurs et cibles figurent dans le "
            "tableau qui suit.",
            items=[
                ProgressItem(indicator.name, indicator.rate, _achievement_label(indicator))
                for indicator in data.indicators
            ],
        )
    return charts
