from django.core.management import call_command
from django.urls import reverse


def test_openapi_schema_is_served_to_logged_in_users(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("api:schema"))

    assert response.status_code == 200
    assert b"/api/v1/communes/" in response.content
    assert b"/api/v1/lignes-budgetaires/" in response.content


def test_openapi_schema_is_not_served_to_anonymous_visitors(client, db):
    assert client.get(reverse("api:schema")).status_code in (401, 403)


def test_openapi_schema_builds_without_warnings(tmp_path, db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert (tmp_path / "schema.yml").read_text().startswith("openapi:")
