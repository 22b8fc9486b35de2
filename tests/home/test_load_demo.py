from django.core.management import call_command
from django.urls import reverse
from stdnum.fr import siret

from accounts.demo import DEMO_PASSWORD
from accounts.enums import Role
from accounts.models import Membership, User
from actors.enums import LegalForm
from actors.models import Actor, Commune
from filieres.models import Filiere
from funding.models import Application


def test_load_demo_creates_at_least_60_valid_actors_across_the_metropole(db):
    call_command("load_demo")

    actors = Actor.objects.all()
    assert actors.count() >= 60
    assert all(siret.is_valid(actor.siret) for actor in actors)
    assert Commune.objects.filter(actors__isnull=True).count() == 0
    for actor in actors.select_related("commune"):
        actor.full_clean()
        assert abs(actor.latitude - actor.commune.latitude) < 0.01
        assert abs(actor.longitude - actor.commune.longitude) < 0.01
        assert actor.description.startswith("Structure fictive")


def test_load_demo_covers_every_legal_form_and_filiere(db):
    call_command("load_demo")

    assert set(Actor.objects.values_list("legal_form", flat=True)) == set(LegalForm.values)
    assert not Filiere.objects.filter(actors__isnull=True).exists()
    assert not Actor.objects.filter(segments__isnull=True).exists()


def test_about_seventy_percent_of_demo_actors_are_public(db):
    call_command("load_demo")

    share = Actor.objects.public().count() / Actor.objects.count()
    assert 0.6 <= share <= 0.8


def test_load_demo_creates_one_account_per_role_with_the_shared_password(db):
    call_command("load_demo")

    for role in Role:
        users = User.objects.with_role(role)
        assert users.count() == 1, role
        assert users.get().check_password(DEMO_PASSWORD), role
        assert users.get().is_active, role
    admin = User.objects.get(email="admin@demo.ess-bordeaux.fr")
    assert admin.is_staff and admin.is_superuser
    assert len(DEMO_PASSWORD) >= 12


def test_demo_applicant_acts_for_two_actors_with_applications_in_various_states(db):
    call_command("load_demo")

    applicant = User.objects.get(email="porteur@demo.ess-bordeaux.fr")
    assert Membership.objects.filter(user=applicant, is_active=True).count() == 2
    applications = Application.objects.of_user(applicant)
    assert applications.count() >= 3
    assert applications.values("status").distinct().count() >= 3


def test_load_demo_twice_does_not_duplicate_anything(db):
    call_command("load_demo")
    counts = [model.objects.count() for model in (Actor, User, Membership, Application)]
    coordinates = list(Actor.objects.order_by("siret").values_list("siret", "latitude", "longitude"))

    call_command("load_demo")

    assert [model.objects.count() for model in (Actor, User, Membership, Application)] == counts
    assert list(Actor.objects.order_by("siret").values_list("siret", "latitude", "longitude")) == coordinates


def test_demo_accounts_can_log_in_through_the_login_page(db, client):
    call_command("load_demo")

    response = client.post(
        reverse("accounts:login"), {"username": "agent@demo.ess-bordeaux.fr", "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_load_demo_prints_the_accounts_table(db, capsys):
    call_command("load_demo")

    output = capsys.readouterr().out
    for local_part in ["agent", "porteur", "elu", "achats", "partenaire", "admin"]:
        assert f"{local_part}@demo.ess-bordeaux.fr" in output
    assert DEMO_PASSWORD in output
