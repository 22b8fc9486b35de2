import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError

from scic.enums import MovementKind
from scic.models import Holding, Scic, ShareMovement
from tests.scic.factories import (
    CapitalRecordFactory,
    PublicHoldingFactory,
    RepresentativeFactory,
    ScicFactory,
    ShareMovementFactory,
)

D = datetime.date


@pytest.mark.django_db
def test_a_movement_amount_is_its_shares_times_the_nominal():
    movement = ShareMovementFactory(shares=120, nominal=Decimal("25.50"))

    assert movement.amount == Decimal("3060.00")
    assert ShareMovement.objects.get(pk=movement.pk).amount == Decimal("3060.00")


@pytest.mark.django_db
def test_the_database_refuses_an_amount_that_is_not_shares_times_nominal():
    movement = ShareMovementFactory(shares=10, nominal=Decimal("50"))

    with pytest.raises(IntegrityError):
        ShareMovement.objects.filter(pk=movement.pk).update(amount=Decimal("501"))


@pytest.mark.django_db
def test_the_holding_at_a_date_follows_each_kind_of_movement():
    scic = ScicFactory()
    ShareMovementFactory(scic=scic, kind=MovementKind.SUBSCRIPTION, moved_on=D(2023, 3, 1), shares=200)
    ShareMovementFactory(scic=scic, kind=MovementKind.PAYING_UP, moved_on=D(2023, 6, 1), shares=200)
    ShareMovementFactory(scic=scic, kind=MovementKind.SUBSCRIPTION, moved_on=D(2024, 3, 1), shares=100)
    ShareMovementFactory(scic=scic, kind=MovementKind.REDEMPTION, moved_on=D(2025, 3, 1), shares=50)
    ShareMovementFactory(scic=scic, kind=MovementKind.TRANSFER, moved_on=D(2026, 3, 1), shares=30)

    assert scic.metropole_holding_on(D(2023, 2, 28)) == Holding(shares=0, amount=Decimal("0.00"))
    assert scic.metropole_holding_on(D(2023, 3, 1)) == Holding(shares=200, amount=Decimal("10000.00"))
    assert scic.metropole_holding_on(D(2023, 12, 31)) == Holding(shares=200, amount=Decimal("10000.00"))
    assert scic.metropole_holding_on(D(2024, 3, 1)) == Holding(shares=300, amount=Decimal("15000.00"))
    assert scic.metropole_holding_on(D(2025, 3, 1)) == Holding(shares=250, amount=Decimal("12500.00"))
    assert scic.metropole_holding_on(D(2026, 3, 1)) == Holding(shares=220, amount=Decimal("11000.00"))
    assert ShareMovement.objects.filter(scic=scic).holding(on=D(2026, 3, 1)).shares == 220
    assert ShareMovement.objects.filter(scic=scic).paid_up_amount() == Decimal("10000.00")


@pytest.mark.django_db
def test_the_capital_at_a_date_is_the_last_record_plus_the_metropole_subscriptions_less_its_redemptions_after_it():
    scic = ScicFactory()
    CapitalRecordFactory(scic=scic, recorded_on=D(2023, 1, 1), amount=Decimal("100000"))
    ShareMovementFactory(scic=scic, moved_on=D(2023, 3, 1), shares=200)  # + 10,000 € of new capital
    CapitalRecordFactory(scic=scic, recorded_on=D(2024, 1, 1), amount=Decimal("150000"))  # the accounts: all of it
    ShareMovementFactory(scic=scic, kind=MovementKind.REDEMPTION, moved_on=D(2024, 6, 1), shares=20)  # − 1,000 €
    ShareMovementFactory(scic=scic, kind=MovementKind.TRANSFER, moved_on=D(2024, 7, 1), shares=20)  # no change

    assert scic.capital_on(D(2022, 12, 31)) == Decimal("0.00")
    assert scic.capital_on(D(2023, 2, 1)) == Decimal("100000.00")
    assert scic.capital_on(D(2023, 3, 1)) == Decimal("110000.00")
    assert scic.capital_on(D(2024, 1, 1)) == Decimal("150000.00")
    assert scic.capital_on(D(2024, 12, 31)) == Decimal("149000.00")


@pytest.mark.django_db
def test_the_other_collectivities_count_while_their_holding_is_in_force():
    scic = ScicFactory()
    PublicHoldingFactory(scic=scic, amount=Decimal("8000"), held_from=D(2023, 1, 1), held_until=D(2024, 12, 31))
    PublicHoldingFactory(scic=scic, amount=Decimal("2000"), held_from=D(2024, 1, 1))

    assert scic.other_public_holding_on(D(2022, 12, 31)) == Decimal("0.00")
    assert scic.other_public_holding_on(D(2023, 6, 1)) == Decimal("8000.00")
    assert scic.other_public_holding_on(D(2024, 12, 31)) == Decimal("10000.00")
    assert scic.other_public_holding_on(D(2025, 1, 1)) == Decimal("2000.00")


@pytest.mark.django_db
def test_the_metropole_and_public_shares_are_percentages_of_the_capital():
    scic = ScicFactory(capital=Decimal("90000"))
    ShareMovementFactory(scic=scic, moved_on=D(2024, 1, 1), shares=200, nominal=Decimal("50"))  # capital 100,000
    PublicHoldingFactory(scic=scic, amount=Decimal("15000"), held_from=D(2023, 1, 1))

    figures = scic.figures_on(D(2024, 6, 1))

    assert figures.capital_amount == Decimal("100000.00")
    assert figures.metropole_percent == Decimal("10.0")
    assert figures.public_percent == Decimal("25.0")
    assert figures.public_room_amount == Decimal("50000.00")
    assert not figures.is_over_cap


@pytest.mark.django_db
def test_the_register_reads_every_figure_in_one_query(django_assert_num_queries):
    for _ in range(3):
        scic = ScicFactory(capital=Decimal("100000"))
        ShareMovementFactory(scic=scic)
        PublicHoldingFactory(scic=scic)

    with django_assert_num_queries(1):
        rows = [(scic.actor.name, scic.public_percent) for scic in Scic.objects.for_register()]

    assert [percent for _, percent in rows] == [Decimal("14.3")] * 3  # (5,000 + 10,000) / 105,000 = 14.29 %


@pytest.mark.django_db
def test_mandates_ending_within_ninety_days_are_ending_soon():
    today = D(2026, 12, 5)
    soon = RepresentativeFactory(mandate_end_on=D(2027, 3, 1))
    RepresentativeFactory(mandate_end_on=D(2027, 3, 6))
    RepresentativeFactory(mandate_end_on=D(2026, 12, 4))
    RepresentativeFactory(mandate_end_on=None)

    assert list(soon.__class__.objects.ending_soon(today=today)) == [soon]
    assert soon.ends_within(today=today)


@pytest.mark.django_db
def test_the_scic_indicator_counts_the_year_subscriptions_of_the_register():
    from programme.indicators import COMPUTATIONS

    scic = ScicFactory()
    ShareMovementFactory(scic=scic, moved_on=D(2025, 2, 1))
    ShareMovementFactory(scic=scic, moved_on=D(2025, 9, 30))
    ShareMovementFactory(scic=scic, kind=MovementKind.PAYING_UP, moved_on=D(2025, 10, 1))
    ShareMovementFactory(scic=scic, moved_on=D(2024, 12, 31))

    assert COMPUTATIONS["scic_subscriptions"].function(2025) == [("", "", Decimal("2.00"))]
    assert COMPUTATIONS["scic_subscriptions"].function(2024) == [("", "", Decimal("1.00"))]
