import datetime
from decimal import Decimal

import pytest

from fonciere.aids import de_minimis_total
from fonciere.models import Lease
from tests.actors.factories import ActorFactory
from tests.fonciere.factories import LeaseFactory

pytestmark = pytest.mark.django_db


def test_a_full_year_lease_gives_the_discount_times_the_surface():
    lease = LeaseFactory(surface=Decimal("100"), rent=Decimal("80"), market_rent=Decimal("120"))
    # (120 − 80) × 100 m² × 365 / 365
    assert lease.in_kind_aid_by_year() == {2025: Decimal("4000.00")}


def test_days_are_counted_on_365_days_in_a_common_year_and_366_in_a_leap_year():
    common = LeaseFactory(
        surface=Decimal("10"),
        rent=Decimal("0"),
        market_rent=Decimal("100"),
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 1, 31),
    )
    leap = LeaseFactory(
        surface=Decimal("10"),
        rent=Decimal("0"),
        market_rent=Decimal("100"),
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 1, 31),
    )
    # 1,000 € a year × 31 days: 84.931… → 84.93 (365 days); 84.699… → 84.70 (366 days).
    assert common.in_kind_aid_by_year() == {2025: Decimal("84.93")}
    assert leap.in_kind_aid_by_year() == {2024: Decimal("84.70")}


def test_a_lease_across_two_years_is_split_by_year():
    lease = LeaseFactory(
        surface=Decimal("50"),
        rent=Decimal("100"),
        market_rent=Decimal("160"),
        starts_on=datetime.date(2024, 7, 1),
        ends_on=datetime.date(2025, 6, 30),
    )
    # 3,000 € a year: 184 days of 366 in 2024 (1,508.196… → 1,508.20), 181 of 365 in 2025 (1,487.671… → 1,487.67).
    assert lease.in_kind_aid_by_year() == {2024: Decimal("1508.20"), 2025: Decimal("1487.67")}
    assert lease.in_kind_aid_between(datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)) == Decimal("2995.87")


def test_rounding_is_half_up_to_the_cent():
    # 0.05 € × 0.50 m² × 73 days / 365 = 0.005 exactly: 0.01 half up (0.00 with banker's rounding).
    lease = LeaseFactory(
        surface=Decimal("0.50"),
        rent=Decimal("0"),
        market_rent=Decimal("0.05"),
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 3, 14),
    )
    assert lease.in_kind_aid_by_year() == {2025: Decimal("0.01")}


def test_an_unsigned_lease_gives_no_in_kind_aid():
    lease = LeaseFactory(unsigned=True)
    assert lease.in_kind_aid_by_year() == {}
    assert (
        de_minimis_total(actor_id=lease.occupant_id, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31))
        == 0
    )


def test_the_in_kind_aid_of_an_occupant_over_a_period_adds_its_leases_days_in_the_period():
    actor = ActorFactory()
    LeaseFactory(occupant=actor)  # 4,000 € in 2025
    LeaseFactory(occupant=actor, surface=Decimal("10"), starts_on=datetime.date(2024, 1, 1), ends_on=None)
    # the open-ended one: 400 € a year; from 1 July 2024 to 30 June 2025: 184/366 and 181/365 of 400 €.
    total = de_minimis_total(actor_id=actor.pk, start=datetime.date(2024, 7, 1), end=datetime.date(2025, 6, 30))
    assert total == Decimal("1983.56") + Decimal("201.09") + Decimal("198.36")
    by_occupant = Lease.objects.filter(occupant=actor).in_kind_aid_by_occupant_and_year()
    assert [(row["year"], row["amount"]) for row in by_occupant][:2] == [
        (2024, Decimal("400.00")),
        (2025, Decimal("4400.00")),
    ]
