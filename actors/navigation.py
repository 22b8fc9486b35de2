from actors.permissions import can_view_registry
from ess_portal.navigation import NavEntry


def cannot_view_registry(user) -> bool:
    return not can_view_registry(user)


ENTRIES = (
    NavEntry("Annuaire des acteurs", "actors:directory", position=10, for_visitors=True),
    NavEntry("Acteurs", "actors:actor_list", position=20, is_visible=can_view_registry),
    NavEntry("Annuaire", "actors:directory", position=20, is_visible=cannot_view_registry),
)
