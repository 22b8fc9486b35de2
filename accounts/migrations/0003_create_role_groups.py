"""One Django group per role. Their permissions are set by `accounts.roles.sync_role_permissions`,
run after every migrate (permissions of the other apps do not exist yet at this point)."""

from django.db import migrations

# Frozen copy of accounts.enums.Role: a migration must not change when the enum does.
ROLE_NAMES = ["staff", "applicant", "elected", "procurement", "partner", "admin"]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_email_confirmed_at"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_role_groups, migrations.RunPython.noop),
    ]
