import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from accounts.enums import Role

ROLE_HOMES = {
    Role.STAFF: "staff_home",
    Role.APPLICANT: "applicant_home",
    Role.ELECTED: "elected_home",
    Role.PROCUREMENT: "procurement_home",
    Role.PARTNER: "partner_home",
    Role.ADMIN: "admin_home",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_its_own_home_page_and_gets_403_on_the_others(client, user_with_role, role):
    client.force_login(user_with_role(role))

    for other_role, url_name in ROLE_HOMES.items():
        response = client.get(reverse(url_name))
        expected = 200 if other_role == role else 403
        assert response.status_code == expected, f"{role} on {url_name}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_the_site_root_sends_a_logged_in_user_to_their_role_home(client, user_with_role, role):
    client.force_login(user_with_role(role))

    assertRedirects(client.get("/"), reverse(ROLE_HOMES[role]), fetch_redirect_response=False)
