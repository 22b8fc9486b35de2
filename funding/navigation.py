from accounts.enums import Role
from ess_portal.navigation import NavEntry, holding
from funding.permissions import can_instruct, can_read_cofinancing, can_view_instruction

ENTRIES = (
    NavEntry("Dispositifs de soutien", "funding:scheme_list", position=30, for_visitors=True),
    NavEntry("Mes dossiers", "funding:applicant_application_list", position=10, is_visible=holding(Role.APPLICANT)),
    NavEntry("Dispositifs de soutien", "funding:scheme_list", position=11, is_visible=holding(Role.APPLICANT)),
    NavEntry("Instruction", "funding:queue", position=30, is_visible=can_view_instruction),
    NavEntry("Séances", "funding:session_list", position=31, is_visible=can_view_instruction),
    NavEntry("Budget", "funding:budget_current", position=32, is_visible=can_view_instruction),
    NavEntry("Dispositifs", "funding:scheme_manage_list", position=33, is_visible=can_instruct),
    NavEntry("Cofinancements", "funding:cofinancing_table", position=39, is_visible=can_read_cofinancing),
)
