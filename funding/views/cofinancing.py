"""The co-financing table of the quadripartite partners (/financements/cofinancements/): filters in the URL, totals
per partner and year (SQL), a chart followed by its table, CSV/XLSX/ODS export, and the entry form. Staff and
elected officials read every row; a partner user reads and enters their own collectivity's rows (the totals per
partner stay visible: the steering committee reads them together), and opens the summary of a project their
collectivity co-finances — 404 on any other."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ess_portal.charts import Series, horizontal_bar_chart
from ess_portal.exports import EXPORT_FORMATS, export_response
from ess_portal.forms import add_service_error
from filieres.models import Filiere
from funding.cofinancing_models import CoFinancing
from funding.cofinancing_services import record_cofinancing
from funding.models import Application
from funding.permissions import can_instruct, can_read_cofinancing, can_view_instruction
from quadripartite.models import Partner, partner_of

ROWS_PER_PAGE = 50


def _require_reader(user) -> None:
    if not can_read_cofinancing(user):
        raise PermissionDenied("Le tableau des cofinancements est réservé aux agents, aux élus et aux partenaires.")


class CoFinancingFilterForm(forms.Form):
    annee = forms.IntegerField(label="Exercice", required=False, min_value=2000, max_value=2100)
    partenaire = forms.ModelChoiceField(
        label="Partenaire", queryset=Partner.objects.all(), required=False, empty_label="Tous les partenaires"
    )
    filiere = forms.ModelChoiceField(
        label="Filière", queryset=Filiere.objects.all(), required=False, empty_label="Toutes les filières"
    )


class CoFinancingForm(forms.Form):
    application = forms.ModelChoiceField(
        label="Demande (numéro)", queryset=Application.objects.all(), widget=forms.NumberInput
    )
    partner = forms.ModelChoiceField(label="Partenaire", queryset=Partner.objects.all())
    year = forms.IntegerField(label="Exercice", min_value=2020, max_value=2100)
    pledged = forms.DecimalField(label="Sollicité ou annoncé (€)", max_digits=12, decimal_places=2, min_value=0)
    decided = forms.DecimalField(label="Décidé (€)", max_digits=12, decimal_places=2, min_value=0, required=False)
    paid = forms.DecimalField(label="Versé (€)", max_digits=12, decimal_places=2, min_value=0, required=False)

    def __init__(self, *args, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partner is not None:
            self.fields["partner"].queryset = Partner.objects.filter(pk=partner.pk)
            self.fields["partner"].initial = partner.pk
            self.fields["partner"].empty_label = None


def _rows(request):
    """(filters, rows of the filters, rows the totals are made of)."""
    filters = CoFinancingFilterForm(request.GET or None)
    rows = CoFinancing.objects.all()
    if filters.is_valid():
        if filters.cleaned_data["annee"]:
            rows = rows.filter(year=filters.cleaned_data["annee"])
        if filters.cleaned_data["partenaire"]:
            rows = rows.filter(partner=filters.cleaned_data["partenaire"])
        if filters.cleaned_data["filiere"]:
            rows = rows.filter(application__filiere=filters.cleaned_data["filiere"])
    visible = rows
    if not can_view_instruction(request.user):
        partner = partner_of(request.user)
        visible = rows.filter(partner=partner) if partner else rows.none()
    return filters, visible, rows


def _chart(totals):
    partners = {}
    for row in totals:
        item = partners.setdefault(row["partner__short_name"], [0, 0, 0])
        item[0] += row["pledged_total"]
        item[1] += row["decided_total"]
        item[2] += row["paid_total"]
    if not partners:
        return ""
    return horizontal_bar_chart(
        title="Cofinancements par partenaire : sollicités, décidés et versés",
        description="Montants en euros des cofinancements des projets, par partenaire, pour les filtres choisis. "
        "Les valeurs exactes figurent dans le tableau qui suit.",
        categories=list(partners),
        series=[
            Series("Sollicité", [values[0] for values in partners.values()]),
            Series("Décidé", [values[1] for values in partners.values()]),
            Series("Versé", [values[2] for values in partners.values()]),
        ],
    )


@require_http_methods(["GET", "POST"])
def cofinancing_table(request):
    _require_reader(request.user)
    partner = None if can_instruct(request.user) else partner_of(request.user)
    can_enter = can_instruct(request.user) or partner is not None
    form = CoFinancingForm(request.POST or None, partner=partner) if can_enter else None
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied("Seuls le service ESS et les partenaires saisissent des cofinancements.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                record_cofinancing(
                    application=data["application"],
                    partner=data["partner"],
                    year=data["year"],
                    pledged=data["pledged"],
                    decided=data["decided"],
                    paid=data["paid"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error, fields_by_code={"decided": "decided", "paid": "paid"})
            else:
                messages.success(request, f"Cofinancement de la demande n° {data['application'].pk} enregistré.")
                return redirect(request.get_full_path())
    filters, visible, rows = _rows(request)
    totals = rows.totals_by_partner_and_year()
    page = Paginator(
        visible.select_related("application__actor", "application__filiere", "partner").order_by(
            "-year", "partner__position", "application_id"
        ),
        ROWS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "funding/cofinancing_table.html",
        {
            "filters": filters,
            "page_obj": page,
            "rows": page.object_list,
            "totals": totals,
            "grand_total": rows.totals(),
            "chart": _chart(totals),
            "form": form,
            "partner": partner,
            "query": query.urlencode(),
        },
    )


COLUMNS = [
    ("Exercice", lambda row: row.year),
    ("Partenaire", lambda row: row.partner.short_name),
    ("Demande", lambda row: row.application_id),
    ("Structure", lambda row: row.application.actor.name),
    ("Projet", lambda row: row.application.title),
    ("Filière", lambda row: row.application.filiere.name if row.application.filiere else None),
    ("Sollicité (€)", lambda row: row.pledged),
    ("Décidé (€)", lambda row: row.decided),
    ("Versé (€)", lambda row: row.paid),
]
HEADER = [title for title, _ in COLUMNS]


def _export_rows(rows):
    for row in rows.iterator(chunk_size=2000):
        yield [value(row) for _, value in COLUMNS]


@require_GET
def cofinancing_export(request, export_format: str):
    _require_reader(request.user)
    if export_format not in EXPORT_FORMATS:
        raise Http404("Format d’export inconnu.")
    _, visible, _ = _rows(request)
    visible = visible.select_related("application__actor", "application__filiere", "partner").order_by(
        "year", "partner__position", "application_id"
    )
    filename = f"cofinancements.{export_format}"
    return export_response(
        filename, HEADER, _export_rows(visible), export_format=export_format, title="Cofinancements"
    )


@require_GET
def cofinanced_project(request, pk: int):
    """A project's summary for the partners who co-finance it: no document, no instruction notes."""
    _require_reader(request.user)
    applications = Application.objects.select_related("actor", "scheme", "filiere")
    if not can_view_instruction(request.user):
        partner = partner_of(request.user)
        applications = (
            applications.filter(cofinancings__partner=partner).distinct() if partner else applications.none()
        )
    application = get_object_or_404(applications, pk=pk)
    return render(
        request,
        "funding/cofinanced_project.html",
        {
            "application": application,
            "cofinancings": application.cofinancings.select_related("partner").order_by("year", "partner__position"),
        },
    )
