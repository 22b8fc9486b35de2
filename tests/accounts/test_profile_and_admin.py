import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.enums import Role
from accounts.models import User
from tests.accounts.factories import MembershipFactory, UserFactory


@pytest.mark.django_db
def test_profile_shows_email_roles_and_structures(client, applicant_user):
    MembershipFactory(user=applicant_user, actor__name="Recyclerie du Bouscat", position="Présidente")
    client.force_login(applicant_user)

    response = client.get(reverse("accounts:profile"))

    assertContains(response, applicant_user.email)
    assertContains(response, Role.APPLICANT.label)
    assertContains(response, "Recyclerie du Bouscat – Présidente")


@pytest.mark.django_db
def test_admin_lists_users_with_their_roles(client, admin_user):
    UserFactory(email="elu@exemple.fr", role=Role.ELECTED)
    client.force_login(admin_user)

    response = client.get(reverse("admin:accounts_user_changelist"), {"q": "elu@"})

    assertContains(response, "elu@exemple.fr")
    assertContains(response, "elected")


@pytest.mark.django_db
def test_admin_creates_a_user_from_an_email(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "nouvel.agent@exemple.fr",
            "usable_password": "true",
            "password1": "une phrase de passe solide",
            "password2": "une phrase de passe solide",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(email="nouvel.agent@exemple.fr").check_password("une phrase de passe solide")


@pytest.mark.django_db
def test_admin_change_and_membership_pages_open(client, admin_user):
    client.force_login(admin_user)

    assert client.get(reverse("admin:accounts_user_change", args=[admin_user.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_membership_changelist")).status_code == 200
