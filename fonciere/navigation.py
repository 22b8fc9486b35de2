from accounts.enums import Role
from ess_portal.navigation import NavEntry, holding
from fonciere.permissions import can_view_fonciere

ENTRIES = (
    NavEntry("Foncière solidaire", "fonciere:property_list", position=36, is_visible=can_view_fonciere),
    NavEntry("Mes locaux", "fonciere:my_leases", position=12, is_visible=holding(Role.APPLICANT)),
)
