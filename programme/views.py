from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from events.models import Event
from events.permissions import can_view_events
from funding.permissions import can_view_instruction
from programme.forms import ActionTrackingForm, MilestoneForm, RealisationForm
from programme.models import Action, Axis, Milestone, Realisation
from programme.permissions import can_edit_plan, can_view_plan


def _require_edit(user):
    if not can_edit_plan(user):
        raise PermissionDenied("Seul le service ESS met à jour le suivi du plan d’actions.")


@login_not_required
def plan(request):
    """/plan/: the tracking of the plan for staff, elected officials and partners; the public version (the plan's
    texts, states, progress and dated commitments, nothing internal) for everyone else, visitors included."""
    today = timezone.localdate()
    if not can_view_plan(request.user):
        axes = Axis.objects.with_plan(today=today, public=True)
        return render(request, "programme/plan_public.html", {"axes": axes})
    return render(
        request,
        "programme/plan.html",
        {"axes": Axis.objects.with_plan(today=today), "today": today, "can_edit": can_edit_plan(request.user)},
    )


def _detail_context(request, action, *, tracking_form=None, milestone_form=None, realisation_form=None):
    today = timezone.localdate()
    milestones = list(action.milestones.all())
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today=today)
    can_edit = can_edit_plan(request.user)
    return {
        "action": action,
        "sub_actions": action.load_sub_actions(),
        "milestones": milestones,
        "schemes": action.schemes.order_by("title"),
        "applications": action.applications.select_related("actor").order_by("-pk"),
        "can_view_applications": can_view_instruction(request.user),
        "history": action.history.select_related("history_user")[:20],
        "milestone_history": Milestone.history.filter(action_id=action.pk).select_related("history_user")[:20],
        "can_edit": can_edit,
        "tracking_form": tracking_form or (ActionTrackingForm(instance=action) if can_edit else None),
        "milestone_form": milestone_form or (MilestoneForm() if can_edit else None),
        "realisations": action.realisations.all(),
        # The events of the register that name this action (or one of its sub-actions), for their readers.
        "events": Event.objects.for_action(action.code).order_by("-starts_on", "pk")
        if can_view_events(request.user)
        else None,
        "realisation_form": realisation_form or (RealisationForm() if can_edit else None),
    }


@login_not_required
def action_detail(request, code):
    """An action's page: its tracking for those who read the plan's tracking, its public version otherwise."""
    action = get_object_or_404(Action.objects.select_related("sheet__axis", "parent"), code=code)
    if not can_view_plan(request.user):
        return render(request, "programme/action_public.html", _public_detail_context(action))
    return render(request, "programme/action_detail.html", _detail_context(request, action))


def _public_detail_context(action):
    today = timezone.localdate()
    milestones = list(action.milestones.plan_commitments())
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today=today)
    return {
        "action": action,
        "sub_actions": action.load_sub_actions(),
        "milestones": milestones,
        "schemes": action.schemes.published().order_by("title"),
        "realisations": action.realisations.only("action", "kind", "title", "happened_on", "link"),
    }


@require_POST
def action_update(request, code):
    _require_edit(request.user)
    action = get_object_or_404(Action.objects.select_related("sheet__axis", "parent"), code=code)
    form = ActionTrackingForm(request.POST, instance=action)
    if not form.is_valid():
        messages.error(request, "Le suivi n’a pas été enregistré : corrigez les erreurs signalées.")
        context = _detail_context(request, Action.objects.select_related("sheet__axis", "parent").get(pk=action.pk))
        context["tracking_form"] = form
        return render(request, "programme/action_detail.html", context, status=400)
    form.save()
    messages.success(request, f"Le suivi de l’action {action.code} a été mis à jour.")
    return redirect("programme:action_detail", code=action.code)


@require_POST
def milestone_create(request, code):
    _require_edit(request.user)
    action = get_object_or_404(Action.objects.select_related("sheet__axis", "parent"), code=code)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Le jalon n’a pas été ajouté : corrigez les erreurs signalées.")
        return render(
            request, "programme/action_detail.html", _detail_context(request, action, milestone_form=form), status=400
        )
    form.instance.action = action
    form.save()
    messages.success(request, f"Le jalon « {form.instance.title} » a été ajouté.")
    return redirect("programme:action_detail", code=action.code)


@require_POST
def milestone_mark_done(request, code, pk):
    _require_edit(request.user)
    milestone = get_object_or_404(Milestone, action__code=code, pk=pk)
    if milestone.done_on is None:
        milestone.done_on = timezone.localdate()
        milestone.save(update_fields=["done_on"])
        messages.success(request, f"Le jalon « {milestone.title} » est marqué comme réalisé.")
    return redirect("programme:action_detail", code=code)


@require_POST
def realisation_create(request, code):
    _require_edit(request.user)
    action = get_object_or_404(Action.objects.select_related("sheet__axis", "parent"), code=code)
    form = RealisationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "La réalisation n’a pas été ajoutée : corrigez les erreurs signalées.")
        return render(
            request,
            "programme/action_detail.html",
            _detail_context(request, action, realisation_form=form),
            status=400,
        )
    form.instance.action = action
    form.instance.created_by = request.user
    form.save()
    messages.success(request, f"La réalisation « {form.instance.title} » a été ajoutée à l’action {action.code}.")
    return redirect("programme:action_detail", code=action.code)


@require_POST
def realisation_delete(request, code, pk):
    _require_edit(request.user)
    realisation = get_object_or_404(Realisation, action__code=code, pk=pk)
    realisation.delete()
    messages.success(request, f"La réalisation « {realisation.title} » a été retirée.")
    return redirect("programme:action_detail", code=code)
