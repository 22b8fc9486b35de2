"""Staff correct a lease until it is signed and end any lease early; the in-kind aid follows the new end; every
change is in the lease's history; readers get 403 and applicants 404 on the leases of other structures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.enums import Role
from ess_portal.formatting import format_euros
from fonciere import aids, services
from fonciere.models import Lease
from tests.actors.factories import ActorFactory
from tests.fonciere.factories import LeaseFactory, PropertyFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _terms(**overrides):
    return {
        "surface": "120",
        "starts_on": "2026-02-01",
        "ends_on": "2026-12-31",
        "rent": "60",
        "market_rent": "110",
        **overrides,
    }


def _snapshot(lease):
    lease.refresh_from_db()
    return (lease.surface, lease.starts_on, lease.ends_on, lease.rent, lease.market_rent, lease.end_reason)


# --- Editing a lease before it is signed --------------------------------------------------------------------------


def test_staff_correct_the_terms_of_an_unsigned_lease_and_the_change_is_in_its_history(client, staff_user):
    lease = LeaseFactory(unsigned=True)
    client.force_login(staff_user)

    assert client.get(reverse("fonciere:lease_update", args=[lease.pk])).status_code == 200
    response = client.post(reverse("fonciere:lease_update", args=[lease.pk]), _terms())

    assert response.url == reverse("fonciere:lease_detail", args=[lease.pk])
    lease.refresh_from_db()
    assert (lease.surface, lease.starts_on, lease.ends_on) == (Decimal("120"), D(2026, 2, 1), D(2026, 12, 31))
    assert (lease.rent, lease.market_rent) == (Decimal("60"), Decimal("110"))
    change = lease.history.first()
    assert change.history_type == "~"
    assert change.history_user == staff_user
    assert change.prev_record.surface == Decimal("100")


def test_an_edit_does_not_count_the_lease_itself_in_the_surface_already_let(client, staff_user):
    property = PropertyFactory(surface=Decimal("100"))
    lease = LeaseFactory(property=property, surface=Decimal("80"), unsigned=True)
    client.force_login(staff_user)

    response = client.post(
        reverse("fonciere:lease_update", args=[lease.pk]),
        _terms(surface="90", starts_on="2025-01-01", ends_on="2025-12-31", rent="80", market_rent="120"),
    )

    assert response.status_code == 302
    lease.refresh_from_db()
    assert lease.surface == Decimal("90")


def test_an_edit_overlapping_another_lease_beyond_the_surface_is_refused_and_changes_nothing(client, staff_user):
    property = PropertyFactory(name="Halle Soleil", surface=Decimal("100"))
    LeaseFactory(property=property, surface=Decimal("80"), starts_on=D(2026, 3, 1), ends_on=None)
    lease = LeaseFactory(property=property, surface=Decimal("20"), starts_on=D(2025, 1, 1), unsigned=True)
    before = _snapshot(lease)
    client.force_login(staff_user)

    # 20 m² on 100 m² until the end of 2025, then into the other lease's period with 30 m²: 110 m² let on 1 March.
    response = client.post(
        reverse("fonciere:lease_update", args=[lease.pk]),
        _terms(surface="30", starts_on="2025-01-01", ends_on="2026-06-30", rent="80", market_rent="120"),
    )

    assert response.status_code == 200
    errors = str(response.context["form"].errors["surface"])
    assert "Le 01/03/2026, ce bail porterait la surface louée du bien « Halle Soleil » à 110,00 m²" in errors
    assert _snapshot(lease) == before
    assert lease.history.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": "2026-01-01"}, "ends_on", "La fin du bail précède son début."),
        ({"rent": "150"}, "rent", "Le loyer (150,00\xa0€/m²/an) dépasse le loyer de marché (110,00\xa0€/m²/an)."),
    ],
)
def test_an_edit_keeps_the_rules_of_the_creation(client, staff_user, overrides, field, message):
    lease = LeaseFactory(unsigned=True)
    before = _snapshot(lease)
    client.force_login(staff_user)

    response = client.post(reverse("fonciere:lease_update", args=[lease.pk]), _terms(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert _snapshot(lease) == before


def test_a_signed_lease_cannot_be_edited_only_ended(client, staff_user):
    lease = LeaseFactory(signed_on=D(2024, 12, 15))
    before = _snapshot(lease)
    client.force_login(staff_user)

    for response in [
        client.get(reverse("fonciere:lease_update", args=[lease.pk]), follow=True),
        client.post(reverse("fonciere:lease_update", args=[lease.pk]), _terms(), follow=True),
    ]:
        assert response.redirect_chain == [(reverse("fonciere:lease_detail", args=[lease.pk]), 302)]
        assertContains(
            response,
            "Ce bail est signé depuis le 15/12/2024 : ses conditions ne peuvent plus être modifiées, seule une fin "
            "anticipée peut être enregistrée.",
        )
    assert _snapshot(lease) == before
    with pytest.raises(ValidationError) as refusal:
        services.update_lease(
            lease=lease,
            surface=Decimal("10"),
            starts_on=D(2025, 1, 1),
            ends_on=None,
            rent=Decimal("1"),
            market_rent=Decimal("2"),
            by=staff_user,
        )
    assert refusal.value.code == "signed"
    assert _snapshot(lease) == before


# --- Ending a lease early ----------------------------------------------------------------------------------------


def test_staff_end_a_signed_lease_early_and_its_in_kind_aid_stops_at_the_new_end(client, staff_user):
    # 100 m² × (120 − 80) € for 2025: 4,000 € for the year; ended on 30 June it counts 181 days of 365.
    lease = LeaseFactory(occupant=ActorFactory(name="Recyclerie du Bas-Cenon"))
    assert lease.in_kind_aid_by_year() == {2025: Decimal("4000.00")}
    client.force_login(staff_user)

    assert client.get(reverse("fonciere:lease_end", args=[lease.pk])).status_code == 200
    response = client.post(
        reverse("fonciere:lease_end", args=[lease.pk]),
        {"ends_on": "2025-06-30", "end_reason": "Départ de la structure vers des locaux plus grands."},
    )

    assert response.url == reverse("fonciere:lease_detail", args=[lease.pk])
    lease.refresh_from_db()
    assert lease.ends_on == D(2025, 6, 30)
    assert lease.end_reason == "Départ de la structure vers des locaux plus grands."
    assert lease.in_kind_aid_by_year() == {2025: Decimal("1983.56")}  # 4,000 × 181 / 365
    assert aids.de_minimis_total(actor_id=lease.occupant_id, start=D(2025, 1, 1), end=D(2025, 12, 31)) == Decimal(
        "1983.56"
    )
    detail = client.get(reverse("fonciere:lease_detail", args=[lease.pk]))
    assertContains(detail, format_euros(Decimal("1983.56")))
    assertContains(detail, "Départ de la structure vers des locaux plus grands.")
    change = lease.history.first()
    assert (change.history_type, change.history_user, change.ends_on) == ("~", staff_user, D(2025, 6, 30))
    assert change.prev_record.ends_on == D(2025, 12, 31)


def test_an_open_ended_lease_is_ended_on_any_day_from_its_start(client, staff_user):
    lease = LeaseFactory(starts_on=D(2024, 1, 1), ends_on=None)
    client.force_login(staff_user)

    response = client.post(
        reverse("fonciere:lease_end", args=[lease.pk]), {"ends_on": "2030-01-31", "end_reason": "Vente du bien."}
    )

    assert response.status_code == 302
    lease.refresh_from_db()
    assert lease.ends_on == D(2030, 1, 31)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"ends_on": "2024-12-31", "end_reason": "Erreur."},
            "ends_on",
            "La fin du bail (31/12/2024) ne peut pas précéder son début (01/01/2025).",
        ),
        (
            {"ends_on": "2026-01-31", "end_reason": "Prolongation."},
            "ends_on",
            "La fin anticipée (31/01/2026) ne peut pas dépasser la fin actuelle du bail (31/12/2025).",
        ),
        ({"ends_on": "2025-06-30", "end_reason": "  "}, "end_reason", "Ce champ est obligatoire."),
    ],
)
def test_an_end_outside_the_lease_or_without_reason_is_refused_and_changes_nothing(
    client, staff_user, data, field, message
):
    lease = LeaseFactory()
    before = _snapshot(lease)
    client.force_login(staff_user)

    response = client.post(reverse("fonciere:lease_end", args=[lease.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert _snapshot(lease) == before
    assert lease.history.count() == 1


def test_the_end_service_refuses_a_blank_reason(staff_user):
    lease = LeaseFactory()

    with pytest.raises(ValidationError, match="Indiquez le motif de la fin anticipée du bail."):
        services.end_lease(lease=lease, ends_on=D(2025, 6, 30), reason=" ", by=staff_user)


# --- Who may change a lease ---------------------------------------------------------------------------------------


def test_the_lease_page_shows_the_change_buttons_to_staff_only(client, staff_user, elected_user):
    unsigned, signed = LeaseFactory(unsigned=True), LeaseFactory()
    client.force_login(staff_user)

    page = client.get(reverse("fonciere:lease_detail", args=[unsigned.pk]))
    assertContains(page, reverse("fonciere:lease_update", args=[unsigned.pk]))
    assertContains(page, reverse("fonciere:lease_end", args=[unsigned.pk]))
    page = client.get(reverse("fonciere:lease_detail", args=[signed.pk]))
    assertNotContains(page, reverse("fonciere:lease_update", args=[signed.pk]))
    assertContains(page, reverse("fonciere:lease_end", args=[signed.pk]))

    client.force_login(elected_user)
    page = client.get(reverse("fonciere:lease_detail", args=[unsigned.pk]))
    assertNotContains(page, reverse("fonciere:lease_update", args=[unsigned.pk]))
    assertNotContains(page, reverse("fonciere:lease_end", args=[unsigned.pk]))


def _change_requests(lease):
    return [
        (reverse("fonciere:lease_update", args=[lease.pk]), _terms()),
        (reverse("fonciere:lease_end", args=[lease.pk]), {"ends_on": "2025-06-30", "end_reason": "Départ."}),
    ]


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER, Role.PROCUREMENT])
def test_readers_and_other_roles_may_not_change_a_lease(client, user_with_role, role):
    lease = LeaseFactory(unsigned=True)
    before = _snapshot(lease)
    client.force_login(user_with_role(role))

    for url, data in _change_requests(lease):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url

    assert _snapshot(lease) == before
    assert lease.history.count() == 1


def test_an_applicant_gets_404_on_another_structures_lease_and_403_on_their_own(client, applicant_user):
    mine = LeaseFactory(occupant=ActorFactory(members=[applicant_user]), unsigned=True)
    other = LeaseFactory(unsigned=True)
    before = [_snapshot(mine), _snapshot(other)]
    client.force_login(applicant_user)

    for url, data in _change_requests(other):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    for url, data in _change_requests(mine):
        assert client.post(url, data).status_code == 403, url

    assert [_snapshot(mine), _snapshot(other)] == before
    assert Lease.objects.count() == 2
