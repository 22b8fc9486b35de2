"""What an indicator report shows, for its PDF and its XLSX.

Yearly figures (indicators vs targets, budget voted / committed / paid, aids by filière and by commune) are those of
the dashboard for the year the period ends in (`programme.dashboard`, same queries and same charts); the period's
own activity (applications submitted, aids granted, commitments and payments made between its two dates) is
`programme.reports.period_activity`; the plan's progress is its state on the day the report is produced.
"""

import datetime
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.safestring import SafeString
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ess_portal.formatting import format_number
from programme.dashboard import DashboardData, build_charts, dashboard_data
from programme.indicators import format_measure
from programme.models import IndicatorReport
from programme.reports import Period, PeriodActivity, long_date, period_activity

EUROS_FORMAT = '#,##0.00\\ "€"'
PERCENT_FORMAT = '0.0\\ "%"'
HEADER_FILL = PatternFill("solid", fgColor="F3EBEC")


def format_percent(value) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    return f"{format_number(value, 0 if value == value.to_integral_value() else 1)}\u00a0%"


@dataclass
class IndicatorRow:
    name: str
    kind_label: str
    unit: str
    target: Decimal | None
    value: Decimal | None
    rate: Decimal | None

    @property
    def target_display(self) -> str:
        return format_measure(self.target, self.unit)

    @property
    def value_display(self) -> str:
        return format_measure(self.value, self.unit)

    @property
    def rate_display(self) -> str:
        return format_percent(self.rate)


@dataclass
class ReportContent:
    report: IndicatorReport
    period: Period
    generated_on: datetime.date
    data: DashboardData
    activity: PeriodActivity

    @property
    def year(self) -> int:
        return self.data.year

    @property
    def indicators(self) -> list[IndicatorRow]:
        return [
            IndicatorRow(
                name=indicator.name,
                kind_label=indicator.kind_label,
                unit=indicator.unit,
                target=indicator.target,
                value=indicator.value,
                rate=indicator.rate,
            )
            for indicator in self.data.indicators
        ]

    @property
    def period_is_the_year(self) -> bool:
        return (self.period.starts_on, self.period.ends_on) == (
            datetime.date(self.year, 1, 1),
            datetime.date(self.year, 12, 31),
        )


def report_content(report: IndicatorReport, *, today: datetime.date | None = None) -> ReportContent:
    period = Period(report.period_kind, report.starts_on, report.ends_on)
    today = today or timezone.localdate()
    return ReportContent(
        report=report,
        period=period,
        generated_on=today,
        data=dashboard_data(period.year, today=today),
        activity=period_activity(report.starts_on, report.ends_on),
    )


def pdf_context(content: ReportContent) -> dict:
    """The variables of templates/programme/pdf/indicator_report.html (rendered strictly: all must be present)."""
    data = content.data
    return {
        "report": content.report,
        "period": content.period,
        "year": content.year,
        "period_is_the_year": content.period_is_the_year,
        "generated_on": content.generated_on,
        "generated_on_display": long_date(content.generated_on),
        "indicators": content.indicators,
        "budget_sections": data.budget_sections,
        "budget_lines": data.budget_lines,
        "budget_total": data.budget_total,
        "aids_by_filiere": data.aids_by_filiere,
        "aids_by_commune": data.aids_by_commune,
        "aids_total": data.aids_total,
        "axes": data.axes,
        "overdue_milestones": data.overdue_milestones,
        "activity": content.activity,
        "charts": {name: _for_print(svg) for name, svg in build_charts(data).items()},
    }


def _for_print(svg: str) -> SafeString:
    """The dashboard's chart drawn in the PDF's condensed sans-serif: WeasyPrint resolves `system-ui` to a wider
    face than browsers do, and long category labels would overflow the chart's label margin."""
    return SafeString(svg.replace('font-family="system-ui, sans-serif"', 'font-family="DejaVu Sans Condensed"', 1))


