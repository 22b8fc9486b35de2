"""/plan/indicateurs/: the plan's indicators against their yearly targets. Everyone who reads the plan reads them;
the ESS service (and admins) define them, set targets, enter measurements and recompute the computed ones."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programme.enums import IndicatorKind
from programme.indicator_forms import IndicatorForm, MeasurementForm, RefreshForm, TargetForm
from programme.indicators import COMPUTATIONS, achievement, format_measure
from programme.models import Indicator, IndicatorTarget, Measurement
from programme.permissions import can_edit_plan, can_view_plan
from programme.services import (
    FIRST_YEAR,
    LAST_YEAR,
    record_measurement,
    refresh_computed_measurements,
    set_target,
)

PAGE_SIZE = 50
KIND_HEADINGS = {
    IndicatorKind.ACTIVITY: "Indicateurs d’activité",
    IndicatorKind.RESULT: "Indicateurs de résultat",
    IndicatorKind.IMPACT: "Indicateurs d’impact",
}
# The plan runs until 2026; the year selector goes at least that far, and to the current year after it.
PLAN_LAST_YEAR = 2026


def _require_view(user):
    if not can_view_plan(user):
        raise PermissionDenied("Les indicateurs du plan sont réservés aux agents, élus et partenaires.")


def _require_edit(user):
    if not can_edit_plan(user):
        raise PermissionDenied("Seul le service ESS modifie les indicateurs, leurs cibles et leurs mesures.")


def _default_year() -> int:
    return min(max(timezone.localdate().year, FIRST_YEAR), LAST_YEAR)


def _selected_year(request) -> int:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        return _default_year()
    return year if FIRST_YEAR <= year <= LAST_YEAR else _default_year()


def _year_choices() -> list[int]:
    return list(range(FIRST_YEAR, min(max(PLAN_LAST_YEAR, timezone.localdate().year), LAST_YEAR) + 1))


def _lower_is_better(indicator: Indicator) -> bool:
    computation = COMPUTATIONS.get(indicator.computation)
    return bool(computation and computation.lower_is_better)


@require_GET
def indicator_list(request):
    _require_view(request.user)
    year = _selected_year(request)
    can_edit = can_edit_plan(request.user)
    total = Measurement.objects.filter(indicator=models.OuterRef("pk"), year=year, breakdown="")
    kind_order = models.Case(
        *[models.When(kind=kind, then=models.Value(index)) for index, kind in enumerate(IndicatorKind.values)],
        default=models.Value(len(IndicatorKind.values)),
    )
    indicators = (
        Indicator.objects.for_year(year)
        .select_related("action")
        .annotate(
            value_source=models.Subquery(total.values("source")[:1]),
            measured_on=models.Subquery(total.values("measured_on")[:1]),
            kind_order=kind_order,
        )
        .order_by("-is_active", "kind_order", "position", "code")
    )
    if not can_edit:
        indicators = indicators.active()
    page = Paginator(indicators, PAGE_SIZE).get_page(request.GET.get("page"))
    groups = []
    for indicator in page:
        indicator.achievement = achievement(
            target=indicator.target, value=indicator.value, lower_is_better=_lower_is_better(indicator)
        )
        indicator.target_display = format_measure(indicator.target, indicator.unit)
        indicator.value_display = format_measure(indicator.value, indicator.unit)
        label = KIND_HEADINGS[indicator.kind] if indicator.is_active else "Indicateurs désactivés"
        if not groups or groups[-1]["label"] != label:
            groups.append({"label": label, "indicators": []})
        groups[-1]["indicators"].append(indicator)
    return render(
        request,
        "programme/indicators/list.html",
        {
            "year": year,
            "years": _year_choices(),
            "groups": groups,
            "page_obj": page,
            "can_edit": can_edit,
            "refresh_form": RefreshForm(initial={"year": year}) if can_edit else None,
        },
    )


def _by_year(indicator: Indicator, measurements: list[Measurement]) -> list[dict]:
    """One row per year with a target or a measurement: target, total, achievement, and the breakdowns."""
    targets = {target.year: target for target in indicator.targets.all()}
    years = sorted(set(targets) | {measurement.year for measurement in measurements}, reverse=True)
    for measurement in measurements:
        measurement.display = format_measure(measurement.value, indicator.unit)
    rows = []
    for year in years:
        of_year = [measurement for measurement in measurements if measurement.year == year]
        total = next((measurement for measurement in of_year if not measurement.breakdown), None)
        target = targets.get(year)
        rows.append(
            {
                "year": year,
                "target": target,
                "target_display": format_measure(target.value, indicator.unit) if target else "",
                "total": total,
                "breakdowns": [measurement for measurement in of_year if measurement.breakdown],
                "achievement": achievement(
                    target=target.value if target else None,
                    value=total.value if total else None,
                    lower_is_better=_lower_is_better(indicator),
                ),
            }
        )
    return rows


def _detail_context(request, indicator, **forms):
    can_edit = can_edit_plan(request.user)
    measurements = list(indicator.measurements.select_related("entered_by").order_by("-year", "pk"))
    year = _default_year()
    history_of = {"indicator_id": indicator.pk}
    target_history = list(IndicatorTarget.history.filter(**history_of).select_related("history_user")[:20])
    measurement_history = list(Measurement.history.filter(**history_of).select_related("history_user")[:20])
    for record in [*target_history, *measurement_history]:
        record.display = format_measure(record.value, indicator.unit)
    context = {
        "indicator": indicator,
        "computation": COMPUTATIONS.get(indicator.computation),
        "years": _by_year(indicator, measurements),
        "history": indicator.history.select_related("history_user")[:20],
        "target_history": target_history,
        "measurement_history": measurement_history,
        "can_edit": can_edit,
    }
    if can_edit:
        context["target_form"] = forms.get("target_form") or TargetForm(initial={"year": year})
        if indicator.is_computed:
            context["refresh_form"] = forms.get("refresh_form") or RefreshForm(initial={"year": year})
        else:
            context["measurement_form"] = forms.get("measurement_form") or MeasurementForm(initial={"year": year})
    return context


def _indicator(code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("action"), code=code)


@require_GET
def indicator_detail(request, code):
    _require_view(request.user)
    indicator = _indicator(code)
    return render(request, "programme/indicators/detail.html", _detail_context(request, indicator))


@require_http_methods(["GET", "POST"])
def indicator_create(request):
    _require_edit(request.user)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        indicator = form.save()
        messages.success(request, f"L’indicateur « {indicator.name} » est créé.")
        return redirect("programme:indicator_detail", code=indicator.code)
    return render(request, "programme/indicators/form.html", {"form": form, "indicator": None})


@require_http_methods(["GET", "POST"])
def indicator_update(request, code):
    _require_edit(request.user)
    indicator = _indicator(code)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"L’indicateur « {indicator.name} » est modifié.")
        return redirect("programme:indicator_detail", code=indicator.code)
    return render(request, "programme/indicators/form.html", {"form": form, "indicator": indicator})


def _invalid(request, indicator, message, **forms):
    messages.error(request, message)
    context = _detail_context(request, indicator, **forms)
    return render(request, "programme/indicators/detail.html", context, status=400)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
def target_set(request, code):
    _require_edit(request.user)
    indicator = _indicator(code)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            target = set_target(indicator=indicator, year=form.cleaned_data["year"], value=form.cleaned_data["value"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            year = form.cleaned_data["year"]
            messages.success(
                request, f"La cible {year} est enregistrée." if target else f"La cible {year} est supprimée."
            )
            return redirect("programme:indicator_detail", code=indicator.code)
    message = "La cible n’a pas été enregistrée : corrigez les erreurs signalées."
    return _invalid(request, indicator, message, target_form=form)


@require_POST
def measurement_create(request, code):
    _require_edit(request.user)
    indicator = _indicator(code)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            measurement = record_measurement(indicator=indicator, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"La mesure {measurement.year} est enregistrée.")
            return redirect("programme:indicator_detail", code=indicator.code)
    if indicator.is_computed:
        # The page of a computed indicator has no entry form: the refusal is told in the message.
        message = "Cet indicateur est calculé par le portail : ses mesures ne se saisissent pas."
    else:
        message = "La mesure n’a pas été enregistrée : corrigez les erreurs signalées."
    return _invalid(request, indicator, message, measurement_form=form)


@require_http_methods(["GET", "POST"])
def measurement_update(request, code, pk):
    """Correct an entered measurement (value, date, comment); its year and breakdown stay."""
    _require_edit(request.user)
    indicator = _indicator(code)
    measurement = get_object_or_404(indicator.measurements, pk=pk)
    if indicator.is_computed:
        raise PermissionDenied("Les mesures d’un indicateur calculé ne se corrigent pas : recalculez-les.")
    initial = {
        "year": measurement.year,
        "breakdown_label": measurement.breakdown_label,
        "value": measurement.value,
        "measured_on": measurement.measured_on,
        "comment": measurement.comment,
    }
    form = MeasurementForm(request.POST or None, initial=initial, fixed=True)
    if request.method == "POST" and form.is_valid():
        try:
            record_measurement(indicator=indicator, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"La mesure {measurement.year} est corrigée.")
            return redirect("programme:indicator_detail", code=indicator.code)
    return render(
        request,
        "programme/indicators/measurement_form.html",
        {"indicator": indicator, "measurement": measurement, "form": form},
        status=400 if form.errors else 200,
    )


def _refresh_message(year, result) -> str:
    return (
        f"Mesures {year} recalculées : {result.created} créée(s), {result.updated} mise(s) à jour, "
        f"{result.deleted} supprimée(s), {result.unchanged} inchangée(s)."
    )


@require_POST
def indicator_refresh(request, code):
    """« Recalculer maintenant » one computed indicator for a year."""
    _require_edit(request.user)
    indicator = _indicator(code)
    form = RefreshForm(request.POST)
    if not indicator.is_computed:
        messages.error(request, "Cet indicateur est saisi par le service : il n’y a rien à recalculer.")
        return redirect("programme:indicator_detail", code=indicator.code)
    if not form.is_valid():
        return _invalid(request, indicator, "Le recalcul n’a pas été lancé : corrigez l’année.", refresh_form=form)
    year = form.cleaned_data["year"]
    result = refresh_computed_measurements(year, indicators=[indicator])
    messages.success(request, _refresh_message(year, result))
    return redirect("programme:indicator_detail", code=indicator.code)


@require_POST
def indicator_refresh_all(request):
    """« Recalculer maintenant » every active computed indicator for the year of the list."""
    _require_edit(request.user)
    form = RefreshForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Le recalcul n’a pas été lancé : {form.errors['year'][0]}")
        return redirect("programme:indicator_list")
    year = form.cleaned_data["year"]
    result = refresh_computed_measurements(year)
    messages.success(request, _refresh_message(year, result))
    return redirect(f"{reverse('programme:indicator_list')}?annee={year}")
