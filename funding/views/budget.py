"""Budget execution per year: voted, committed, paid and available per line and per section (sums in SQL).
Staff and admins read it, elected officials too."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ess_portal.exports import EXPORT_FORMATS, export_response
from ess_portal.formatting import format_euros
from funding.budget_services import record_budget_revision
from funding.enums import BudgetRevisionKind, BudgetSection, CommitmentKind
from funding.instruction_forms import BudgetRevisionForm
from funding.models import BudgetLine, Commitment
from funding.permissions import can_commit_spending, can_record_budget_vote, can_view_budget

ZERO = Decimal("0.00")


def _require_reader(user) -> None:
    if not can_view_budget(user):
        raise PermissionDenied("Le suivi budgétaire est réservé aux agents de la Métropole et aux élus.")


def execution_lines(year: int):
    """Budget lines of the year with their paid total and committed amount per kind (the committed total is stored
    on the line)."""
    return BudgetLine.objects.for_year(year).with_execution().order_by("section", "-is_in_plan", "position")


def committed_by_kind(lines) -> list[dict]:
    """The year's committed amount per kind of commitment, added up from the lines' SQL sums (a dozen lines)."""
    rows = []
    for kind, label in CommitmentKind.choices:
        amount = sum((getattr(line, f"committed_{kind}") for line in lines), ZERO)
        if amount:
            rows.append({"kind": kind, "label": label, "committed": amount})
    return rows


def execution_totals(year: int) -> list[dict]:
    """Per (section, in-plan) group and overall: voted, committed, paid, available — one SQL query each."""
    paid_by_group = {
        (row["budget_line__section"], row["budget_line__is_in_plan"]): row["paid"]
        for row in Commitment.objects.filter(budget_line__year=year)
        .values("budget_line__section", "budget_line__is_in_plan")
        .annotate(paid=Sum("paid_amount"))
        .order_by()
    }
    groups = list(
        BudgetLine.objects.for_year(year)
        .values("section", "is_in_plan")
        .annotate(voted=Sum("voted_amount"), committed=Sum("committed_amount"), count=Count("pk"))
        .order_by("section", "-is_in_plan")
    )
    labels = dict(BudgetSection.choices)
    for group in groups:
        group["label"] = labels[group["section"]] + ("" if group["is_in_plan"] else " (hors plan)")
        group["paid"] = paid_by_group.get((group["section"], group["is_in_plan"]), ZERO)
        group["available"] = group["voted"] - group["committed"]
    return groups


@require_GET
def budget_current(request):
    _require_reader(request.user)
    years = list(BudgetLine.objects.values_list("year", flat=True).distinct().order_by("year"))
    if not years:
        raise Http404("Aucun budget voté.")
    this_year = timezone.localdate().year
    return redirect("funding:budget_execution", year=this_year if this_year in years else years[-1])


def line_totals(lines) -> dict:
    """The year's totals over its lines (a dozen rows already read), for the foot of the lines' table."""
    keys = ("commitment_count", "voted_amount", "committed_amount", "paid_amount", "available")
    return {key: sum((getattr(line, key) for line in lines), 0) for key in keys}


def export_header() -> list[str]:
    kinds = [f"Engagé – {label} (€)" for _, label in CommitmentKind.choices]
    return [
        "Exercice",
        "Section",
        "Part du plan",
        "Code",
        "Ligne",
        "Statut du montant",
        "Engagements",
        "Voté ou prévu (€)",
        "Engagé (€)",
        *kinds,
        "Versé (€)",
        "Disponible (€)",
    ]


def _euros(amount) -> Decimal:
    # SQLite's sums lose the scale (30000 for 30000.00): every amount leaves with its two decimals.
    return Decimal(amount).quantize(Decimal("0.01"))


def export_rows(lines):
    for line in lines:
        yield [
            line.year,
            line.get_section_display(),
            line.is_in_plan,
            line.code,
            line.label,
            "projection du plan" if line.is_projection else "voté",
            line.commitment_count,
            _euros(line.voted_amount),
            _euros(line.committed_amount),
            *(_euros(getattr(line, f"committed_{kind}")) for kind in CommitmentKind.values),
            _euros(line.paid_amount),
            _euros(line.available),
        ]


@require_GET
def budget_export(request, year: int, export_format: str):
    """/financements/budget/<year>/export/<csv|xlsx|ods>/: the lines' table of the page, one row per line."""
    _require_reader(request.user)
    if export_format not in EXPORT_FORMATS:
        raise Http404("Format d’export inconnu.")
    lines = list(execution_lines(year))
    if not lines:
        raise Http404("Aucun budget voté pour cet exercice.")
    filename = f"execution-budgetaire-{year}.{export_format}"
    return export_response(
        filename, export_header(), export_rows(lines), export_format=export_format, title=f"Exécution {year}"
    )


@require_GET
def budget_execution(request, year: int):
    _require_reader(request.user)
    lines = list(execution_lines(year))
    if not lines:
        raise Http404("Aucun budget voté pour cet exercice.")
    groups = execution_totals(year)
    # Adding up the few group rows (at most four), not the applications.
    total = {key: sum((group[key] for group in groups), ZERO) for key in ("voted", "committed", "paid", "available")}
    years = list(BudgetLine.objects.values_list("year", flat=True).distinct().order_by("year"))
    return render(
        request,
        "funding/budget_execution.html",
        {
            "year": year,
            "years": years,
            "lines": lines,
            "line_totals": line_totals(lines),
            "groups": groups,
            "total": total,
            "by_kind": committed_by_kind(lines),
            "can_commit_spending": can_commit_spending(request.user),
            "can_record_vote": can_record_budget_vote(request.user),
            "has_projection": any(line.is_projection for line in lines),
            "rate": (total["committed"] / total["voted"] * 100) if total["voted"] else ZERO,
        },
    )


@require_http_methods(["GET", "POST"])
def budget_line_revision(request, year: int, pk: int):
    """Record the vote of the line's budget, or a décision modificative once it is voted; with the line's history."""
    if not can_record_budget_vote(request.user):
        raise PermissionDenied("Seul le service ESS enregistre le vote du budget et ses décisions modificatives.")
    line = get_object_or_404(BudgetLine, pk=pk, year=year)
    kind = BudgetRevisionKind.AMENDMENT if line.is_voted else BudgetRevisionKind.VOTE
    form = BudgetRevisionForm(request.POST or None, initial={"amount": line.voted_amount})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revision = record_budget_revision(
                budget_line=line,
                kind=kind,
                amount=data["amount"],
                by=request.user,
                deliberation_number=data["deliberation_number"],
                deliberated_on=data["deliberated_on"],
                idempotency_key=f"budget-revision:{data['form_key']}",
            )
        except ValidationError as error:
            field = "amount" if getattr(error, "code", None) in ("amount", "below_committed") else None
            form.add_error(field, error)
        else:
            done = (
                "Vote du budget enregistré" if kind == BudgetRevisionKind.VOTE else "Décision modificative enregistrée"
            )
            messages.success(request, f"{done} pour « {line.label} » : {format_euros(revision.amount)}.")
            return redirect("funding:budget_execution", year=year)
    revisions = line.revisions.select_related("recorded_by")
    return render(
        request,
        "funding/budgetline_revision_form.html",
        {
            "line": line,
            "kind": kind,
            "kind_label": BudgetRevisionKind(kind).label,
            "form": form,
            "revisions": revisions,
        },
    )
