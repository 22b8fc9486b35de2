from ess_portal.navigation import NavEntry
from programme.permissions import can_view_plan


def cannot_view_plan(user) -> bool:
    return not can_view_plan(user)


ENTRIES = (
    NavEntry("Plan d’actions", "programme:plan", position=35, for_visitors=True),  # its public version
    NavEntry("Plan d’actions", "programme:plan", position=60, is_visible=can_view_plan),
    NavEntry("Plan d’actions", "programme:plan", position=60, is_visible=cannot_view_plan),  # the public version
    NavEntry("Tableau de bord", "programme:dashboard", position=61, is_visible=can_view_plan),
)
