"""Events, SCIC stakes and other realisations recorded against the plan's actions."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from programme.enums import RealisationKind
from programme.models import Action, Realisation

pytestmark = pytest.mark.usefixtures("reference_data")


def create_url(code):
    return reverse("programme:realisation_create", args=[code])


def payload(**overrides):
    data = {
        "kind": RealisationKind.EVENT,
        "title": "Mois de l’ESS 2025 – forum des filières",
        "happened_on": "2025-11-14",
        "description": "Forum au Hangar 14 avec les têtes de filière.",
        "link": "https://www.exemple.fr/mois-ess",
    }
    data.update(overrides)
    return data


def test_staff_record_an_event_that_shows_on_the_action_and_in_the_plan(client, staff_user):
    client.force_login(staff_user)
    response = client.post(create_url("2.1"), payload())
    assert response.status_code == 302
    realisation = Realisation.objects.get()
    assert realisation.action.code == "2.1"
    assert realisation.created_by == staff_user
    assert realisation.history.count() == 1

    page = client.get(reverse("programme:action_detail", args=["2.1"]))
    assertContains(page, "Mois de l’ESS 2025 – forum des filières")
    assertContains(page, "14/11/2025")
    plan = client.get(reverse("programme:plan"))
    assertContains(plan, "0 / 0 / 1")


def test_a_realisation_without_date_is_refused_with_a_french_message_and_nothing_saved(client, staff_user):
    client.force_login(staff_user)
    response = client.post(create_url("1.2"), payload(kind=RealisationKind.STUDY, happened_on=""))
    assert response.status_code == 400
    assertContains(response, "Ce champ est obligatoire.", status_code=400)
    assert not Realisation.objects.exists()


@pytest.mark.parametrize("role_user", ["elected_user", "partner_user", "procurement_user", "applicant_user"])
def test_only_the_ess_service_records_or_removes_realisations(client, request, role_user):
    realisation = Realisation.objects.create(
        action=Action.objects.get(code="2.1"),
        kind=RealisationKind.EVENT,
        title="Rencontre",
        happened_on=datetime.date(2025, 3, 1),
    )
    client.force_login(request.getfixturevalue(role_user))
    assert client.post(create_url("2.1"), payload()).status_code == 403
    delete_url = reverse("programme:realisation_delete", args=["2.1", realisation.pk])
    assert client.post(delete_url).status_code == 403
    assert Realisation.objects.count() == 1


def test_removing_a_realisation_of_another_action_is_a_404(client, staff_user):
    realisation = Realisation.objects.create(
        action=Action.objects.get(code="2.1"),
        kind=RealisationKind.STUDY,
        title="Diagnostic",
        happened_on=datetime.date(2024, 6, 1),
    )
    client.force_login(staff_user)
    assert client.post(reverse("programme:realisation_delete", args=["3.1", realisation.pk])).status_code == 404
    assert client.post(reverse("programme:realisation_delete", args=["2.1", realisation.pk])).status_code == 302
    assert not Realisation.objects.exists()


@pytest.mark.parametrize("kind", ["scic_stake", "fonciere"])
def test_a_scic_stake_or_a_fonciere_operation_is_no_longer_a_realisation(client, staff_user, kind):
    # They have their registers, with amounts and rules: a diary entry without amount counted as a stake no more.
    client.force_login(staff_user)

    response = client.post(create_url("2.2"), payload(kind=kind))

    assert response.status_code == 400
    assert not Realisation.objects.exists()
