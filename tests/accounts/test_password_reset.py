import re

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

NEW_PASSWORD = "un tout nouveau mot de passe"


def reset_link(message):
    return re.search(r"http://testserver(/comptes/mot-de-passe/nouveau/\S+/)", message.body).group(1)


@pytest.mark.django_db
def test_password_reset_sends_a_french_email_whose_link_sets_a_new_password(client):
    user = UserFactory(email="camille@exemple.fr")

    response = client.post(reverse("accounts:password_reset"), {"email": "camille@exemple.fr"})

    assertRedirects(response, reverse("accounts:password_reset_done"))
    assert len(mail.outbox) == 1
    assert "Réinitialisation de votre mot de passe" in mail.outbox[0].subject
    assert "Pour choisir un nouveau mot de passe" in mail.outbox[0].body

    response = client.get(reset_link(mail.outbox[0]), follow=True)
    assertContains(response, "Choisir un nouveau mot de passe")
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assertRedirects(response, reverse("accounts:password_reset_complete"))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "inconnu@exemple.fr"}, follow=True)

    assertContains(response, "Si un compte actif correspond à l’adresse indiquée")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_used_reset_link_is_refused_in_french(client):
    UserFactory(email="camille@exemple.fr")
    client.post(reverse("accounts:password_reset"), {"email": "camille@exemple.fr"})
    response = client.get(reset_link(mail.outbox[0]), follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(reset_link(mail.outbox[0]), follow=True)

    assertContains(response, "Ce lien n’est plus valable")


@pytest.mark.django_db
def test_setting_a_new_password_lifts_the_login_lockout(client):
    user = UserFactory(email="camille@exemple.fr")
    login = reverse("accounts:login")
    for _ in range(5):
        client.post(login, {"username": user.email, "password": "mauvais mot de passe"})
    assert client.post(login, {"username": user.email, "password": DEFAULT_PASSWORD}).status_code == 429

    client.post(reverse("accounts:password_reset"), {"email": user.email})
    response = client.get(reset_link(mail.outbox[0]), follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.post(login, {"username": user.email, "password": NEW_PASSWORD})
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)


@pytest.mark.django_db
def test_a_logged_in_user_changes_their_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assertContains(response, "Votre mot de passe a été modifié.")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_a_new_password_shorter_than_12_characters_is_refused(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": "court1234", "new_password2": "court1234"},
    )

    assertContains(response, "au minimum 12 caractères")
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
