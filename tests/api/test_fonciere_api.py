"""/api/v1/fonciere/biens/ and /api/v1/fonciere/baux/: properties with their occupancy for the foncière's readers;
leases with their in-kind aid per year for the readers, and for an applicant only their structures' leases."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from tests.accounts.factories import MembershipFactory
from tests.actors.factories import CommuneFactory
from tests.fonciere.factories import LeaseFactory, PropertyFactory

pytestmark = pytest.mark.django_db
PROPERTIES = reverse("api:fonciere_property_list")
LEASES = reverse("api:fonciere_lease_list")
D = datetime.date


@pytest.fixture
def lease():
    """A lease of 50 m² from July 2024 to June 2025 at 100 €/m²/yr instead of 160."""
    return LeaseFactory(
        property__name="Halle des Possibles",
        occupant__name="Recyclerie du Bec",
        surface=Decimal("50"),
        rent=Decimal("100"),
        market_rent=Decimal("160"),
        starts_on=D(2024, 7, 1),
        ends_on=D(2025, 6, 30),
    )


@pytest.mark.parametrize(
    "url",
    [
        PROPERTIES,
        LEASES,
        reverse("api:fonciere_property_detail", args=[1]),
        reverse("api:fonciere_lease_detail", args=[1]),
    ],
)
def test_anonymous_visitors_are_refused(client, url):
    assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN, Role.ELECTED, Role.PARTNER])
def test_readers_get_the_properties_with_their_occupancy_today(client, user_with_role, role):
    property = PropertyFactory(name="Halle des Possibles", surface=Decimal("400"))
    today = timezone.localdate()
    LeaseFactory(property=property, surface=Decimal("100"), starts_on=today, ends_on=None)
    LeaseFactory(property=property, surface=Decimal("50"), starts_on=today, ends_on=None, unsigned=True)
    client.force_login(user_with_role(role))

    response = client.get(PROPERTIES)

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["name"] == "Halle des Possibles"
    assert row["commune"] == {"insee_code": property.commune.insee_code, "name": property.commune.name}
    assert (row["surface"], row["occupied_surface"], row["vacant_surface"]) == ("400.00", "100.00", "300.00")
    assert row["occupancy_rate"] == "25.0"
    assert (row["use"], row["use_label"]) == ("bureaux", "bureaux")


def test_properties_are_filtered_by_commune_and_use(client, staff_user):
    PropertyFactory(name="Entrepôt Pessac", commune=CommuneFactory(insee_code="33318"), use="logistique")
    PropertyFactory(name="Bureaux Bègles", commune=CommuneFactory(insee_code="33039"))
    client.force_login(staff_user)

    assert [row["name"] for row in client.get(PROPERTIES, {"commune": "33318"}).json()["results"]] == [
        "Entrepôt Pessac"
    ]
    assert [row["name"] for row in client.get(PROPERTIES, {"use": "bureaux"}).json()["results"]] == ["Bureaux Bègles"]


def test_readers_get_every_lease_with_its_in_kind_aid_per_year(client, elected_user, lease):
    LeaseFactory(property__name="Atelier Bastide")
    client.force_login(elected_user)

    response = client.get(LEASES)

    assert response.json()["count"] == 2
    row = client.get(reverse("api:fonciere_lease_detail", args=[lease.pk])).json()
    assert row["property"]["name"] == "Halle des Possibles"
    assert row["occupant"] == {"id": lease.occupant.pk, "name": "Recyclerie du Bec", "siret": lease.occupant.siret}
    assert row["discount_rate"] == "37.5"
    assert row["is_signed"] is True
    assert row["in_kind_aid"] == [{"year": 2024, "amount": "1508.20"}, {"year": 2025, "amount": "1487.67"}]
    assert "created_by" not in row


def test_an_unsigned_lease_has_no_in_kind_aid(client, staff_user):
    lease = LeaseFactory(unsigned=True)
    client.force_login(staff_user)

    row = client.get(reverse("api:fonciere_lease_detail", args=[lease.pk])).json()

    assert (row["is_signed"], row["in_kind_aid"]) == (False, [])


def test_leases_are_filtered_by_property_year_and_signature(client, staff_user, lease):
    LeaseFactory(property__name="Atelier Bastide", starts_on=D(2026, 1, 1), ends_on=None, unsigned=True)
    client.force_login(staff_user)

    def names(**params):
        return [row["property"]["name"] for row in client.get(LEASES, params).json()["results"]]

    assert names(property=lease.property.pk) == ["Halle des Possibles"]
    assert names(year=2024) == ["Halle des Possibles"]
    assert names(year=2027) == ["Atelier Bastide"]
    assert names(is_signed="false") == ["Atelier Bastide"]


def test_an_applicant_gets_only_the_leases_of_their_active_structures(client, lease):
    membership = MembershipFactory(actor=lease.occupant)
    other = LeaseFactory(property__name="Atelier Bastide")
    MembershipFactory(user=membership.user, actor=other.occupant, is_active=False)
    client.force_login(membership.user)

    response = client.get(LEASES)

    assert [row["id"] for row in response.json()["results"]] == [lease.pk]
    assert client.get(reverse("api:fonciere_lease_detail", args=[lease.pk])).status_code == 200
    assert client.get(reverse("api:fonciere_lease_detail", args=[other.pk])).status_code == 404


def test_an_applicant_without_structure_gets_no_lease(client, applicant_user, lease):
    client.force_login(applicant_user)

    assert client.get(LEASES).json()["results"] == []


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROCUREMENT])
def test_properties_are_refused_outside_the_readers(client, user_with_role, lease, role):
    client.force_login(user_with_role(role))

    assert client.get(PROPERTIES).status_code == 403
    assert client.get(reverse("api:fonciere_property_detail", args=[lease.property.pk])).status_code == 403


def test_buyers_may_not_read_the_leases(client, procurement_user, lease):
    client.force_login(procurement_user)

    assert client.get(LEASES).status_code == 403


def test_the_api_is_read_only(client, staff_user, lease):
    client.force_login(staff_user)

    assert client.post(LEASES, {}).status_code == 405
    assert client.delete(reverse("api:fonciere_property_detail", args=[lease.property.pk])).status_code == 405


@pytest.mark.parametrize("rows", [3, 30])
def test_the_properties_run_the_same_queries_whatever_the_number_of_rows(
    client, partner_user, django_assert_num_queries, rows
):
    for _ in range(rows):
        LeaseFactory()
    client.force_login(partner_user)
    client.get(PROPERTIES)

    # session, user, roles, count, properties with their commune and occupancy
    with django_assert_num_queries(5):
        response = client.get(PROPERTIES)

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_leases_run_the_same_queries_whatever_the_number_of_rows(client, django_assert_num_queries, rows):
    membership = MembershipFactory()
    LeaseFactory.create_batch(rows, occupant=membership.actor)
    client.force_login(membership.user)
    client.get(LEASES)

    # session, user, roles, count, leases with property, commune and occupant
    with django_assert_num_queries(5):
        response = client.get(LEASES)

    assert len(response.json()["results"]) == rows


def test_the_lease_list_is_paginated(client, staff_user):
    LeaseFactory.create_batch(55)
    client.force_login(staff_user)

    response = client.get(LEASES)

    assert response.json()["count"] == 55
    assert len(response.json()["results"]) == 50
