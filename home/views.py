"""The landing page and one home page per role: what composes every app, so it lives above them all."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.enums import Role
from actors.enums import LegalForm
from actors.models import Actor, ActorClaim, Commune
from ess_portal.charts import Series, stacked_bar_chart
from ess_portal.views import role_required
from filieres.models import Filiere
from funding.compliance import open_data_overdue
from funding.enums import ApplicationStatus
from funding.models import Application, BudgetLine, CoFinancing
from procurement.asr.models import AsrListing
from procurement.contracts.models import Contract
from procurement.enums import ReservedArticle, SourcingStatus
from procurement.sourcing.models import SourcingRequest
from programme.models import Action
from quadripartite.models import Decision, Meeting, Partner, meeting_rhythm, partner_of

ROLE_HOME_URL_NAMES = {
    Role.STAFF: "staff_home",
    Role.APPLICANT: "applicant_home",
    Role.ELECTED: "elected_home",
    Role.PROCUREMENT: "procurement_home",
    Role.PARTNER: "partner_home",
    Role.ADMIN: "admin_home",
}


@login_not_required
def home(request):
    if request.user.is_authenticated and request.user.main_role:
        return redirect(ROLE_HOME_URL_NAMES[request.user.main_role])
    return render(request, "home/public_home.html")


def _budget_year(years: list[int]) -> int | None:
    """The current year if the budget has it, else the latest voted year."""
    this_year = timezone.localdate().year
    if this_year in years:
        return this_year
    return max(years, default=None)


@role_required(Role.STAFF)
def staff_home(request):
    actor_counts = Actor.objects.aggregate(
        active=Count("pk", filter=Q(is_archived=False)),
        public=Count("pk", filter=Q(is_archived=False, is_public=True)),
    )
    application_counts = Application.objects.aggregate(
        to_instruct=Count("pk", filter=Q(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW])),
        info_requested=Count("pk", filter=Q(status=ApplicationStatus.INFO_REQUESTED)),
        proposed=Count("pk", filter=Q(status=ApplicationStatus.PROPOSED)),
    )
    summary = list(BudgetLine.objects.summary_by_year())
    year = _budget_year([row["year"] for row in summary])
    budget = next((row for row in summary if row["year"] == year), None)
    return render(
        request,
        "home/staff_home.html",
        {
            "actor_counts": actor_counts,
            "application_counts": application_counts,
            "budget": budget,
            "pending_claims": ActorClaim.objects.pending().count(),
            "open_data_overdue": list(open_data_overdue(today=timezone.localdate()).select_related("actor")[:10]),
        },
    )


@role_required(Role.APPLICANT)
def applicant_home(request):
    memberships = request.user.memberships.active().select_related("actor__commune")
    applications = Application.objects.of_user(request.user).select_related("actor")
    return render(request, "home/applicant_home.html", {"memberships": memberships, "applications": applications})


@role_required(Role.ELECTED)
def elected_home(request):
    summary = list(BudgetLine.objects.summary_by_year())
    chart = None
    if summary:
        chart = stacked_bar_chart(
            title="Budget ESS voté par année et par section",
            description="Montants votés en euros, de "
            f"{summary[0]['year']} à {summary[-1]['year']}, empilés par section : fonctionnement (part du plan), "
            "fonctionnement hors plan et investissement. Les valeurs exactes figurent dans le tableau.",
            categories=[str(row["year"]) for row in summary],
            series=[
                Series("Fonctionnement – plan ESS", [row["operating_in_plan"] for row in summary]),
                Series("Fonctionnement – hors plan", [row["operating_out_of_plan"] for row in summary]),
                Series("Investissement", [row["investment"] for row in summary]),
            ],
        )
    totals = BudgetLine.objects.summary_totals()
    return render(request, "home/elected_home.html", {"summary": summary, "totals": totals, "chart": chart})


@role_required(Role.PROCUREMENT)
def procurement_home(request):
    """The buyer's desk: search the directory, the suppliers by reserved article, their open sourcing requests,
    the insertion clauses running late, and the registry at a glance."""
    today = timezone.localdate()
    actors = Actor.objects.active()
    counts = actors.values("legal_form").annotate(count=Count("pk"))
    by_legal_form = {row["legal_form"]: row["count"] for row in counts}
    legal_forms = [(label, by_legal_form.get(value, 0)) for value, label in LegalForm.choices]
    # No DISTINCT: an actor is linked at most once to a filière.
    filieres = Filiere.objects.annotate(actor_count=Count("actors", filter=Q(actors__is_archived=False))).order_by(
        "code"
    )
    eligibility = AsrListing.objects.published(today).eligibility_counts(today)
    open_requests = (
        SourcingRequest.objects.of_buyer(request.user)
        .sent()
        .filter(status=SourcingStatus.OPEN, answer_by__gte=today)
        .with_answer_counts()
        .order_by("answer_by", "pk")[:5]
    )
    contracts = Contract.objects.with_insertion_totals(today).aggregate(
        total=Count("pk"), late=Count("pk", filter=Q(is_late=True))
    )
    return render(
        request,
        "home/procurement_home.html",
        {
            "actor_total": sum(count for _, count in legal_forms),
            "legal_forms": legal_forms,
            "filieres": filieres,
            "listing_total": eligibility.pop("total"),
            "articles": [(value, label, eligibility[value]) for value, label in ReservedArticle.choices],
            "open_requests": open_requests,
            "contracts": contracts,
        },
    )


@role_required(Role.PARTNER)
def partner_home(request):
    """What the partner's collectivity must do (its open decisions, late first), the committees' organisers and
    the last and next meetings, the projects it co-finances."""
    today = timezone.localdate()
    partner = partner_of(request.user)
    rhythm = meeting_rhythm([today.year, today.year + 1])
    decisions = Decision.objects.none()
    cofinancings = CoFinancing.objects.none()
    if partner is not None:
        decisions = Decision.objects.open().filter(owner=partner).select_related("meeting").follow_up_order()[:10]
        cofinancings = (
            CoFinancing.objects.filter(partner=partner)
            .select_related("application__actor")
            .order_by("-year", "application_id")[:10]
        )
    return render(
        request,
        "home/partner_home.html",
        {
            "partner": partner,
            "this_year": rhythm[0],
            "next_year": rhythm[1],
            "last_meeting": Meeting.objects.filter(held_on__lte=today).first(),
            "next_meeting": Meeting.objects.filter(held_on__gt=today).last(),
            "decisions": decisions,
            "cofinancings": cofinancings,
            "today": today,
            "partners": Partner.objects.signatories(),
            "facilitated_contract_count": request.user.facilitated_contracts.count(),
        },
    )


@role_required(Role.ADMIN)
def admin_home(request):
    groups = Group.objects.filter(name__in=Role.values).annotate(user_count=Count("user"))
    counts_by_role = {group.name: group.user_count for group in groups}
    return render(
        request,
        "home/admin_home.html",
        {
            "roles": [(role.label, counts_by_role.get(role.value, 0)) for role in Role],
            "reference_counts": [
                ("Communes", Commune.objects.count()),
                ("Filières", Filiere.objects.count()),
                ("Actions du plan", Action.objects.count()),
                ("Lignes budgétaires", BudgetLine.objects.count()),
                ("Partenaires", Partner.objects.count()),
            ],
        },
    )
