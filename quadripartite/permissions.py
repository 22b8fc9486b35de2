"""Who may do what in the quadripartite space. Staff and the partner users of the four signatory collectivities
write meeting records; elected officials read; only staff change the convention and the yearly organiser."""

from accounts.enums import Role
from quadripartite.models import partner_of


def _has_any_role(user, *roles) -> bool:
    return user.is_authenticated and any(user.has_role(role) for role in roles)


def can_read_quadripartite(user) -> bool:
    return _has_any_role(user, Role.STAFF, Role.ADMIN, Role.ELECTED, Role.PARTNER)


def can_manage_convention(user) -> bool:
    return _has_any_role(user, Role.STAFF, Role.ADMIN)


def can_write_meetings(user) -> bool:
    if can_manage_convention(user):
        return True
    partner = partner_of(user) if _has_any_role(user, Role.PARTNER) else None
    return partner is not None and partner.is_signatory


def can_mark_done(user, decision) -> bool:
    """Staff, or a member of the partner the decision is assigned to."""
    if can_manage_convention(user):
        return True
    partner = partner_of(user) if _has_any_role(user, Role.PARTNER) else None
    return partner is not None and partner.pk == decision.owner_id
