import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from fonciere import services
from fonciere.models import Lease
from tests.actors.factories import ActorFactory
from tests.fonciere.factories import LeaseFactory, PropertyFactory

pytestmark = pytest.mark.django_db


def _lease(property, surface, starts_on, ends_on, by=None):
    return services.create_lease(
        property=property,
        occupant=ActorFactory(),
        surface=Decimal(surface),
        starts_on=starts_on,
        ends_on=ends_on,
        rent=Decimal("60"),
        market_rent=Decimal("100"),
        by=by,
    )


def test_leases_of_a_property_never_exceed_its_surface_on_any_day(staff_user):
    property = PropertyFactory(surface=Decimal("300"))
    _lease(property, "200", datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))

    with pytest.raises(ValidationError) as error:
        _lease(property, "150", datetime.date(2025, 6, 30), None, by=staff_user)
    assert "le 30/06/2025" in error.value.messages[0].lower()
    assert "au-delà de sa surface" in error.value.messages[0]
    assert Lease.objects.count() == 1

    # The day after, the first lease has ended: it fits.
    _lease(property, "150", datetime.date(2025, 7, 1), None, by=staff_user)
    assert Lease.objects.count() == 2


def test_the_surface_rule_counts_every_lease_present_on_the_same_day_not_only_pairs(staff_user):
    property = PropertyFactory(surface=Decimal("300"))
    _lease(property, "100", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    _lease(property, "100", datetime.date(2025, 3, 1), datetime.date(2025, 4, 30))
    _lease(property, "100", datetime.date(2025, 5, 1), datetime.date(2025, 12, 31))

    # Each pair would fit in 300 m², but from 1 May three leases already hold 200 m².
    with pytest.raises(ValidationError):
        _lease(property, "150", datetime.date(2025, 2, 1), datetime.date(2025, 5, 15))
    # Before May only the first two are present: 100 + 100 + 100 fits.
    _lease(property, "100", datetime.date(2025, 2, 1), datetime.date(2025, 4, 30))


def test_an_open_ended_lease_blocks_later_leases_that_would_not_fit():
    property = PropertyFactory(surface=Decimal("100"))
    _lease(property, "80", datetime.date(2024, 1, 1), None)
    with pytest.raises(ValidationError):
        _lease(property, "30", datetime.date(2030, 1, 1), datetime.date(2030, 12, 31))


def test_a_rent_above_the_market_rent_or_an_end_before_the_start_is_refused():
    property = PropertyFactory()
    with pytest.raises(ValidationError, match="loyer de marché"):
        services.create_lease(
            property=property,
            occupant=ActorFactory(),
            surface=Decimal("10"),
            starts_on=datetime.date(2025, 1, 1),
            ends_on=None,
            rent=Decimal("130"),
            market_rent=Decimal("120"),
            by=None,
        )
    with pytest.raises(ValidationError, match="précède"):
        _lease(property, "10", datetime.date(2025, 1, 1), datetime.date(2024, 12, 31))
    assert not Lease.objects.exists()


def test_the_database_refuses_a_rent_above_the_market_rent():
    with pytest.raises(IntegrityError):
        LeaseFactory(rent=Decimal("121"), market_rent=Decimal("120"))


def test_signing_a_lease_twice_is_refused(staff_user):
    lease = LeaseFactory(unsigned=True)
    services.sign_lease(lease=lease, signed_on=datetime.date(2025, 1, 2), by=staff_user)
    with pytest.raises(ValidationError, match="déjà signé"):
        services.sign_lease(lease=lease, signed_on=datetime.date(2025, 1, 3), by=staff_user)
    lease.refresh_from_db()
    assert lease.signed_on == datetime.date(2025, 1, 2)


def test_a_propertys_surface_cannot_go_below_what_its_leases_let_at_once(client, staff_user):
    property = PropertyFactory(surface=Decimal("300"))
    _lease(property, "100", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    _lease(property, "150", datetime.date(2025, 6, 1), None)
    client.force_login(staff_user)
    data = {
        "name": property.name,
        "address": property.address,
        "commune": property.commune_id,
        "surface": "200",
        "use": property.use,
        "tenure": property.tenure,
        "works_amount": "0",
    }
    response = client.post(reverse("fonciere:property_update", args=[property.pk]), data)
    assert "jusqu’à 250,00" in str(response.context["form"].errors["surface"])
    property.refresh_from_db()
    assert property.surface == Decimal("300")
    response = client.post(reverse("fonciere:property_update", args=[property.pk]), {**data, "surface": "250"})
    assert response.status_code == 302
    property.refresh_from_db()
    assert property.surface == Decimal("250")
