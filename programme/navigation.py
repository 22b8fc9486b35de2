from ess_portal.navigation import NavEntry
from programme.permissions import can_view_plan

ENTRIES = (
    NavEntry("Plan d’actions", "programme:plan", position=60, is_visible=can_view_plan),
    NavEntry("Tableau de bord", "programme:dashboard", position=61, is_visible=can_view_plan),
)
