"""Pages of the foncière solidaire: the register of properties, a property with its leases and in-kind aid, the
lease page, the capitalisation instalments, the export of leases (CSV, XLSX, ODS), and the staff forms. Staff
write; elected officials and partners read; an applicant reads the leases of their structures (404 on the others);
others get 403."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ess_portal.exports import export_response
from ess_portal.formatting import format_euros
from ess_portal.forms import add_service_error
from fonciere import forms as fonciere_forms
from fonciere import pdf_jobs, services
from fonciere.forms import (
    AnnualReportForm,
    CapitalisationForm,
    LeaseForm,
    PropertyFilterForm,
    PropertyForm,
    SignLeaseForm,
)
from fonciere.models import Capitalisation, Lease, PremisesRequest, Property
from fonciere.permissions import can_manage_fonciere, can_view_fonciere, can_view_own_leases

PROPERTIES_PER_PAGE = 50
LEASES_PER_PAGE = 50


def _require_reader(user) -> None:
    if not can_view_fonciere(user):
        raise PermissionDenied(
            "La foncière solidaire est réservée aux agents de la Métropole, aux élus et aux partenaires."
        )


def _require_writer(user) -> None:
    if not can_manage_fonciere(user):
        raise PermissionDenied(
            "Seul le service ESS enregistre les biens, les baux et la capitalisation de la foncière."
        )


# Which form field a refusal of the services belongs to (by the ValidationError's code); others go on top.
FIELD_OF_ERROR = {
    "surface": "surface",
    "ends_on": "ends_on",
    "rent": "rent",
    "amount": "amount",
    "insufficient_credits": "amount",
    "year": "year",
    "deliberation_number": "deliberation_number",
}


def _filtered_properties(request):
    """The register's filters (commune, use), read from the URL."""
    filters = PropertyFilterForm(request.GET or None)
    properties = Property.objects.all()
    if filters.is_valid():
        if filters.cleaned_data["commune"]:
            properties = properties.filter(commune=filters.cleaned_data["commune"])
        if filters.cleaned_data["usage"]:
            properties = properties.filter(use=filters.cleaned_data["usage"])
    return filters, properties


@require_GET
def property_list(request):
    _require_reader(request.user)
    filters, properties = _filtered_properties(request)
    properties = properties.with_occupancy(on=timezone.localdate()).select_related("commune")
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(properties.order_by("name", "pk"), PROPERTIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "fonciere/property_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "properties": page.object_list,
            "can_write": can_manage_fonciere(request.user),
            "geojson_url": f"{reverse('fonciere:property_geojson')}?{query.urlencode()}",
            "report_form": AnnualReportForm(years=pdf_jobs.report_years())
            if can_manage_fonciere(request.user)
            else None,
        },
    )


@require_GET
def property_geojson(request):
    """The located properties of the register's filters, for its map (static/js/map.js reads `legal_form` as the
    feature's kind)."""
    _require_reader(request.user)
    _, properties = _filtered_properties(request)
    located = properties.filter(latitude__isnull=False, longitude__isnull=False).select_related("commune")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(item.longitude), float(item.latitude)]},
            "properties": {
                "name": item.name,
                "url": item.get_absolute_url(),
                "legal_form": item.get_use_display(),
                "commune": item.commune.name,
                "approximate": False,
            },
        }
        for item in located.order_by("name", "pk")
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")


