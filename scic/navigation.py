from ess_portal.navigation import NavEntry
from scic.permissions import can_view_scic

ENTRIES = (NavEntry("SCIC", "scic:register", position=34, is_visible=can_view_scic),)
