import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.enums import Role
from ess_portal.formatting import format_euros
from fonciere import services
from fonciere.models import Lease, Property
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.fonciere.factories import LeaseFactory, PropertyFactory
from tests.funding.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db


def _lease_data(occupant, **overrides):
    return {
        "occupant": occupant.pk,
        "surface": "120",
        "starts_on": "2026-01-01",
        "ends_on": "",
        "rent": "70",
        "market_rent": "110",
        "signed_on": "2025-12-10",
        **overrides,
    }


def test_staff_record_a_property_then_a_lease_and_see_its_in_kind_aid(client, staff_user):
    client.force_login(staff_user)
    commune = CommuneFactory()
    response = client.post(
        reverse("fonciere:property_create"),
        {
            "name": "Halle Soleil",
            "address": "3 quai Deschamps",
            "commune": commune.pk,
            "surface": "400",
            "use": "activite",
            "tenure": "held",
            "works_amount": "0",
        },
    )
    property = Property.objects.get()
    assert response.status_code == 302
    occupant = ActorFactory(name="Recyclerie du Bas-Cenon")
    response = client.post(
        reverse("fonciere:lease_create", args=[property.pk]), _lease_data(occupant, ends_on="2026-12-31")
    )
    lease = Lease.objects.get()
    assert response.url == reverse("fonciere:lease_detail", args=[lease.pk])
    response = client.get(reverse("fonciere:property_detail", args=[property.pk]))
    assertContains(response, "Recyclerie du Bas-Cenon")
    assertContains(response, format_euros(Decimal("4800")))  # 120 m² × (110 − 70) € for the whole of 2026


def test_a_lease_beyond_the_surface_is_refused_with_the_message_next_to_the_surface(client, staff_user):
    client.force_login(staff_user)
    property = PropertyFactory(surface=Decimal("100"))
    LeaseFactory(property=property, surface=Decimal("80"), starts_on=datetime.date(2026, 1, 1), ends_on=None)
    response = client.post(
        reverse("fonciere:lease_create", args=[property.pk]), _lease_data(ActorFactory(), surface="30")
    )
    assert response.status_code == 200
    assert "au-delà de sa surface" in str(response.context["form"].errors["surface"])
    assert Lease.objects.count() == 1


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER])
def test_elected_officials_and_partners_read_but_cannot_write(client, user_with_role, role):
    client.force_login(user_with_role(role))
    lease = LeaseFactory()
    property = lease.property
    assert client.get(reverse("fonciere:property_list")).status_code == 200
    assert client.get(reverse("fonciere:property_detail", args=[property.pk])).status_code == 200
    assert client.get(reverse("fonciere:lease_detail", args=[lease.pk])).status_code == 200
    assert client.get(reverse("fonciere:capitalisation_list")).status_code == 200
    assert client.get(reverse("fonciere:lease_export")).status_code == 200
    assert client.get(reverse("fonciere:property_create")).status_code == 403
    assert client.post(reverse("fonciere:property_create"), {"name": "X"}).status_code == 403
    assert client.post(reverse("fonciere:property_update", args=[property.pk]), {"name": "X"}).status_code == 403
    assert (
        client.post(reverse("fonciere:lease_create", args=[property.pk]), _lease_data(ActorFactory())).status_code
        == 403
    )
    unsigned = LeaseFactory(unsigned=True)
    assert (
        client.post(reverse("fonciere:lease_sign", args=[unsigned.pk]), {"signed_on": "2026-01-01"}).status_code == 403
    )
    assert client.post(reverse("fonciere:capitalisation_list"), {"year": "2023", "amount": "1"}).status_code == 403
    assert Property.objects.count() == 2 and Lease.objects.count() == 2
    unsigned.refresh_from_db()
    assert unsigned.signed_on is None


def test_an_applicant_reads_their_structures_leases_and_gets_404_on_others(client, applicant_user):
    mine = LeaseFactory(occupant=ActorFactory(members=[applicant_user]))
    other = LeaseFactory()
    client.force_login(applicant_user)
    assertContains(client.get(reverse("fonciere:lease_detail", args=[mine.pk])), mine.property.name)
    assert client.get(reverse("fonciere:lease_detail", args=[other.pk])).status_code == 404
    response = client.get(reverse("fonciere:my_leases"))
    assertContains(response, mine.property.name)
    assertNotContains(response, other.property.name)
    assert client.get(reverse("fonciere:property_list")).status_code == 403
    assert client.get(reverse("fonciere:property_detail", args=[mine.property.pk])).status_code == 403


def test_other_roles_are_refused(client, procurement_user):
    lease = LeaseFactory()
    client.force_login(procurement_user)
    assert client.get(reverse("fonciere:property_list")).status_code == 403
    assert client.get(reverse("fonciere:lease_detail", args=[lease.pk])).status_code == 403
    assert client.get(reverse("fonciere:lease_export")).status_code == 403


