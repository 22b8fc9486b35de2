"""Who may do what with ASR listings. Object access is enforced in querysets (`Actor.objects.of_user`)."""

from accounts.enums import Role
from actors.permissions import can_manage_actors


def can_use_buyer_directory(user) -> bool:
    """The buyer directory, its exports, the SIRET check and the API: procurement, staff and admins."""
    return user.is_authenticated and any(user.has_role(role) for role in (Role.PROCUREMENT, Role.STAFF, Role.ADMIN))


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
