"""What each role may do through Django permissions (the admin, `has_perm`, DRF model permissions).

Object-level access (an applicant only sees their own structures) is not here: it is checked in
the querysets of each app. A role is a Django group of the same name; `sync_role_permissions()`
gives each group exactly the permissions below and runs after every `migrate`, so the permissions
of models added later are granted without a new data migration. `manage.py sync_roles` runs it by hand.
"""

from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

from accounts.enums import Role

ALL = "__all__"

# The apps holding the programme's business data.
DOMAIN_APPS = ["actors", "filieres", "funding", "procurement", "quadripartite", "programme"]

# role → {app label: actions on every model of that app}, or ALL for every permission of the project.
ROLE_PERMISSIONS: dict[Role, dict[str, tuple[str, ...]] | str] = {
    Role.STAFF: {**{app: ("add", "change", "view") for app in DOMAIN_APPS}, "jobs": ("view",)},
    Role.ELECTED: {app: ("view",) for app in DOMAIN_APPS},
    Role.PROCUREMENT: {"actors": ("view",), "filieres": ("view",), "procurement": ("view", "change")},
    Role.PARTNER: {app: ("view",) for app in ["quadripartite", "actors", "filieres", "programme"]},
    Role.APPLICANT: {},
    Role.ADMIN: ALL,
}


def expected_permissions(role: Role, *, permissions) -> set[int]:
    """Ids of the permissions, among `permissions` (with their content type), that `role` should hold."""
    spec = ROLE_PERMISSIONS[role]
    if spec == ALL:
        return {permission.pk for permission in permissions}
    expected = set()
    for permission in permissions:
        actions = spec.get(permission.content_type.app_label, ())
        # Only Django's default permissions (`<action>_<model>`): custom ones are granted explicitly.
        if any(permission.codename == f"{action}_{permission.content_type.model}" for action in actions):
            expected.add(permission.pk)
    return expected


def sync_role_permissions(*, app_label: str | None = None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the role groups if needed and give each one exactly its permissions.

    With `app_label`, only the permissions of that app are touched (what the post_migrate handler does).
    """
    permissions = Permission.objects.using(using).select_related("content_type")
    if app_label:
        permissions = permissions.filter(content_type__app_label=app_label)
    permissions = list(permissions)
    in_scope = {permission.pk for permission in permissions}
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        expected = expected_permissions(role, permissions=permissions)
        current = set(group.permissions.filter(pk__in=in_scope).values_list("pk", flat=True))
        if current - expected:
            group.permissions.remove(*(current - expected))
        if expected - current:
            group.permissions.add(*(expected - current))


def sync_role_permissions_after_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """post_migrate handler: runs after the permissions of `app_config` were created by django.contrib.auth."""
    if app_config is None or app_config.models_module is None:
        return
    sync_role_permissions(app_label=app_config.label, using=using)
