"""Who may do what with ASR listings. Object access is enforced in querysets (`Actor.objects.of_user`)."""

from accounts.enums import Role
from actors.permissions import can_manage_actors


def can_use_buyer_directory(user) -> bool:
    """The buyer directory, its exports, the SIRET check and the API: procurement, staff and admins."""
    return user.is_authenticated and any(user.has_role(role) for role in (Role.PROCUREMENT, Role.STAFF, Role.ADMIN))


def can_review_listings(user) -> bool:
    """Staff publish ASR listings or send them back to the structure."""
    return can_manage_actors(user)
