import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

LOGIN_URL = reverse("accounts:login")


def log_in(client, email, password, ip="192.0.2.10"):
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_login_page_is_in_french_with_an_email_field(client):
    response = client.get(LOGIN_URL)

    assertContains(response, '<label for="id_username">Adresse e-mail')
    assertContains(response, 'type="email" name="username"')
    assertContains(response, "Mot de passe oublié ?")


@pytest.mark.django_db
def test_a_user_logs_in_with_email_and_password_and_lands_on_their_home(client, staff_user):
    response = log_in(client, staff_user.email, DEFAULT_PASSWORD)

    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assertRedirects(client.get("/"), reverse("staff_home"), fetch_redirect_response=False)


@pytest.mark.django_db
def test_login_follows_next_inside_the_site_only(client, staff_user):
    response = client.post(
        LOGIN_URL + "?next=/espace/agent/", {"username": staff_user.email, "password": DEFAULT_PASSWORD}
    )
    assertRedirects(response, "/espace/agent/", fetch_redirect_response=False)

    client.logout()
    response = client.post(
        LOGIN_URL + "?next=https://evil.example.com/", {"username": staff_user.email, "password": DEFAULT_PASSWORD}
    )
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)


@pytest.mark.django_db
def test_a_wrong_password_gets_a_french_message_and_is_recorded(client, staff_user):
    response = log_in(client, staff_user.email, "mauvais mot de passe")

    assertContains(response, "Adresse e-mail ou mot de passe incorrect.")
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        staff_user.email,
        "192.0.2.10",
        1,
    )


@pytest.mark.django_db
def test_after_5_failures_the_account_is_locked_for_that_ip_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(5):
        log_in(client, user.email, "mauvais mot de passe")

    response = log_in(client, user.email, DEFAULT_PASSWORD)

    assert response.status_code == 429
    assertTemplateUsed(response, "accounts/lockout.html")
    assertContains(response, "30 minutes", status_code=429)
    assertContains(response, reverse("accounts:password_reset"), status_code=429)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_locked_account_can_still_log_in_from_another_ip(client):
    user = UserFactory()
    for _ in range(6):
        log_in(client, user.email, "mauvais mot de passe", ip="192.0.2.10")

    response = log_in(client, user.email, DEFAULT_PASSWORD, ip="198.51.100.7")

    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_failures_on_one_account_do_not_lock_another_account_from_the_same_ip(client):
    target, other = UserFactory(), UserFactory()
    for _ in range(6):
        log_in(client, target.email, "mauvais mot de passe")

    response = log_in(client, other.email, DEFAULT_PASSWORD)

    assertRedirects(response, reverse("home"), fetch_redirect_response=False)


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_logged_in_user_visiting_the_login_page_is_sent_home(client, staff_user):
    client.force_login(staff_user)

    assertRedirects(client.get(LOGIN_URL), reverse("home"), fetch_redirect_response=False)


@pytest.mark.django_db
def test_the_email_is_case_insensitive_at_login_and_for_the_lockout(client):
    user = UserFactory(email="camille@exemple.fr")
    for _ in range(5):
        log_in(client, "Camille@Exemple.FR", "mauvais mot de passe")

    assert log_in(client, "camille@exemple.fr", DEFAULT_PASSWORD).status_code == 429
    assert log_in(client, "CAMILLE@exemple.fr", DEFAULT_PASSWORD, ip="198.51.100.7").status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_every_failed_login_is_kept_in_the_failure_log(client):
    user = UserFactory()
    log_in(client, user.email, "mauvais mot de passe", ip="192.0.2.10")
    log_in(client, user.email, "encore faux", ip="198.51.100.7")

    failures = AccessFailureLog.objects.order_by("attempt_time")
    assert [(failure.username, failure.ip_address) for failure in failures] == [
        (user.email, "192.0.2.10"),
        (user.email, "198.51.100.7"),
    ]
