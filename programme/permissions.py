"""Who may read and update the action plan's tracking."""

from accounts.enums import Role


def _has_any_role(user, *roles) -> bool:
    return user.is_authenticated and any(user.has_role(role) for role in roles)


def can_view_plan(user) -> bool:
    """Staff, elected officials, quadripartite partners and admins read the plan's state."""
    return _has_any_role(user, Role.STAFF, Role.ELECTED, Role.PARTNER, Role.ADMIN)


def can_edit_plan(user) -> bool:
    """Only the ESS service (and admins) update statuses, progress and milestones."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN)


def can_view_reports(user) -> bool:
    """Elected officials, the ESS service and admins read and download the indicator reports."""
    return _has_any_role(user, Role.STAFF, Role.ELECTED, Role.ADMIN)


def can_request_reports(user) -> bool:
    """Only the ESS service and admins ask for a report or relaunch a failed one; elected officials only read."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN)