def test_the_register_filters_by_commune_and_use_and_computes_the_occupancy(client, staff_user):
    today = datetime.date.today()
    bordeaux, pessac = CommuneFactory(name="Bordeaux test"), CommuneFactory(name="Pessac test")
    offices = PropertyFactory(name="Bureaux Bastide", commune=bordeaux, use="bureaux", surface=Decimal("400"))
    PropertyFactory(name="Entrepôt Pessac", commune=pessac, use="logistique")
    LeaseFactory(property=offices, surface=Decimal("100"), starts_on=today, ends_on=None)
    LeaseFactory(property=offices, surface=Decimal("200"), starts_on=today, ends_on=None, unsigned=True)
    client.force_login(staff_user)
    response = client.get(reverse("fonciere:property_list"), {"commune": bordeaux.pk, "usage": "bureaux"})
    properties = list(response.context["properties"])
    assert [property.name for property in properties] == ["Bureaux Bastide"]
    assert properties[0].occupied_surface == Decimal("100")  # the unsigned lease does not occupy it yet
    assert properties[0].vacant_surface == Decimal("300")
    assert properties[0].occupancy_rate == Decimal("25")
    response = client.get(reverse("fonciere:property_list"), {"usage": "logistique"})
    assert [property.name for property in response.context["properties"]] == ["Entrepôt Pessac"]


def test_the_csv_export_has_one_row_per_lease_and_year_of_in_kind_aid(client, staff_user):
    LeaseFactory(
        surface=Decimal("50"),
        rent=Decimal("100"),
        market_rent=Decimal("160"),
        starts_on=datetime.date(2024, 7, 1),
        ends_on=datetime.date(2025, 6, 30),
    )
    client.force_login(staff_user)
    response = client.get(reverse("fonciere:lease_export"))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].endswith("Année;Aide en nature (€)")
    assert [line.rsplit(";", 2)[1:] for line in lines[1:]] == [["2024", "1508,20"], ["2025", "1487,67"]]


def test_the_actor_page_shows_its_leases_to_staff(client, staff_user):
    lease = LeaseFactory(property__name="Halle des Possibles")
    client.force_login(staff_user)
    response = client.get(reverse("actors:actor_detail", args=[lease.occupant.pk]))
    assertContains(response, "Halle des Possibles")
    assertContains(response, "Aide en nature")


def _properties_with_leases(count):
    for _ in range(count):
        property = PropertyFactory()
        LeaseFactory(property=property, starts_on=datetime.date(2020, 1, 1), ends_on=None)


@pytest.mark.parametrize("count", [2, 12])
def test_the_register_runs_the_same_queries_whatever_the_number_of_properties(
    client, staff_user, django_assert_num_queries, count
):
    _properties_with_leases(count)
    client.force_login(staff_user)
    # session, user, groups (role), communes of the filter, count, page, first year of the annual report (staff)
    with django_assert_num_queries(7):
        response = client.get(reverse("fonciere:property_list"))
    assert len(response.context["properties"]) == count


@pytest.mark.parametrize("count", [2, 12])
def test_the_property_page_runs_the_same_queries_whatever_the_number_of_leases(
    client, staff_user, django_assert_num_queries, count
):
    property = PropertyFactory(surface=Decimal("10000"))
    for _ in range(count):
        LeaseFactory(property=property, surface=Decimal("10"))
    client.force_login(staff_user)
    with django_assert_num_queries(5):
        response = client.get(reverse("fonciere:property_detail", args=[property.pk]))
    assert len(response.context["aid_by_occupant"]) == count


@pytest.mark.parametrize("count", [2, 12])
def test_an_applicants_leases_run_the_same_queries_whatever_their_number(
    client, applicant_user, django_assert_num_queries, count
):
    actor = ActorFactory(members=[applicant_user])
    for _ in range(count):
        LeaseFactory(occupant=actor, property=PropertyFactory())
    client.force_login(applicant_user)
    # … and one for the structure's needs for premises
    with django_assert_num_queries(6):
        response = client.get(reverse("fonciere:my_leases"))
    assert len(response.context["leases"]) == count


def test_the_register_map_has_the_located_properties_of_the_filters(client, elected_user):
    bordeaux = CommuneFactory(name="Bordeaux carte")
    located = PropertyFactory(
        name="Halle située", commune=bordeaux, latitude=Decimal("44.84"), longitude=Decimal("-0.57")
    )
    PropertyFactory(name="Halle sans coordonnées", commune=bordeaux)
    PropertyFactory(name="Ailleurs", latitude=Decimal("44.80"), longitude=Decimal("-0.60"))
    client.force_login(elected_user)
    response = client.get(reverse("fonciere:property_geojson"), {"commune": bordeaux.pk})
    features = response.json()["features"]
    assert [feature["properties"]["name"] for feature in features] == ["Halle située"]
    assert features[0]["geometry"]["coordinates"] == [-0.57, 44.84]
    page = client.get(reverse("fonciere:property_list"), {"commune": bordeaux.pk})
    assertContains(page, f'data-geojson-url="{reverse("fonciere:property_geojson")}?commune={bordeaux.pk}"')
    assertContains(client.get(located.get_absolute_url()), 'data-latitude="44.840000"')


@pytest.mark.parametrize("count", [1, 6])
def test_the_capitalisation_page_runs_the_same_queries_whatever_the_number_of_instalments(
    client, staff_user, django_assert_num_queries, count
):
    BudgetLineFactory(year=2023, code="capitalisation-fonciere-solidaire", voted_amount=Decimal("1000000"))
    for index in range(count):
        services.capitalise(
            amount=Decimal("1000"),
            paid_on=datetime.date(2023, 3, 1),
            year=2023,
            deliberation_number=f"2023-{index}",
            by=staff_user,
            idempotency_key=f"k{index}",
        )
    client.force_login(staff_user)
    # session, user, roles, the instalments with their commitment and line, their total
    with django_assert_num_queries(5):
        response = client.get(reverse("fonciere:capitalisation_list"))
    assertContains(response, format_euros(Decimal("1000") * count))
