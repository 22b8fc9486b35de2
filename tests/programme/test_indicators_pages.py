"""/plan/indicateurs/: everyone who reads the plan reads the indicators; only the ESS service writes."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from programme.enums import MeasurementSource
from programme.models import Indicator, IndicatorTarget, Measurement
from tests.funding.factories import ApplicationFactory
from tests.programme.factories import IndicatorFactory, IndicatorTargetFactory, MeasurementFactory

LIST_URL = reverse("programme:indicator_list")
NBSP = "\u00a0"


def url(name, indicator, *args):
    return reverse(f"programme:{name}", args=[indicator.code, *args])


@pytest.fixture
def jobs(db):
    """An entered indicator with a target and a measurement in 2025 (with a breakdown) and a target in 2024."""
    indicator = IndicatorFactory(code="emplois-crees", name="Emplois créés", kind="impact", unit="ETP")
    IndicatorTargetFactory(indicator=indicator, year=2025, value=Decimal("80"))
    IndicatorTargetFactory(indicator=indicator, year=2024, value=Decimal("60"))
    MeasurementFactory(indicator=indicator, year=2025, value=Decimal("68"), comment="Bilans finaux")
    circular = {"breakdown": "economie-circulaire", "breakdown_label": "Économie circulaire"}
    MeasurementFactory(indicator=indicator, year=2025, value=26, **circular)
    return indicator


@pytest.fixture
def computed(db):
    return IndicatorFactory(code="demandes", name="Demandes déposées", computation="applications_by_state")


@pytest.mark.parametrize("role_user", ["staff_user", "elected_user", "partner_user", "admin_user"])
def test_staff_elected_partners_and_admins_read_the_indicators(client, request, role_user, jobs):
    client.force_login(request.getfixturevalue(role_user))

    response = client.get(LIST_URL, {"annee": 2025})

    assertContains(response, "Indicateurs d’impact")
    assertContains(response, f'<a href="{url("indicator_detail", jobs)}">Emplois créés</a>', html=True)
    assertContains(response, f"80{NBSP}ETP")
    assertContains(response, f"68{NBSP}ETP")
    assertContains(response, "85 %")
    assert client.get(url("indicator_detail", jobs)).status_code == 200


@pytest.mark.parametrize("role_user", ["applicant_user", "procurement_user"])
def test_applicants_and_buyers_cannot_see_the_indicators(client, request, role_user, jobs):
    client.force_login(request.getfixturevalue(role_user))

    assert client.get(LIST_URL).status_code == 403
    assert client.get(url("indicator_detail", jobs)).status_code == 403


def test_the_list_follows_the_chosen_year(client, elected_user, jobs):
    client.force_login(elected_user)

    response = client.get(LIST_URL, {"annee": 2024})

    assertContains(response, "Indicateurs du plan d’actions ESS – 2024")
    assertContains(response, f"60{NBSP}ETP")
    assertContains(response, "Non mesurée")
    assertNotContains(response, f"68{NBSP}ETP")
    assertNotContains(response, "Créer un indicateur")


def test_elected_officials_do_not_see_inactive_indicators_staff_do(client, elected_user, staff_user):
    IndicatorFactory(name="Ancien indicateur", is_active=False)
    client.force_login(elected_user)
    assertNotContains(client.get(LIST_URL), "Ancien indicateur")
    client.force_login(staff_user)
    assertContains(client.get(LIST_URL), "Indicateurs désactivés")


def test_an_empty_list_says_so(client, staff_user, db):
    client.force_login(staff_user)
    assertContains(client.get(LIST_URL), "Aucun indicateur n’est encore défini.")


def test_an_unknown_code_is_a_404(client, staff_user, db):
    client.force_login(staff_user)
    assert client.get(reverse("programme:indicator_detail", args=["inconnu"])).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_runs_the_same_queries_whatever_the_number_of_indicators(
    client, staff_user, django_assert_num_queries, rows
):
    for indicator in IndicatorFactory.create_batch(rows):
        IndicatorTargetFactory(indicator=indicator)
        MeasurementFactory(indicator=indicator)
    client.force_login(staff_user)

    # Session, user, roles, the count and the page.
    with django_assert_num_queries(5):
        response = client.get(LIST_URL, {"annee": 2025})

    assert response.content.count(b"50\xc2\xa0structures") == rows


@pytest.mark.parametrize("rows", [2, 12])
def test_the_indicator_page_runs_the_same_queries_whatever_the_number_of_measurements(
    client, staff_user, django_assert_num_queries, rows
):
    indicator = IndicatorFactory()
    for year in range(2022, 2022 + rows // 2):
        IndicatorTargetFactory(indicator=indicator, year=year)
        MeasurementFactory(indicator=indicator, year=year)
        MeasurementFactory(indicator=indicator, year=year, breakdown="part", breakdown_label="Une partie")
    client.force_login(staff_user)

    # Session, user, roles, the indicator, targets, measurements, and the three histories.
    with django_assert_num_queries(9):
        client.get(url("indicator_detail", indicator))


def test_the_indicator_page_shows_definition_targets_breakdowns_and_history(client, partner_user, jobs):
    jobs.action = None
    jobs.save()
    client.force_login(partner_user)

    response = client.get(url("indicator_detail", jobs))

    assertContains(response, "Saisie par le service ESS")
    assertContains(response, "2025 : ventilation")
    assertContains(response, "Économie circulaire")
    assertContains(response, f"26{NBSP}ETP")
    assertContains(response, "85 %")
    assertContains(response, "Bilans finaux")
    assertContains(response, f"cible 2025 fixée à 80{NBSP}ETP")
    assertNotContains(response, "Enregistrer la cible")
    assertNotContains(response, "Corriger")


def test_staff_create_an_indicator(client, staff_user, reference_data):
    client.force_login(staff_user)

    response = client.post(
        reverse("programme:indicator_create"),
        {
            "code": "benevoles",
            "name": "Bénévoles mobilisés",
            "kind": "result",
            "unit": "personnes",
            "description": "",
            "computation": "",
            "action": Indicator.objects.get(code="emplois-crees").action_id,
            "position": 5,
            "is_active": "on",
        },
    )

    indicator = Indicator.objects.get(code="benevoles")
    assert response.url == url("indicator_detail", indicator)
    assert indicator.action.code == "1.3"
    assert indicator.history.first().history_user == staff_user


def test_a_reserved_or_duplicate_code_is_refused_next_to_the_field(client, staff_user, jobs):
    client.force_login(staff_user)
    data = {"name": "Doublon", "kind": "result", "unit": "personnes", "position": 1}

    create_url = reverse("programme:indicator_create")
    assertContains(client.post(create_url, {**data, "code": "nouveau"}), "Ce code est réservé")
    assertContains(client.post(create_url, {**data, "code": jobs.code}), "existe déjà")
    assert Indicator.objects.count() == 1


def test_the_code_does_not_change_and_entered_measurements_block_a_computation(client, staff_user, jobs):
    client.force_login(staff_user)
    data = {"code": "autre-code", "name": "Emplois créés ou maintenus", "kind": "impact", "unit": "ETP", "position": 1}

    response = client.post(url("indicator_update", jobs), {**data, "computation": "supported_actors_fte"})
    assertContains(response, "Cet indicateur a des mesures saisies")

    client.post(url("indicator_update", jobs), {**data, "computation": ""})
    jobs.refresh_from_db()
    assert (jobs.code, jobs.name) == ("emplois-crees", "Emplois créés ou maintenus")


def test_staff_set_a_target_and_bad_values_are_told_in_french(client, staff_user, jobs):
    client.force_login(staff_user)

    response = client.post(url("indicator_target_set", jobs), {"year": 2026, "value": "100,5"})
    assert response.status_code == 302
    assert IndicatorTarget.objects.get(indicator=jobs, year=2026).value == Decimal("100.5")

    response = client.post(url("indicator_target_set", jobs), {"year": 2031, "value": "-3"}, follow=True)
    assert response.status_code == 400
    assertContains(response, "L’année doit être comprise entre 2022 et 2030.", status_code=400)
    assertContains(response, "La valeur ne peut pas être négative.", status_code=400)

    client.post(url("indicator_target_set", jobs), {"year": 2026, "value": ""})
    assert not IndicatorTarget.objects.filter(indicator=jobs, year=2026).exists()


def test_staff_enter_a_measurement_and_correct_it(client, staff_user, jobs):
    client.force_login(staff_user)

    response = client.post(
        url("indicator_measurement_create", jobs),
        {"year": 2024, "breakdown_label": "", "value": "47", "measured_on": "2025-01-31", "comment": "Bilans"},
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=jobs, year=2024, breakdown="")
    assert (measurement.value, measurement.entered_by) == (Decimal("47"), staff_user)

    page = client.get(url("indicator_measurement_update", jobs, measurement.pk))
    assertContains(page, "Corriger la mesure 2024")
    response = client.post(
        url("indicator_measurement_update", jobs, measurement.pk),
        {"year": 2030, "value": "49", "measured_on": "2025-02-15", "comment": "Bilan définitif"},
    )
    assert response.status_code == 302
    measurement.refresh_from_db()
    # The year of a correction stays (a disabled field ignores what is posted).
    assert (measurement.year, measurement.value, measurement.comment) == (2024, Decimal("49"), "Bilan définitif")
    assertContains(client.get(url("indicator_detail", jobs)), f"correction de la mesure 2024 : 49{NBSP}ETP")


def test_a_measurement_with_a_negative_value_or_a_future_date_is_not_saved(client, staff_user, jobs):
    client.force_login(staff_user)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)

    response = client.post(
        url("indicator_measurement_create", jobs), {"year": 2024, "value": "-1", "measured_on": tomorrow.isoformat()}
    )

    assertContains(response, "La valeur ne peut pas être négative.", status_code=400)
    assertContains(response, "La date de mesure ne peut pas être dans le futur.", status_code=400)
    assert not Measurement.objects.filter(indicator=jobs, year=2024).exists()


def test_no_entry_on_a_computed_indicator_and_no_correction_of_its_measurements(client, staff_user, computed):
    client.force_login(staff_user)

    response = client.post(
        url("indicator_measurement_create", computed), {"year": 2025, "value": "3", "measured_on": "2025-06-01"}
    )

    assertContains(response, "Cet indicateur est calculé par le portail", status_code=400)
    assert not Measurement.objects.filter(indicator=computed).exists()
    measurement = MeasurementFactory(indicator=computed, source=MeasurementSource.COMPUTED)
    assert client.get(url("indicator_measurement_update", computed, measurement.pk)).status_code == 403


def test_recalculate_now_computes_the_indicator_for_the_chosen_year(client, staff_user, computed):
    ApplicationFactory(submitted=True)
    year = datetime.date.today().year
    client.force_login(staff_user)

    page = client.get(url("indicator_detail", computed))
    assertContains(page, "Recalculer maintenant")
    assertNotContains(page, "Saisir une mesure")
    response = client.post(url("indicator_refresh", computed), {"year": year}, follow=True)

    assertContains(response, f"Mesures {year} recalculées : 2 créée(s)")
    assert Measurement.objects.get(indicator=computed, year=year, breakdown="").value == Decimal("1")


def test_recalculate_all_from_the_list(client, staff_user, computed):
    client.force_login(staff_user)

    response = client.post(reverse("programme:indicator_refresh_all"), {"year": 2024})

    assert response.url == f"{LIST_URL}?annee=2024"
    assert Measurement.objects.get(indicator=computed, year=2024).value == Decimal("0")


def post_urls(indicator, measurement):
    return [
        (reverse("programme:indicator_create"), {"code": "x", "name": "x", "kind": "result", "unit": "x"}),
        (url("indicator_update", indicator), {"name": "Modifié", "kind": "result", "unit": "x", "position": 1}),
        (url("indicator_target_set", indicator), {"year": 2025, "value": "1"}),
        (url("indicator_measurement_create", indicator), {"year": 2025, "value": "1", "measured_on": "2025-01-01"}),
        (url("indicator_measurement_update", indicator, measurement.pk), {"value": "1", "measured_on": "2025-01-01"}),
        (url("indicator_refresh", indicator), {"year": 2025}),
        (reverse("programme:indicator_refresh_all"), {"year": 2025}),
    ]


@pytest.mark.parametrize("role_user", ["elected_user", "partner_user"])
def test_elected_officials_and_partners_get_a_403_on_every_write(client, request, role_user, jobs, computed):
    client.force_login(request.getfixturevalue(role_user))
    before = (
        list(Indicator.objects.values_list("code", "name")),
        list(IndicatorTarget.objects.values_list("year", "value")),
        list(Measurement.objects.values_list("year", "breakdown", "value")),
    )

    for post_url, data in post_urls(jobs, jobs.measurements.get(breakdown="")):
        assert client.post(post_url, data).status_code == 403, post_url
    assert client.get(reverse("programme:indicator_create")).status_code == 403

    assert before == (
        list(Indicator.objects.values_list("code", "name")),
        list(IndicatorTarget.objects.values_list("year", "value")),
        list(Measurement.objects.values_list("year", "breakdown", "value")),
    )
