"""Pages of the ESS events: the public agenda (everyone, visitors included: upcoming public events), the register
with its filters in the URL and its exports (CSV, XLSX, ODS), an event, the staff forms and the attendance recorded
after the event. Staff write; elected officials and partners read; others get 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ess_portal.exports import export_response
from ess_portal.forms import add_service_error
from events import services
from events.forms import AttendanceForm, EventFilterForm, EventForm
from events.models import Event
from events.permissions import can_manage_events, can_view_events

EVENTS_PER_PAGE = 50
AGENDA_PER_PAGE = 30


def require_reader(user) -> None:
    if not can_view_events(user):
        raise PermissionDenied(
            "Le registre des évènements ESS est réservé aux agents de la Métropole, aux élus et aux partenaires."
        )


def require_writer(user) -> None:
    if not can_manage_events(user):
        raise PermissionDenied("Seul le service ESS enregistre les évènements, le prix coup de cœur et le GSEF.")


@login_not_required
@require_GET
def agenda(request):
    """The public agenda: upcoming public events, for everyone."""
    events = (
        Event.objects.public().upcoming(on=timezone.localdate()).select_related("commune").order_by("starts_on", "pk")
    )
    page = Paginator(events, AGENDA_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "events/agenda.html", {"page_obj": page, "events": page.object_list})


def _filtered_events(request):
    """The register's filters (year, kind, commune), read from the URL."""
    filters = EventFilterForm(request.GET or None)
    events = Event.objects.all()
    if filters.is_valid():
        data = filters.cleaned_data
        if data["annee"]:
            events = events.in_year(data["annee"])
        if data["type"]:
            events = events.filter(kind=data["type"])
        if data["commune"]:
            events = events.filter(commune=data["commune"])
    return filters, events


@require_GET
def event_list(request):
    require_reader(request.user)
    filters, events = _filtered_events(request)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(events.select_related("commune").order_by("-starts_on", "pk"), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/event_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "events": page.object_list,
            "query": query.urlencode(),
            "can_write": can_manage_events(request.user),
        },
    )


# The register's export: one column definition (title, value of an event) for CSV, XLSX and ODS.
EVENT_COLUMNS = [
    ("Évènement", lambda event: event.pk),
    ("Type", lambda event: event.get_kind_display()),
    ("Titre", lambda event: event.title),
    ("Début", lambda event: event.starts_on),
    ("Fin", lambda event: event.ends_on),
    ("Lieu", lambda event: event.place),
    ("Commune", lambda event: event.commune.name if event.commune else ""),
    ("Action du plan", lambda event: event.plan_action_code),
    ("Public", lambda event: "oui" if event.is_public else "non"),
    ("Partenaires organisateurs", lambda event: ", ".join(p.short_name for p in event.organising_partners.all())),
    ("Communes organisatrices", lambda event: ", ".join(c.name for c in event.organising_communes.all())),
    ("Acteurs impliqués", lambda event: ", ".join(a.name for a in event.actors.all())),
    ("Élus", lambda event: event.elected_count),
    ("Techniciens et agents", lambda event: event.staff_count),
    ("Grand public et acteurs", lambda event: event.public_count),
    ("Participants", lambda event: event.participant_count),
]
HEADER = [title for title, _ in EVENT_COLUMNS]


def _rows(events):
    for event in events.iterator(chunk_size=500):
        yield [value(event) for _, value in EVENT_COLUMNS]


@require_GET
def event_export(request, export_format: str = "csv"):
    """The register's filtered events: CSV streamed, XLSX or ODS written in constant memory to a temporary file."""
    require_reader(request.user)
    _, events = _filtered_events(request)
    events = (
        events.select_related("commune")
        .prefetch_related("organising_partners", "organising_communes", "actors")
        .order_by("starts_on", "pk")
    )
    filename = f"evenements-ess-{timezone.localdate():%Y-%m-%d}.{export_format}"
    return export_response(filename, HEADER, _rows(events), export_format=export_format, title="Évènements ESS")


@require_GET
def event_detail(request, pk: int):
    require_reader(request.user)
    event = get_object_or_404(Event.objects.select_related("commune", "created_by"), pk=pk)
    can_write = can_manage_events(request.user)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "partners": event.organising_partners.all(),
            "communes": event.organising_communes.all(),
            "actors": event.actors.all(),
            "can_write": can_write,
            "is_held": event.starts_on <= timezone.localdate(),
            "attendance_form": AttendanceForm(
                initial={"elected": event.elected_count, "staff": event.staff_count, "public": event.public_count}
            )
            if can_write
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def event_create(request):
    require_writer(request.user)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.create_event(by=request.user, **form.cleaned_data)
        messages.success(request, f"L’évènement « {event.title} » est enregistré.")
        return redirect(event)
    return render(request, "events/event_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def event_update(request, pk: int):
    require_writer(request.user)
    event = get_object_or_404(Event, pk=pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"L’évènement « {event.title} » est modifié.")
        return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@require_POST
def event_attendance(request, pk: int):
    """Staff record how many people came, by audience, once the event has begun."""
    require_writer(request.user)
    event = get_object_or_404(Event, pk=pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            event.record_attendance(**form.cleaned_data, today=timezone.localdate())
        except ValidationError as error:
            add_service_error(form, error, fields_by_code={})
        else:
            messages.success(request, f"La participation à « {event.title} » est enregistrée.")
            return redirect(event)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect(event)
