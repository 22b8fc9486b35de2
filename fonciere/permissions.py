"""Who may do what with the foncière solidaire. Object access itself is enforced in querysets
(`Lease.objects.visible_to(user)`)."""

from accounts.enums import Role


def _has_any_role(user, *roles) -> bool:
    return user.is_authenticated and any(user.has_role(role) for role in roles)


def can_manage_fonciere(user) -> bool:
    """Properties, leases and capitalisation are recorded by the ESS service (and admins)."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN)


def can_view_fonciere(user) -> bool:
    """The register of properties and every lease: staff act, elected officials and partners read."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN, Role.ELECTED, Role.PARTNER)


def can_view_own_leases(user) -> bool:
    """An applicant reads the leases of the structures they act for."""
    return _has_any_role(user, Role.APPLICANT)
