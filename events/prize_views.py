"""Pages of the Prix coup de cœur ESS: the editions, an edition with its categories, candidates, jury and laureates,
and the staff forms (the laureate's prize committed and paid through funding, `services.award_prize`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ess_portal.forms import add_service_error
from events import services
from events.forms import (
    JuryMemberForm,
    LaureateForm,
    PrizeCandidateForm,
    PrizeCategoryForm,
    PrizeEditionForm,
    PrizePaymentForm,
)
from events.models import Laureate, PrizeCandidate, PrizeEdition
from events.permissions import can_manage_events
from events.views import require_reader, require_writer

FIELD_OF_ERROR = {
    "not_candidate": "actor",
    "amount": "amount",
    "insufficient_credits": "amount",
    "payment_order_number": "payment_order_number",
}


@require_GET
def prize_edition_list(request):
    require_reader(request.user)
    editions = PrizeEdition.objects.annotate(prizes=Sum("categories__candidates__laureate__amount")).order_by("-year")
    return render(
        request,
        "events/prize_edition_list.html",
        {"editions": editions, "can_write": can_manage_events(request.user)},
    )


@require_http_methods(["GET", "POST"])
def prize_edition_create(request):
    require_writer(request.user)
    form = PrizeEditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        edition = form.save()
        messages.success(request, f"L’édition {edition.year} du prix coup de cœur ESS est créée.")
        return redirect(edition)
    return render(request, "events/prize_edition_form.html", {"form": form})


def _edition_page(request, edition, **forms):
    can_write = can_manage_events(request.user)
    candidates = PrizeCandidate.objects.select_related("actor", "laureate__commitment").order_by("actor__name")
    categories = edition.categories.prefetch_related(Prefetch("candidates", queryset=candidates))
    context = {
        "edition": edition,
        "categories": categories,
        "jury": edition.jury.all(),
        "total": Laureate.objects.filter(candidate__category__edition=edition).aggregate(total=Sum("amount"))["total"],
        "can_write": can_write,
    }
    if can_write:
        context.update(
            {
                "category_form": PrizeCategoryForm(),
                "candidate_form": PrizeCandidateForm(edition=edition),
                "jury_form": JuryMemberForm(),
                "laureate_form": LaureateForm(edition=edition),
                "payment_form": PrizePaymentForm(edition=edition),
                **forms,
            }
        )
    return render(request, "events/prize_edition_detail.html", context, status=400 if forms else 200)


@require_GET
def prize_edition_detail(request, year: int):
    require_reader(request.user)
    return _edition_page(request, get_object_or_404(PrizeEdition.objects.select_related("ceremony"), year=year))


@require_POST
def prize_category_add(request, year: int):
    require_writer(request.user)
    edition = get_object_or_404(PrizeEdition, year=year)
    form = PrizeCategoryForm(request.POST, instance=None)
    form.instance.edition = edition
    if not form.is_valid():
        return _edition_page(request, edition, category_form=form)
    form.save()
    messages.success(request, f"La catégorie « {form.instance.name} » est ajoutée.")
    return redirect(edition)


@require_POST
def prize_candidate_add(request, year: int):
    require_writer(request.user)
    edition = get_object_or_404(PrizeEdition, year=year)
    form = PrizeCandidateForm(request.POST, edition=edition)
    if not form.is_valid():
        return _edition_page(request, edition, candidate_form=form)
    candidate = form.save()
    messages.success(request, f"« {candidate.actor.name} » est candidat dans « {candidate.category.name} ».")
    return redirect(edition)


@require_POST
def jury_member_add(request, year: int):
    require_writer(request.user)
    edition = get_object_or_404(PrizeEdition, year=year)
    form = JuryMemberForm(request.POST)
    form.instance.edition = edition
    if not form.is_valid():
        return _edition_page(request, edition, jury_form=form)
    form.save()
    messages.success(request, f"{form.instance.name} rejoint le jury.")
    return redirect(edition)


@require_POST
def laureate_award(request, year: int):
    """A laureate among a category's candidates; the prize is committed on the year's line or refused."""
    require_writer(request.user)
    edition = get_object_or_404(PrizeEdition, year=year)
    form = LaureateForm(request.POST, edition=edition)
    if form.is_valid():
        try:
            laureate = services.award_prize(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, f"« {laureate.candidate.actor.name} » est lauréat ; la dotation est engagée.")
            return redirect(edition)
    return _edition_page(request, edition, laureate_form=form)


@require_POST
def laureate_pay(request, year: int):
    """The payment of a laureate's whole prize, with its mandate number."""
    require_writer(request.user)
    edition = get_object_or_404(PrizeEdition, year=year)
    form = PrizePaymentForm(request.POST, edition=edition)
    if form.is_valid():
        try:
            services.pay_prize(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error, fields_by_code=FIELD_OF_ERROR)
        else:
            messages.success(request, "Le versement de la dotation est enregistré.")
            return redirect(edition)
    return _edition_page(request, edition, payment_form=form)
