"""The events section of an actor's page in the staff registry (registered in `EventsConfig.ready()`)."""

from events.models import Event, PrizeCandidate
from events.permissions import can_view_events

LATEST_EVENTS = 20


def actor_events(actor, user) -> dict | None:
    """The latest events the actor took part in and its entries for the Prix coup de cœur ESS, in two queries; None
    (and no query) when the user may not read the events, None when there is nothing to show."""
    if not can_view_events(user):
        return None
    events = list(Event.objects.filter(actors=actor).order_by("-starts_on", "pk")[:LATEST_EVENTS])
    candidacies = list(
        PrizeCandidate.objects.filter(actor=actor)
        .select_related("category__edition", "laureate")
        .order_by("-category__edition__year", "category__position")
    )
    if not events and not candidacies:
        return None
    return {"events": events, "candidacies": candidacies}
