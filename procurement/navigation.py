from accounts.enums import Role
from ess_portal.navigation import NavEntry, holding
from procurement.permissions import can_manage_contracts, can_read_spend_report, can_use_buyer_directory

ENTRIES = (
    NavEntry(
        "Demandes des acheteurs", "procurement:sourcing_received", position=12, is_visible=holding(Role.APPLICANT)
    ),
    NavEntry("Annuaire ASR", "procurement:directory", position=40, is_visible=can_use_buyer_directory),
    NavEntry("Sourcing", "procurement:sourcing_list", position=41, is_visible=can_use_buyer_directory),
    NavEntry("Achats ESS", "procurement:spend_index", position=42, is_visible=can_read_spend_report),
    # The PLIE facilitators of a contract reach theirs from their home page (no query on every page here).
    NavEntry("Clauses d’insertion", "procurement:contract_list", position=43, is_visible=can_manage_contracts),
)
