import io

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts.enums import Role
from accounts.roles import DOMAIN_APPS, sync_role_permissions


def codenames(role):
    return set(Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename").distinct())


def test_every_role_has_its_group_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_elected_officials_can_only_view_the_domain_apps(db):
    permissions = codenames(Role.ELECTED)
    assert ("actors", "view_actor") in permissions
    assert ("programme", "view_axis") in permissions
    assert all(codename.startswith("view_") for _, codename in permissions)
    assert {app for app, _ in permissions} <= set(DOMAIN_APPS)


def test_staff_can_add_change_and_view_but_not_delete_domain_data(db):
    permissions = codenames(Role.STAFF)
    assert {("actors", "add_actor"), ("actors", "change_actor"), ("actors", "view_actor")} <= permissions
    assert ("funding", "change_budgetline") in permissions
    assert ("jobs", "view_job") in permissions or not Permission.objects.filter(content_type__app_label="jobs")
    assert not any(codename.startswith("delete_") for _, codename in permissions)
    assert not any(app == "accounts" or app == "auth" for app, _ in permissions)


def test_procurement_views_actors_and_filieres_and_changes_only_procurement(db):
    permissions = codenames(Role.PROCUREMENT)
    assert ("actors", "view_actor") in permissions
    assert ("filieres", "view_filiere") in permissions
    assert ("actors", "change_actor") not in permissions
    assert {app for app, codename in permissions if not codename.startswith("view_")} <= {"procurement"}
    assert {app for app, _ in permissions} <= {"actors", "filieres", "procurement"}


def test_partners_view_the_quadripartite_convention_and_the_programme(db):
    permissions = codenames(Role.PARTNER)
    assert {("quadripartite", "view_partner"), ("actors", "view_actor"), ("programme", "view_axis")} <= permissions
    assert all(codename.startswith("view_") for _, codename in permissions)
    assert not any(app == "funding" for app, _ in permissions)


def test_applicants_hold_no_model_permission(db):
    assert codenames(Role.APPLICANT) == set()


def test_admins_hold_every_permission(db):
    assert Group.objects.get(name=Role.ADMIN).permissions.count() == Permission.objects.count()


def test_sync_removes_a_permission_granted_by_hand_and_recreates_a_missing_group(db):
    Group.objects.get(name=Role.ELECTED).permissions.add(Permission.objects.get(codename="delete_actor"))
    Group.objects.filter(name=Role.PARTNER).delete()

    sync_role_permissions()

    assert ("actors", "delete_actor") not in codenames(Role.ELECTED)
    assert ("actors", "view_actor") in codenames(Role.PARTNER)


def test_sync_roles_command_syncs_the_groups(db):
    Group.objects.get(name=Role.STAFF).permissions.clear()

    call_command("sync_roles", stdout=io.StringIO())

    assert ("actors", "add_actor") in codenames(Role.STAFF)


def test_a_user_in_a_role_group_gets_its_permissions(staff_user, elected_user):
    assert staff_user.has_perm("actors.change_actor")
    assert elected_user.has_perm("actors.view_actor")
    assert not elected_user.has_perm("actors.change_actor")
