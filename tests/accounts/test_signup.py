import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from accounts import services
from accounts.enums import Role
from accounts.models import User
from tests.accounts.factories import PendingApplicantFactory, UserFactory

PASSWORD = "une phrase de passe solide"


def signup_data(**overrides):
    return {
        "email": "camille.martin@exemple.fr",
        "first_name": "Camille",
        "last_name": "Martin",
        "organisation": "Recyclerie du Bouscat",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_privacy_notice": "on",
    } | overrides


def in_the_future(**delta):
    return (timezone.now() + timedelta(**delta)).timestamp()


def confirmation_path(message):
    url = re.search(r"https?://\S+/comptes/confirmation/\S+/", message.body).group(0)
    return url.removeprefix("http://testserver")


@pytest.mark.django_db
def test_signup_page_answers_anonymous_visitors_in_french(client):
    response = client.get(reverse("accounts:signup"))

    assertContains(response, "Créer un compte porteur de projet")
    assertContains(response, '<label for="id_email">Adresse e-mail')


@pytest.mark.django_db
def test_signup_creates_an_inactive_applicant_and_sends_a_confirmation_link(client):
    response = client.post(reverse("accounts:signup"), signup_data(email="Camille.Martin@Exemple.fr"))

    assertRedirects(response, reverse("accounts:signup_done"))
    user = User.objects.get()
    assert user.email == "camille.martin@exemple.fr"
    assert (user.first_name, user.last_name, user.organisation) == ("Camille", "Martin", "Recyclerie du Bouscat")
    assert not user.is_active
    assert user.roles == {Role.APPLICANT}
    assert user.check_password(PASSWORD)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille.martin@exemple.fr"]
    assert "Confirmez votre adresse e-mail" in mail.outbox[0].subject
    assert "/comptes/confirmation/" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_unconfirmed_account_cannot_log_in(client):
    client.post(reverse("accounts:signup"), signup_data())

    response = client.post(reverse("accounts:login"), {"username": "camille.martin@exemple.fr", "password": PASSWORD})

    assert response.status_code == 200
    assertContains(response, "confirmez d’abord votre adresse e-mail")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_following_the_confirmation_link_activates_the_account_and_login_works(client):
    client.post(reverse("accounts:signup"), signup_data())

    response = client.get(confirmation_path(mail.outbox[0]), follow=True)

    assertContains(response, "Votre adresse e-mail est confirmée")
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    user = User.objects.get()
    assert user.is_active
    assert user.email_confirmed_at is not None

    response = client.post(reverse("accounts:login"), {"username": "camille.martin@exemple.fr", "password": PASSWORD})

    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert int(client.session["_auth_user_id"]) == user.pk
    assertRedirects(client.get("/"), reverse("applicant_home"))


@pytest.mark.django_db
def test_a_bad_email_gets_a_french_message_next_to_the_field_and_creates_nothing(client):
    response = client.post(reverse("accounts:signup"), signup_data(email="pas-une-adresse"))

    assert response.status_code == 200
    assertContains(response, '<ul class="errorlist" id="id_email_error"><li>Saisissez une adresse e-mail valide.</li>')
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_password_shorter_than_12_characters_is_refused_next_to_the_field(client):
    response = client.post(reverse("accounts:signup"), signup_data(password1="court1234", password2="court1234"))

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assertContains(response, 'id="id_password1_error"')
    assertContains(response, "au minimum 12 caractères")
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_common_password_or_one_like_the_name_is_refused(client):
    data = signup_data(password1="martincamille", password2="martincamille")
    response = client.post(reverse("accounts:signup"), data)

    assertContains(response, "trop semblable")
    response = client.post(reverse("accounts:signup"), signup_data(password1="password1234", password2="password1234"))

    assertContains(response, "trop courant")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_two_different_passwords_are_refused(client):
    response = client.post(reverse("accounts:signup"), signup_data(password2="une autre phrase de passe"))

    assertContains(response, "Les deux mots de passe ne sont pas identiques.")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_personal_data_notice_must_be_accepted(client):
    data = signup_data()
    del data["accept_privacy_notice"]

    response = client.post(reverse("accounts:signup"), data)

    assertContains(response, "Vous devez accepter la notice sur les données personnelles")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_email_is_refused_with_a_french_message(client):
    existing = UserFactory(email="camille.martin@exemple.fr", first_name="Ancien")

    response = client.post(reverse("accounts:signup"), signup_data(email="CAMILLE.martin@exemple.fr"))

    assert response.status_code == 200
    assertContains(response, "Un compte existe déjà avec cette adresse e-mail.")
    assertContains(response, reverse("accounts:password_reset"))
    assertContains(response, "Ancien", count=0)
    assert list(User.objects.all()) == [existing]
    assert mail.outbox == []