# --- XLSX ---


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], *, formats: dict[int, str]):
    """A sheet with a bold header row, frozen under it, number formats per column (0-based index)."""
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for column, number_format in formats.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = number_format
    for index, title_text in enumerate(header, start=1):
        longest = max([len(str(title_text))] + [len(str(row[index - 1] or "")) for row in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(12, longest + 2))
    sheet.freeze_panes = "A2"
    return sheet


def write_workbook(content: ReportContent):
    """The report's figures as an XLSX workbook in a temporary file (deleted when closed), positioned at its start.

    Sheets: Période, Indicateurs, Budget, Aides par filière, Aides par commune, Plan d’actions. Amounts are numbers
    with a euro format, so that they add up in a spreadsheet."""
    data, activity, period = content.data, content.activity, content.period
    workbook = Workbook()
    workbook.remove(workbook.active)
    money = EUROS_FORMAT
    _sheet(
        workbook,
        "Période",
        ["Rubrique", "Valeur", "Ce que couvre la valeur"],
        [
            ["Rapport", content.report.title, ""],
            ["Du", period.starts_on, ""],
            ["Au", period.ends_on, ""],
            ["Produit le", content.generated_on, ""],
            ["Demandes déposées", activity.submitted_count, "déposées entre les deux dates"],
            ["Aides accordées (nombre)", activity.granted_count, "décisions favorables du conseil dans la période"],
            ["Aides accordées (montant)", activity.granted_amount, "montants accordés par ces décisions"],
            ["Engagements (nombre)", activity.committed_count, "engagements comptables saisis dans la période"],
            ["Engagements (montant)", activity.committed_amount, "montants engagés dans la période"],
            ["Versements (nombre)", activity.paid_count, "versements effectués dans la période"],
            ["Versements (montant)", activity.paid_amount, "montants versés dans la période"],
        ],
        formats={},
    )
    period_sheet = workbook["Période"]
    for row in (3, 4, 5):
        period_sheet.cell(row=row, column=2).number_format = "DD/MM/YYYY"
    for row in (8, 10, 12):
        period_sheet.cell(row=row, column=2).number_format = money

    _sheet(
        workbook,
        "Indicateurs",
        ["Indicateur", "Type", "Unité", f"Cible {data.year}", f"Valeur {data.year}", "Part de la cible (%)"],
        [[row.name, row.kind_label, row.unit, row.target, row.value, row.rate] for row in content.indicators],
        formats={5: PERCENT_FORMAT},
    )
    budget_rows = [
        [row.label, row.section_label, row.voted, row.committed, row.paid, row.available, row.commitment_count]
        for row in data.budget_lines
    ]
    total = data.budget_total
    budget_rows.append(
        ["Total", "", total.voted, total.committed, total.paid, total.available, total.commitment_count]
    )
    _sheet(
        workbook,
        "Budget",
        [
            f"Ligne budgétaire {data.year}",
            "Section",
            "Voté (€)",
            "Engagé (€)",
            "Versé (€)",
            "Disponible (€)",
            "Engagements",
        ],
        budget_rows,
        formats={2: money, 3: money, 4: money, 5: money},
    )
    for title, rows, total_row in (
        ("Aides par filière", data.aids_by_filiere, data.aids_total),
        ("Aides par commune", data.aids_by_commune, data.aids_total),
    ):
        _sheet(
            workbook,
            title,
            ["Filière" if title.endswith("filière") else "Commune", "Engagé (€)", "Versé (€)", "Aides"],
            [[row.label, row.committed, row.paid, row.application_count] for row in rows]
            + [["Total", total_row.committed, total_row.paid, total_row.application_count]],
            formats={1: money, 2: money},
        )
    plan_rows = []
    for axis in data.axes:
        plan_rows.append([f"Axe {axis.number}", axis.title, "", axis.progress, "", axis.overdue_milestones])
        for action in axis.actions:
            plan_rows.append(
                [
                    action.code,
                    action.title,
                    action.status_label,
                    action.progress,
                    action.responsible_service,
                    action.overdue_milestones,
                ]
            )
    _sheet(
        workbook,
        "Plan d’actions",
        ["Code", "Intitulé", "État", "Avancement (%)", "Service responsable", "Jalons en retard"],
        plan_rows,
        formats={},
    )
    output = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(output)
    output.seek(0)
    return output
