"""Who may do what in procurement: ASR listings, buyer directory, share of ESS spend, contracts with insertion
clauses. Object access is enforced in querysets (`Actor.objects.of_user`, `Contract.objects.visible_to`)."""

from accounts.enums import Role
from actors.permissions import can_manage_actors


def can_use_buyer_directory(user) -> bool:
    """The buyer directory, its exports, the SIRET check and the API: procurement, staff and admins."""
    return user.is_authenticated and any(user.has_role(role) for role in (Role.PROCUREMENT, Role.STAFF, Role.ADMIN))


def can_audit_exports(user) -> bool:
    """Staff and admins read every buyer's exports (they can hold personal contacts); buyers read their own."""
    return can_manage_actors(user)


def can_review_listings(user) -> bool:
    """Staff publish ASR listings or send them back to the structure."""
    return can_manage_actors(user)


def can_import_purchases(user) -> bool:
    """The purchases files come from the procurement team; staff and admins may import them too."""
    return user.is_authenticated and any(user.has_role(role) for role in (Role.PROCUREMENT, Role.STAFF, Role.ADMIN))


def can_read_spend_report(user) -> bool:
    """The report and its spreadsheet of figures: also elected officials (read-only, aggregated figures)."""
    return user.is_authenticated and any(
        user.has_role(role) for role in (Role.PROCUREMENT, Role.STAFF, Role.ADMIN, Role.ELECTED)
    )


def can_see_purchase_lines(user) -> bool:
    """The purchase lines (suppliers outside the registry, the CSV of purchases) name suppliers that may be
    sole traders, i.e. people: only the teams who import and check the files see them, not elected officials."""
    return can_import_purchases(user)


# --- Contracts with insertion clauses ---
# Who may do what with contracts holding insertion clauses.
#
# - Staff of the ESS service, the procurement direction and administrators create and edit contracts, report hours
#   on any contract, read the economic direction's follow-up page, export the PLIE reporting and use the API.
# - The PLIE facilitator of a contract (any role, often an agent outside the Métropole) sees only the contracts they
#   facilitate, reports hours on them and exports their PLIE reporting; they do not edit the contracts.
# - Everyone else (elected officials, partners, applicants) has no access, unless set as a facilitator.
# Object access is enforced by `Contract.objects.visible_to(user)`: a contract outside it is a 404.


MANAGER_ROLES = (Role.STAFF, Role.PROCUREMENT, Role.ADMIN)


def can_manage_contracts(user) -> bool:
    """Create and edit contracts, report hours on any of them, follow-up page, API."""
    return user.is_authenticated and any(user.has_role(role) for role in MANAGER_ROLES)


def can_view_contracts(user) -> bool:
    """The contract pages: managers, and the facilitators of at least one contract."""
    return can_manage_contracts(user) or (user.is_authenticated and user.facilitated_contracts.exists())


def can_report_hours(user, contract) -> bool:
    return can_manage_contracts(user) or (user.is_authenticated and contract.facilitator_id == user.pk)