@pytest.mark.django_db
def test_register_applicant_refuses_a_duplicate_email():
    UserFactory(email="camille.martin@exemple.fr")

    with pytest.raises(services.ValidationError):
        services.register_applicant(
            email="Camille.Martin@exemple.fr", password=PASSWORD, first_name="C", last_name="M", organisation=""
        )
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_an_expired_link_says_so_in_french_and_offers_a_new_one(client):
    client.post(reverse("accounts:signup"), signup_data())
    path = confirmation_path(mail.outbox[0])

    with mock.patch("django.core.signing.time.time", return_value=in_the_future(days=3, minutes=1)):
        response = client.get(path)

    assertContains(response, "Ce lien de confirmation a expiré")
    assertContains(response, "Renvoyer le lien")
    assert not User.objects.get().is_active


@pytest.mark.django_db
def test_a_link_is_still_valid_after_two_days(client):
    client.post(reverse("accounts:signup"), signup_data())
    path = confirmation_path(mail.outbox[0])

    with mock.patch("django.core.signing.time.time", return_value=in_the_future(days=2)):
        client.get(path)

    assert User.objects.get().is_active


@pytest.mark.django_db
def test_a_tampered_link_is_invalid(client):
    client.post(reverse("accounts:signup"), signup_data())
    path = confirmation_path(mail.outbox[0])

    response = client.get(path[:-3] + "xx/")

    assertContains(response, "Ce lien de confirmation n’est pas valide")
    assert not User.objects.get().is_active


@pytest.mark.django_db
def test_an_already_used_link_says_the_address_is_confirmed(client):
    client.post(reverse("accounts:signup"), signup_data())
    path = confirmation_path(mail.outbox[0])
    client.get(path)

    response = client.get(path)

    assertContains(response, "Ce lien a déjà été utilisé")


@pytest.mark.django_db
def test_a_confirmation_link_never_reactivates_an_account_an_admin_disabled(client):
    client.post(reverse("accounts:signup"), signup_data())
    path = confirmation_path(mail.outbox[0])
    client.get(path)
    User.objects.update(is_active=False)

    response = client.get(path)

    assertContains(response, "Ce lien a déjà été utilisé")
    assert not User.objects.get().is_active


@pytest.mark.django_db
def test_asking_for_a_new_link_sends_one_that_works(client):
    client.post(reverse("accounts:signup"), signup_data())

    url = reverse("accounts:resend_confirmation")
    response = client.post(url, {"email": "camille.martin@exemple.fr"}, follow=True)

    assertContains(response, "un nouveau lien de confirmation vient de lui être envoyé")
    assert len(mail.outbox) == 2
    client.get(confirmation_path(mail.outbox[1]))
    assert User.objects.get().is_active


@pytest.mark.django_db
def test_asking_for_a_new_link_for_an_unknown_or_active_address_sends_nothing_and_says_the_same(client):
    UserFactory(email="active@exemple.fr", role=Role.APPLICANT)

    for email in ["inconnu@exemple.fr", "active@exemple.fr"]:
        response = client.post(reverse("accounts:resend_confirmation"), {"email": email}, follow=True)
        assertContains(response, "Si un compte en attente de confirmation correspond à cette adresse")

    assert mail.outbox == []


@pytest.mark.django_db
def test_a_pending_applicant_can_ask_for_a_new_link(client):
    user = PendingApplicantFactory()

    client.post(reverse("accounts:resend_confirmation"), {"email": user.email})

    assert len(mail.outbox) == 1
    client.get(confirmation_path(mail.outbox[0]))
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.django_db
def test_no_new_link_for_a_disabled_account_that_was_already_used(client):
    user = PendingApplicantFactory(last_login=timezone.now())

    client.post(reverse("accounts:resend_confirmation"), {"email": user.email})

    assert mail.outbox == []
