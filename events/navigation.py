from ess_portal.navigation import NavEntry
from events.permissions import can_view_events


def reads_agenda_only(user) -> bool:
    return not can_view_events(user)


ENTRIES = (
    NavEntry("Évènements", "events:event_list", position=38, is_visible=can_view_events),
    # The public agenda: signed-in users who do not read the register, and visitors.
    NavEntry("Agenda de l’ESS", "events:agenda", position=39, is_visible=reads_agenda_only),
    NavEntry("Agenda de l’ESS", "events:agenda", position=39, for_visitors=True),
)
