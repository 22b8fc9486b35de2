"""Who may read and keep the SCIC register. Staff write; elected officials and partners read."""

from accounts.enums import Role


def _has_any_role(user, *roles) -> bool:
    return user.is_authenticated and any(user.has_role(role) for role in roles)


def can_manage_scic(user) -> bool:
    """Declare a SCIC, record its capital, holdings, the Métropole's share movements and representatives."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN)


def can_view_scic(user) -> bool:
    """The register, a SCIC's page, the fund page and the export: staff, admins, elected officials and partners."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN, Role.ELECTED, Role.PARTNER)
