"""Who may import purchases and read the share of ESS spend (procurement/spend.py)."""

from accounts.enums import Role


def _has_any_role(user, roles) -> bool:
    return user.is_authenticated and any(user.has_role(role) for role in roles)


def can_import_purchases(user) -> bool:
    """The purchases files come from the procurement team; staff and admins may import them too."""
    return _has_any_role(user, (Role.PROCUREMENT, Role.STAFF, Role.ADMIN))


def can_read_spend_report(user) -> bool:
    """The report and its spreadsheet of figures: also elected officials (read-only, aggregated figures)."""
    return _has_any_role(user, (Role.PROCUREMENT, Role.STAFF, Role.ADMIN, Role.ELECTED))


def can_see_purchase_lines(user) -> bool:
    """The purchase lines (suppliers outside the registry, the CSV of purchases) name suppliers that may be
    sole traders, i.e. people: only the teams who import and check the files see them, not elected officials."""
    return can_import_purchases(user)
