"""Council sessions: list, creation, the session page (proposed applications, totals by budget line and
section) and its bulk decision. Staff act; elected officials read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from funding import services
from funding.enums import ApplicationStatus
from funding.instruction_forms import CouncilSessionForm, SessionDecidedOnForm, SessionDecisionFormSet
from funding.models import Application, CouncilSession
from funding.permissions import can_manage_sessions, can_view_instruction


def _require_reader(user) -> None:
    if not can_view_instruction(user):
        raise PermissionDenied("Les séances du conseil sont réservées aux agents de la Métropole et aux élus.")


def _require_manager(user) -> None:
    if not can_manage_sessions(user):
        raise PermissionDenied("Seul le service ESS prépare les séances du conseil.")


@require_GET
def session_list(request):
    _require_reader(request.user)
    sessions = CouncilSession.objects.annotate(
        proposed_count=Count("applications", filter=Q(applications__status=ApplicationStatus.PROPOSED)),
        decided_count=Count("decisions", distinct=True),
        proposed_total=Sum("applications__proposed_amount", filter=Q(applications__status=ApplicationStatus.PROPOSED)),
    ).order_by("-sits_on")
    return render(
        request, "funding/session_list.html", {"sessions": sessions, "can_manage": can_manage_sessions(request.user)}
    )


@require_http_methods(["GET", "POST"])
def session_create(request):
    _require_manager(request.user)
    form = CouncilSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, f"Séance du {session.sits_on:%d/%m/%Y} créée.")
        return redirect("funding:session_detail", pk=session.pk)
    return render(request, "funding/session_form.html", {"form": form})


def _proposed(session):
    return (
        Application.objects.filter(council_session=session, status=ApplicationStatus.PROPOSED)
        .select_related("actor", "scheme", "scheme__budget_line")
        .order_by("scheme__budget_line__section", "scheme__budget_line__position", "actor__name", "pk")
    )


def _initial(session, applications) -> list[dict]:
    # Deliberation numbers prefilled « <year>-<n> » in agenda order; staff adjust them to the council's numbers.
    return [
        {
            "application_id": application.pk,
            "approved": "1",
            "amount": application.proposed_amount,
            "deliberation_number": f"{session.sits_on.year}-{n}",
        }
        for n, application in enumerate(applications, start=1)
    ]


def _render_detail(request, session, formset=None, decided_on_form=None):
    applications = list(_proposed(session))
    can_manage = can_manage_sessions(request.user)
    if can_manage and formset is None:
        formset = SessionDecisionFormSet(initial=_initial(session, applications), prefix="decisions")
    by_line = (
        Application.objects.filter(council_session=session)
        .filter(Q(status=ApplicationStatus.PROPOSED) | Q(decision__isnull=False))
        .values("scheme__budget_line__label", "scheme__budget_line__section", "scheme__budget_line__year")
        .annotate(
            count=Count("pk"),
            proposed=Sum("proposed_amount"),
            granted=Sum("decision__granted_amount"),
        )
        .order_by("scheme__budget_line__section", "scheme__budget_line__label")
    )
    by_section = (
        Application.objects.filter(council_session=session)
        .filter(Q(status=ApplicationStatus.PROPOSED) | Q(decision__isnull=False))
        .values("scheme__budget_line__section")
        .annotate(count=Count("pk"), proposed=Sum("proposed_amount"), granted=Sum("decision__granted_amount"))
        .order_by("scheme__budget_line__section")
    )
    decisions = session.decisions.select_related("application", "application__actor").order_by("deliberation_number")
    rows = (
        list(zip(applications, formset.forms, strict=True))
        if formset is not None
        else [(a, None) for a in applications]
    )
    return render(
        request,
        "funding/session_detail.html",
        {
            "session": session,
            "rows": rows,
            "formset": formset,
            "decided_on_form": decided_on_form or SessionDecidedOnForm(initial={"decided_on": session.sits_on}),
            "by_line": by_line,
            "by_section": by_section,
            "decisions": decisions,
            "can_manage": can_manage,
        },
    )


@require_GET
def session_detail(request, pk: int):
    _require_reader(request.user)
    return _render_detail(request, get_object_or_404(CouncilSession, pk=pk))


@require_POST
def session_decide(request, pk: int):
    _require_manager(request.user)
    session = get_object_or_404(CouncilSession, pk=pk)
    applications = {application.pk: application for application in _proposed(session)}
    formset = SessionDecisionFormSet(request.POST, prefix="decisions")
    decided_on_form = SessionDecidedOnForm(request.POST)
    if formset.is_valid() and decided_on_form.is_valid():
        decisions = []
        for data in formset.cleaned_data:
            application = applications.get(data["application_id"])
            if application is None:
                messages.error(request, "Une des demandes n’est plus proposée à cette séance : rechargez la page.")
                return redirect("funding:session_detail", pk=session.pk)
            decisions.append(
                {
                    "application": application,
                    "approved": data["approved"],
                    "amount": data["amount"],
                    "deliberation_number": data["deliberation_number"],
                    "decided_on": decided_on_form.cleaned_data["decided_on"],
                    "refusal_reason": data["refusal_reason"],
                }
            )
        try:
            services.decide_session(session=session, by=request.user, decisions=decisions)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            messages.error(request, "Aucune décision n’a été enregistrée.")
        else:
            approved = sum(1 for d in decisions if d["approved"])
            messages.success(
                request, f"{len(decisions)} décision(s) enregistrée(s) : {approved} accordée(s), engagements créés."
            )
            return redirect("funding:session_detail", pk=session.pk)
        return redirect("funding:session_detail", pk=session.pk)
    messages.error(request, "Corrigez les erreurs signalées : aucune décision n’a été enregistrée.")
    # Re-render with the posted values (the formset rows follow the agenda order of the page).
    return _render_detail(request, session, formset=formset, decided_on_form=decided_on_form)
