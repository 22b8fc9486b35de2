"""Pages of the quadripartite space: the overview (convention, this year's and next year's organiser, meetings per
year against the plan's rhythm, open decisions), the meetings and their minutes, the follow-up list of decisions.
Staff and the partner users of the signatories write meetings; elected officials read; only staff change the
convention and the organiser of a year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ess_portal.forms import add_service_error
from quadripartite import services
from quadripartite.forms import (
    ConventionDocumentForm,
    DecisionFilterForm,
    DecisionForm,
    MeetingFilterForm,
    MeetingForm,
    OrganiserOverrideForm,
)
from quadripartite.models import (
    ROTATION_START_YEAR,
    Attendee,
    ConventionDocument,
    Decision,
    Meeting,
    OrganiserOverride,
    Partner,
    meeting_rhythm,
    partner_of,
)
from quadripartite.permissions import (
    can_manage_convention,
    can_mark_done,
    can_read_quadripartite,
    can_write_meetings,
)

MEETINGS_PER_PAGE = 30
DECISIONS_PER_PAGE = 50
FIELD_OF_ERROR = {"due_on": "due_on", "organiser": "organiser", "partner": "partner", "reason": "reason"}


def _require_reader(user) -> None:
    if not can_read_quadripartite(user):
        raise PermissionDenied(
            "L’espace de la convention quadripartite est réservé aux agents, aux élus et aux partenaires."
        )


def _require_meeting_writer(user) -> None:
    if not can_write_meetings(user):
        raise PermissionDenied(
            "Les réunions sont saisies par le service ESS et les agents des quatre collectivités signataires."
        )


def _require_convention_manager(user) -> None:
    if not can_manage_convention(user):
        raise PermissionDenied("Seul le service ESS de la Métropole modifie la convention et son organisation.")


def _decisions():
    return Decision.objects.select_related("owner", "meeting").follow_up_order()


@require_GET
def space(request):
    _require_reader(request.user)
    today = timezone.localdate()
    years = range(ROTATION_START_YEAR, today.year + 2)
    rhythm = meeting_rhythm(years)
    open_decisions = _decisions().open()
    return render(
        request,
        "quadripartite/space.html",
        {
            "partner": partner_of(request.user),
            "this_year": rhythm[-2],
            "next_year": rhythm[-1],
            "rhythm": list(reversed(rhythm[:-1])),
            "documents": ConventionDocument.objects.order_by("signed_on", "pk"),
            "signatories": Partner.objects.signatories().order_by("rotation_order", "pk"),
            "bodies": Partner.objects.filter(is_signatory=False).select_related("actor"),
            "last_meeting": Meeting.objects.filter(held_on__lte=today).select_related("organiser").first(),
            "next_meeting": Meeting.objects.filter(held_on__gt=today).select_related("organiser").last(),
            "open_decisions": [(item, can_mark_done(request.user, item)) for item in open_decisions[:10]],
            "today": today,
            "overrides": OrganiserOverride.objects.filter(year__gte=today.year).select_related("partner"),
            "open_count": open_decisions.count(),
            "late_count": open_decisions.filter(due_on__lt=today).count(),
            "can_write": can_write_meetings(request.user),
            "can_manage": can_manage_convention(request.user),
            "override_form": OrganiserOverrideForm(initial={"year": today.year + 1})
            if can_manage_convention(request.user)
            else None,
            "document_form": ConventionDocumentForm() if can_manage_convention(request.user) else None,
        },
    )


@require_GET
def meeting_list(request):
    _require_reader(request.user)
    filters = MeetingFilterForm(request.GET or None)
    meetings = Meeting.objects.select_related("organiser").annotate(
        decision_count=Count("decisions", distinct=True),
        open_decision_count=Count("decisions", filter=Q(decisions__done_on__isnull=True), distinct=True),
    )
    if filters.is_valid():
        if filters.cleaned_data["annee"]:
            meetings = meetings.filter(held_on__year=filters.cleaned_data["annee"])
        if filters.cleaned_data["comite"]:
            meetings = meetings.filter(committee=filters.cleaned_data["comite"])
    page = Paginator(meetings.order_by("-held_on", "-pk"), MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "quadripartite/meeting_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "meetings": page.object_list,
            "can_write": can_write_meetings(request.user),
        },
    )


def _signatories():
    return list(Partner.objects.signatories().order_by("rotation_order", "pk"))


@require_http_methods(["GET", "POST"])
def meeting_create(request):
    _require_meeting_writer(request.user)
    form = MeetingForm(request.POST or None, request.FILES or None, partners=_signatories())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.record_meeting(
                committee=data["committee"],
                held_on=data["held_on"],
                place=data["place"],
                organiser=data["organiser"],
                agenda=data["agenda"],
                minutes=data["minutes"],
                minutes_file=data["minutes_file"],
                attendees=form.attendees(),
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"{meeting} enregistré.")
            return redirect(meeting)
    return render(request, "quadripartite/meeting_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def meeting_update(request, pk: int):
    _require_meeting_writer(request.user)
    meeting = get_object_or_404(Meeting.objects.prefetch_related("attendees"), pk=pk)
    initial = {
        "committee": meeting.committee,
        "held_on": meeting.held_on,
        "place": meeting.place,
        "organiser": meeting.organiser_id,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        **MeetingForm.initial_attendees(meeting),
    }
    form = MeetingForm(request.POST or None, request.FILES or None, partners=_signatories(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_meeting(
            meeting=meeting,
            committee=data["committee"],
            held_on=data["held_on"],
            place=data["place"],
            organiser=data["organiser"] or meeting.organiser,
            agenda=data["agenda"],
            minutes=data["minutes"],
            minutes_file=data["minutes_file"],
            attendees=form.attendees(),
        )
        messages.success(request, f"{meeting} modifié.")
        return redirect(meeting)
    return render(request, "quadripartite/meeting_form.html", {"form": form, "meeting": meeting})


@require_GET
def meeting_detail(request, pk: int):
    _require_reader(request.user)
    meeting = get_object_or_404(
        Meeting.objects.select_related("organiser").prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("partner")),
            Prefetch("decisions", queryset=Decision.objects.select_related("owner").order_by("pk")),
        ),
        pk=pk,
    )
    decisions = [(decision, can_mark_done(request.user, decision)) for decision in meeting.decisions.all()]
    attendees_by_partner = {}
    for attendee in meeting.attendees.all():
        attendees_by_partner.setdefault(attendee.partner, []).append(attendee)
    can_write = can_write_meetings(request.user)
    return render(
        request,
        "quadripartite/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": decisions,
            "attendees_by_partner": attendees_by_partner.items(),
            "can_write": can_write,
            "decision_form": DecisionForm() if can_write else None,
            "today": timezone.localdate(),
        },
    )


@require_GET
def meeting_minutes_download(request, pk: int):
    _require_reader(request.user)
    meeting = get_object_or_404(Meeting, pk=pk)
    if not meeting.minutes_file:
        raise Http404("Pas de compte rendu en fichier pour cette réunion.")
    return FileResponse(meeting.minutes_file.open("rb"), as_attachment=True, filename=meeting.minutes_file_name)


@require_POST
def decision_create(request, pk: int):
    _require_meeting_writer(request.user)
    meeting = get_object_or_404(Meeting, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.add_decision(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Décision ajoutée au relevé de la réunion.")
    else:
        messages.error(request, "Indiquez la décision et le partenaire qui en a la charge.")
    return redirect(meeting)


@require_POST
def decision_done(request, pk: int):
    _require_reader(request.user)
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    if not can_mark_done(request.user, decision):
        raise PermissionDenied("Seuls le service ESS et le partenaire en charge marquent cette décision réalisée.")
    try:
        services.mark_done(decision=decision, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Décision marquée réalisée.")
    return redirect(request.POST.get("next") or decision.meeting.get_absolute_url())


@require_GET
def decision_list(request):
    """The follow-up list of the decisions across meetings, the late ones first."""
    _require_reader(request.user)
    filters = DecisionFilterForm(request.GET or None)
    decisions = _decisions()
    today = timezone.localdate()
    if filters.is_valid():
        state = filters.cleaned_data["etat"]
        if state == "ouvertes":
            decisions = decisions.open()
        elif state == "en-retard":
            decisions = decisions.open().filter(due_on__lt=today)
        elif state == "realisees":
            decisions = decisions.filter(done_on__isnull=False)
        if filters.cleaned_data["partenaire"]:
            decisions = decisions.filter(owner=filters.cleaned_data["partenaire"])
    page = Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "quadripartite/decision_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "decisions": [(decision, can_mark_done(request.user, decision)) for decision in page.object_list],
            "today": today,
            "next": request.get_full_path(),
        },
    )


@require_POST
def organiser_override(request):
    _require_convention_manager(request.user)
    form = OrganiserOverrideForm(request.POST)
    if form.is_valid():
        try:
            override = services.override_organiser(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, f"{override.partner.name} organise les comités de {override.year} à la place de la rotation."
            )
    else:
        messages.error(request, "Indiquez l’année, la collectivité organisatrice et le motif du changement.")
    return redirect("quadripartite:space")


@require_POST
def organiser_override_cancel(request, year: int):
    _require_convention_manager(request.user)
    services.cancel_override(year=year)
    messages.success(request, f"L’organisation des comités de {year} suit de nouveau la rotation.")
    return redirect("quadripartite:space")


@require_POST
def convention_document_create(request):
    _require_convention_manager(request.user)
    form = ConventionDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        document = services.add_convention_document(by=request.user, **form.cleaned_data)
        messages.success(request, f"{document} enregistré.")
    else:
        errors = "; ".join(error for field_errors in form.errors.values() for error in field_errors)
        messages.error(request, f"Le document n’a pas été enregistré : {errors}")
    return redirect("quadripartite:space")


@require_GET
def convention_document_download(request, pk: int):
    _require_reader(request.user)
    document = get_object_or_404(ConventionDocument, pk=pk)
    if not document.file:
        raise Http404("Pas de fichier pour ce document.")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)
