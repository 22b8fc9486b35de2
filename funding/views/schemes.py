"""Support schemes (dispositifs): managed by staff, listed publicly while they are open."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, DateField, F, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actors.enums import LegalForm
from funding.enums import DocumentKind
from funding.forms import SupportSchemeForm
from funding.models import SupportScheme
from funding.permissions import can_instruct

# A scheme closing within this many days is highlighted on the public list.
CLOSING_SOON_DAYS = 30


def _require_scheme_manager(user):
    if not can_instruct(user):
        raise PermissionDenied("La gestion des dispositifs est réservée au service ESS.")


@login_not_required
@require_GET
def scheme_list(request):
    """/financements/dispositifs/: the published schemes open today; those closing soon first and flagged."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=CLOSING_SOON_DAYS)
    schemes = list(
        SupportScheme.objects.open_on(today)
        .select_related("budget_line")
        .prefetch_related("filieres")
        .annotate(
            closing_soon_on=Case(
                When(closes_on__lte=soon, then=F("closes_on")),
                default=None,
                output_field=DateField(),
            )
        )
        .order_by(F("closing_soon_on").asc(nulls_last=True), "title")
    )
    for scheme in schemes:
        scheme.days_left = (scheme.closing_soon_on - today).days if scheme.closing_soon_on else None
    return render(
        request,
        "funding/scheme_list.html",
        {
            "schemes": schemes,
            "closing_soon_days": CLOSING_SOON_DAYS,
            "can_manage": can_instruct(request.user),
            "can_apply": request.user.is_authenticated,
        },
    )


@login_not_required
@require_GET
def scheme_detail(request, slug):
    """A published scheme (open or not: a closed one says so); unpublished ones are a 404."""
    scheme = get_object_or_404(
        SupportScheme.objects.published().select_related("budget_line", "plan_action").prefetch_related("filieres"),
        slug=slug,
    )
    today = timezone.localdate()
    is_open = scheme.is_open_on(today)
    return render(
        request,
        "funding/scheme_detail.html",
        {
            "scheme": scheme,
            "is_open": is_open,
            "days_left": (scheme.closes_on - today).days if is_open and scheme.closes_on else None,
            "not_yet_open": scheme.opens_on > today,
            "legal_forms": scheme_legal_form_labels(scheme),
            "required_documents": scheme_document_labels(scheme),
            "can_manage": can_instruct(request.user),
        },
    )


def scheme_legal_form_labels(scheme) -> list[str]:
    return [LegalForm(code).label for code in scheme.eligible_legal_forms if code in LegalForm.values]


def scheme_document_labels(scheme) -> list[str]:
    return [DocumentKind(code).label for code in scheme.required_documents if code in DocumentKind.values]


@require_GET
def scheme_manage_list(request):
    """Staff: every scheme, published or not, with its budget line."""
    _require_scheme_manager(request.user)
    schemes = SupportScheme.objects.select_related("budget_line").order_by("-opens_on", "title")
    return render(request, "funding/scheme_manage_list.html", {"schemes": schemes, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
def scheme_create(request):
    _require_scheme_manager(request.user)
    form = SupportSchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scheme = form.save()
        messages.success(request, f"Le dispositif « {scheme.title} » est enregistré.")
        return redirect("funding:scheme_manage_list")
    return render(request, "funding/scheme_form.html", {"form": form, "scheme": None})


@require_http_methods(["GET", "POST"])
def scheme_update(request, pk):
    _require_scheme_manager(request.user)
    scheme = get_object_or_404(SupportScheme, pk=pk)
    form = SupportSchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Le dispositif « {scheme.title} » est modifié.")
        return redirect("funding:scheme_manage_list")
    return render(request, "funding/scheme_form.html", {"form": form, "scheme": scheme})
