from ess_portal.navigation import NavEntry
from quadripartite.permissions import can_read_quadripartite

ENTRIES = (NavEntry("Quadripartite", "quadripartite:space", position=38, is_visible=can_read_quadripartite),)
