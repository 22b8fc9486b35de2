"""Who may do what with ESS actors. Object access itself is enforced in querysets (`Actor.objects.…`)."""

from accounts.enums import Role


def can_manage_actors(user) -> bool:
    """Staff (and admins) create, edit, archive, import and export actors, and validate claims."""
    return user.is_authenticated and (user.has_role(Role.STAFF) or user.has_role(Role.ADMIN))


def can_view_contacts(user) -> bool:
    """Personal contact data is for staff only (the public and partners never see it)."""
    return can_manage_actors(user)


def can_view_registry(user) -> bool:
    """The full registry (non-public actors too): staff, admins, and the read-only roles of the métropole."""
    return user.is_authenticated and any(
        user.has_role(role) for role in (Role.STAFF, Role.ADMIN, Role.ELECTED, Role.PROCUREMENT, Role.PARTNER)
    )


def can_edit_actor_profile(user, actor) -> bool:
    """Members edit their structure's profile (not its agréments); staff edit every actor."""
    if can_manage_actors(user):
        return True
    return user.is_authenticated and actor.memberships.filter(user=user, is_active=True).exists()
