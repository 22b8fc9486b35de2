"""Writes on actors that span several models or reach outside (geocoding)."""

from django.db import transaction
from django.utils import timezone

from actors.models import Actor

# A change of any of these fields moves the actor on the map.
ADDRESS_FIELDS = {"address", "postal_code", "commune"}


def _save_inline(formset, *, actor: Actor, by) -> None:
    """Save an inline formset (agréments, contacts) so that every history record names `by`."""
    for obj in formset.save(commit=False):
        obj.actor = actor
        obj._history_user = by
        obj.save()
    for obj in formset.deleted_objects:
        obj._history_user = by
        obj.delete()


def enqueue_geocoding(actor: Actor) -> None:
    """Locate the actor from its address once the transaction commits (Celery task `actors.geocode_actor`)."""
    from actors.tasks import geocode_actor

    geocode_actor.delay_on_commit(actor.pk)


@transaction.atomic
def save_actor(*, form, agrement_formset, contact_formset, by) -> Actor:
    """Create or update an actor from the validated staff form and its inline formsets, all or nothing.

    Every history record (actor, filières/segments, agréments, contacts) names `by`. When the actor is new or
    its address changed, it is geocoded again after commit.
    """
    is_new = form.instance.pk is None
    actor = form.save(commit=False)
    actor._history_user = by
    if form.cleaned_data.get("is_verified"):
        actor.verified_at = actor.verified_at or timezone.now()
    else:
        actor.verified_at = None
    actor._change_reason = "Création" if is_new else "Modification"
    actor.save()
    # Each m2m change records its own history row, also named after `by`.
    form.save_m2m()
    agrement_formset.instance = actor
    contact_formset.instance = actor
    _save_inline(agrement_formset, actor=actor, by=by)
    _save_inline(contact_formset, actor=actor, by=by)
    if is_new or ADDRESS_FIELDS & set(form.changed_data):
        enqueue_geocoding(actor)
    return actor


@transaction.atomic
def archive_actor(*, actor: Actor, by) -> Actor:
    """Hide the actor from lists, the directory and exports; nothing is deleted (its history stays)."""
    return _set_archived(actor=actor, by=by, is_archived=True, reason="Archivage")


@transaction.atomic
def restore_actor(*, actor: Actor, by) -> Actor:
    return _set_archived(actor=actor, by=by, is_archived=False, reason="Restauration")


def _set_archived(*, actor: Actor, by, is_archived: bool, reason: str) -> Actor:
    actor = Actor.objects.select_for_update().get(pk=actor.pk)
    if actor.is_archived == is_archived:
        return actor
    actor.is_archived = is_archived
    actor._history_user = by
    actor._change_reason = reason
    actor.save(update_fields=["is_archived", "updated_at"])
    return actor
