"""The elected officials' dashboard: read-only, one year of the plan at a time (`?annee=2024`)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from funding.permissions import can_view_budget
from programme.dashboard import PLAN_YEARS, build_charts, dashboard_data, parse_year
from programme.permissions import can_view_plan


@require_GET
def dashboard(request):
    if not can_view_plan(request.user):
        raise PermissionDenied("Le tableau de bord est réservé aux élus, aux agents et aux partenaires du plan.")
    # A year outside the plan, or not a number, shows the default year rather than an error page.
    data = dashboard_data(parse_year(request.GET.get("annee")))
    return render(
        request,
        "programme/dashboard.html",
        {
            "data": data,
            "charts": build_charts(data),
            "years": PLAN_YEARS,
            "can_view_budget": can_view_budget(request.user),
        },
    )
