"""Who may do what with the ESS events, the Prix coup de cœur ESS and the GSEF participations. The public agenda
(upcoming public events) is open to everyone, visitors included."""

from accounts.enums import Role


def _has_any_role(user, *roles) -> bool:
    return user.is_authenticated and any(user.has_role(role) for role in roles)


def can_manage_events(user) -> bool:
    """Events, attendance, the prize and the GSEF log are recorded by the ESS service (and admins)."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN)


def can_view_events(user) -> bool:
    """The register of every event (internal ones included), the prize and the GSEF log: staff act, elected
    officials and partners read."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN, Role.ELECTED, Role.PARTNER)