@require_GET
def property_detail(request, pk: int):
    _require_reader(request.user)
    today = timezone.localdate()
    property = get_object_or_404(Property.objects.with_occupancy(on=today).select_related("commune"), pk=pk)
    leases = property.leases.select_related("occupant").order_by("starts_on", "pk")
    return render(
        request,
        "fonciere/property_detail.html",
        {
            "property": property,
            "leases": leases,
            "aid_by_occupant": leases.in_kind_aid_by_occupant_and_year(),
            "can_write": can_manage_fonciere(request.user),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def property_create(request):
    _require_writer(request.user)
    form = PropertyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        property = form.save()
        messages.success(request, f"Bien « {property.name} » enregistré.")
        return redirect(property)
    return render(request, "fonciere/property_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def property_update(request, pk: int):
    _require_writer(request.user)
    property = get_object_or_404(Property, pk=pk)
    form = PropertyForm(request.POST or None, instance=property)
    if request.method == "POST" and form.is_valid():
        try:
            property = services.update_property(property=property, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"Bien « {property.name} » modifié.")
            return redirect(property)
    return render(request, "fonciere/property_form.html", {"form": form, "property": property})


@require_http_methods(["GET", "POST"])
def lease_create(request, pk: int):
    _require_writer(request.user)
    property = get_object_or_404(Property.objects.select_related("commune"), pk=pk)
    form = LeaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lease = services.create_lease(property=property, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"Bail de {lease.occupant} enregistré.")
            return redirect(lease)
    return render(request, "fonciere/lease_form.html", {"form": form, "property": property})


def _visible_lease(request, pk: int) -> Lease:
    if not (can_view_fonciere(request.user) or can_view_own_leases(request.user)):
        raise PermissionDenied("Les baux de la foncière solidaire ne vous sont pas accessibles.")
    leases = Lease.objects.visible_to(request.user).select_related("occupant", "property__commune")
    return get_object_or_404(leases, pk=pk)


@require_GET
def lease_detail(request, pk: int):
    lease = _visible_lease(request, pk)
    can_write = can_manage_fonciere(request.user)
    return render(
        request,
        "fonciere/lease_detail.html",
        {
            "lease": lease,
            "aid_by_year": sorted(lease.in_kind_aid_by_year().items()),
            "can_write": can_write,
            "sign_form": SignLeaseForm() if can_write and not lease.is_signed else None,
            "is_reader": can_view_fonciere(request.user),
        },
    )


@require_POST
def lease_sign(request, pk: int):
    _require_writer(request.user)
    lease = get_object_or_404(Lease, pk=pk)
    form = SignLeaseForm(request.POST)
    if form.is_valid():
        try:
            services.sign_lease(lease=lease, signed_on=form.cleaned_data["signed_on"], by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Signature du bail enregistrée.")
    else:
        messages.error(request, "Indiquez une date de signature valide.")
    return redirect(lease)


@require_GET
def my_leases(request):
    if not can_view_own_leases(request.user):
        raise PermissionDenied("Cette page est réservée aux porteurs de projet.")
    leases = (
        Lease.objects.filter(occupant__in=request.user.memberships.active().values("actor_id"))
        .select_related("occupant", "property__commune")
        .order_by("-starts_on", "-pk")
    )
    page = Paginator(leases, LEASES_PER_PAGE).get_page(request.GET.get("page"))
    needs = (
        PremisesRequest.objects.visible_to(request.user)
        .select_related("actor", "matched_property__commune")
        .order_by("-created_at", "-pk")
    )
    return render(request, "fonciere/my_leases.html", {"page_obj": page, "leases": page.object_list, "needs": needs})


@require_http_methods(["GET", "POST"])
def capitalisation_list(request):
    _require_reader(request.user)
    can_write = can_manage_fonciere(request.user)
    form = CapitalisationForm(request.POST or None) if can_write else None
    if request.method == "POST":
        _require_writer(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                capitalisation = services.capitalise(
                    amount=data["amount"],
                    paid_on=data["paid_on"],
                    year=data["year"],
                    deliberation_number=data["deliberation_number"],
                    deliberation_on=data["deliberation_on"],
                    by=request.user,
                    idempotency_key=str(data["form_key"]),
                )
            except ValidationError as error:
                add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
            else:
                messages.success(
                    request,
                    f"Versement de capitalisation de {format_euros(capitalisation.amount)} engagé "
                    f"(engagement {capitalisation.commitment.legal_commitment_number}).",
                )
                return redirect("fonciere:capitalisation_list")
    capitalisations = Capitalisation.objects.select_related("commitment__budget_line").order_by("paid_on", "pk")
    return render(
        request,
        "fonciere/capitalisation_list.html",
        {
            "capitalisations": capitalisations,
            "total": capitalisations.aggregate(total=Sum("amount"))["total"],
            "form": form,
        },
    )


# The leases' export: one column definition (title, value of a lease) for CSV, XLSX and ODS; each row ends with
# the year and the in-kind aid of that year.
LEASE_COLUMNS = [
    ("Bail", lambda lease: lease.pk),
    ("Bien", lambda lease: lease.property.name),
    ("Commune", lambda lease: lease.property.commune.name),
    ("Structure", lambda lease: lease.occupant.name),
    ("SIRET", lambda lease: lease.occupant.siret),
    ("Surface louée (m²)", lambda lease: lease.surface),
    ("Début", lambda lease: lease.starts_on),
    ("Fin", lambda lease: lease.ends_on),
    ("Loyer (€/m²/an)", lambda lease: lease.rent),
    ("Loyer de marché (€/m²/an)", lambda lease: lease.market_rent),
    ("Signé le", lambda lease: lease.signed_on),
]
CSV_HEADER = [*(title for title, _ in LEASE_COLUMNS), "Année", "Aide en nature (€)"]


def _csv_rows(leases):
    """One row per lease and calendar year of in-kind aid (one row without aid for an unsigned lease)."""
    for lease in leases.iterator(chunk_size=2000):
        base = [value(lease) for _, value in LEASE_COLUMNS]
        by_year = lease.in_kind_aid_by_year()
        if not by_year:
            yield [*base, None, None]
        for year, amount in sorted(by_year.items()):
            yield [*base, year, amount]


@require_GET
def lease_export(request, export_format: str = "csv"):
    """Every lease with its in-kind aid per year: CSV streamed in constant memory (the portal's CSV: `;`, French
    decimals and dates, formulas neutralised), XLSX or ODS written in constant memory to a temporary file."""
    _require_reader(request.user)
    leases = Lease.objects.select_related("occupant", "property__commune").order_by(
        "property__name", "starts_on", "pk"
    )
    filename = f"baux-fonciere-{timezone.localdate():%Y-%m-%d}.{export_format}"
    return export_response(
        filename, CSV_HEADER, _csv_rows(leases), export_format=export_format, title="Baux de la foncière"
    )


@require_POST
def annual_report_request(request):
    """Staff ask for the foncière's yearly report of a year; the job's file waits for them in « Mes tâches »."""
    _require_writer(request.user)
    form = AnnualReportForm(request.POST, years=pdf_jobs.report_years())
    form.is_valid()
    year = form.cleaned_data.get("year")
    if year is None:
        messages.error(request, "Choisissez l’année du rapport annuel parmi celles proposées.")
        return redirect("fonciere:property_list")
    form_key = form.cleaned_data.get("form_key") or uuid.uuid4()
    job = pdf_jobs.request_annual_report(year=year, by=request.user, form_key=str(form_key))
    what = f"Le rapport annuel {year} de la foncière (PDF)"
    if job.is_done:
        messages.info(request, f"{what} est déjà prêt : téléchargez-le dans vos tâches.")
    elif job.is_failed:
        messages.warning(request, f"{what} n’a pas pu être produit : relancez la tâche depuis la liste de vos tâches.")
    else:
        messages.success(request, f"{what} est en préparation : vous pourrez le télécharger dans vos tâches.")
    return redirect("jobs:job_list")


# --- Changes to a lease: its terms until it is signed, its early end at any time ----------------------------------

LEASE_CHANGE_FIELD_OF_ERROR = {**FIELD_OF_ERROR, "end_reason": "end_reason"}
LEASE_TERMS = ["surface", "starts_on", "ends_on", "rent", "market_rent"]


def _lease_to_change(request, pk: int) -> Lease:
    """404 on a lease the user may not see (an applicant's other structures), then 403 to whoever only reads."""
    lease = _visible_lease(request, pk)
    _require_writer(request.user)
    return lease


@require_http_methods(["GET", "POST"])
def lease_update(request, pk: int):
    lease = _lease_to_change(request, pk)
    try:
        lease.ensure_editable()
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(lease)
    form = fonciere_forms.LeaseUpdateForm(
        request.POST or None, initial={name: getattr(lease, name) for name in LEASE_TERMS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            lease = services.update_lease(lease=lease, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=LEASE_CHANGE_FIELD_OF_ERROR)
        else:
            messages.success(request, f"Bail de {lease.occupant} modifié.")
            return redirect(lease)
    return render(
        request,
        "fonciere/lease_change_form.html",
        {"lease": lease, "form": form, "title": "Modifier le bail", "submit": "Enregistrer les modifications"},
    )


@require_http_methods(["GET", "POST"])
def lease_end(request, pk: int):
    lease = _lease_to_change(request, pk)
    form = fonciere_forms.EndLeaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lease = services.end_lease(
                lease=lease,
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["end_reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=LEASE_CHANGE_FIELD_OF_ERROR)
        else:
            messages.success(request, f"Fin anticipée du bail enregistrée au {lease.ends_on:%d/%m/%Y}.")
            return redirect(lease)
    return render(
        request,
        "fonciere/lease_change_form.html",
        {
            "lease": lease,
            "form": form,
            "title": "Fin anticipée du bail",
            "submit": "Enregistrer la fin du bail",
            "is_end": True,
        },
    )
