import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from actors.enums import LegalForm
from funding.enums import CommitmentKind
from funding.models import BudgetLine, Commitment
from scic import services
from scic.enums import MovementKind
from scic.models import Scic, ShareMovement
from tests.accounts.factories import UserFactory
from tests.actors.factories import ActorFactory
from tests.scic.factories import PublicHoldingFactory, ScicFactory, ShareMovementFactory, scic_fund_line

D = datetime.date
SUBSCRIBED_ON = D(2024, 5, 1)


def _subscribe(scic, *, shares, nominal="100", key="k", on=SUBSCRIBED_ON, year=2024, by=None):
    return services.subscribe_shares(
        scic=scic,
        shares=shares,
        nominal=Decimal(nominal),
        subscribed_on=on,
        fund_year=year,
        deliberation_number="2024/123",
        deliberation_on=D(2024, 4, 26),
        by=by,
        idempotency_key=key,
    )


@pytest.mark.django_db
def test_a_subscription_commits_the_scic_fund_line_and_records_the_movement(staff_user):
    line = scic_fund_line(2024)
    scic = ScicFactory(capital=Decimal("100000"))

    movement = _subscribe(scic, shares=150, by=staff_user)

    assert (movement.kind, movement.shares, movement.amount) == (MovementKind.SUBSCRIPTION, 150, Decimal("15000.00"))
    commitment = movement.commitment
    assert commitment.budget_line == line
    assert commitment.kind == CommitmentKind.SCIC_SHARES
    assert commitment.amount == Decimal("15000.00")
    assert commitment.beneficiary == scic.actor
    assert commitment.deliberation_number == "2024/123"
    line.refresh_from_db()
    assert line.committed_amount == Decimal("15000.00")
    assert scic.metropole_holding_on(D(2024, 5, 1)).shares == 150


@pytest.mark.django_db
def test_the_same_key_subscribes_once(staff_user):
    line = scic_fund_line(2024)
    scic = ScicFactory(capital=Decimal("100000"))

    first = _subscribe(scic, shares=10, key="double-click", by=staff_user)
    second = _subscribe(scic, shares=10, key="double-click", by=staff_user)

    assert first == second
    assert ShareMovement.objects.count() == Commitment.objects.count() == 1
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == Decimal("1000.00")


@pytest.mark.django_db
def test_a_stake_over_the_year_line_is_refused_with_the_figures_and_writes_nothing(staff_user):
    line = scic_fund_line(2024, voted_amount=Decimal("120000"))
    scic = ScicFactory(capital=Decimal("1000000"))
    _subscribe(scic, shares=1000, key="a", by=staff_user)  # 100,000 €

    with pytest.raises(ValidationError) as error:
        _subscribe(scic, shares=201, key="b", by=staff_user)  # 20,100 € > 20,000 € left

    assert error.value.messages == [
        "Le montant de 20\xa0100,00\xa0€ dépasse le disponible de la ligne "
        "« Fonds de participation dans des SCIC » (20\xa0000,00\xa0€)."
    ]
    assert ShareMovement.objects.count() == Commitment.objects.count() == 1
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == Decimal("100000.00")


@pytest.mark.django_db
def test_a_stake_exactly_at_the_year_line_is_accepted(staff_user):
    line = scic_fund_line(2024, voted_amount=Decimal("120000"))
    scic = ScicFactory(capital=Decimal("1000000"))

    _subscribe(scic, shares=1200, by=staff_user)

    assert BudgetLine.objects.get(pk=line.pk).committed_amount == line.voted_amount


@pytest.mark.django_db
def test_a_subscription_taking_the_public_share_over_fifty_percent_is_refused_with_the_figures(staff_user):
    line = scic_fund_line(2024)
    scic = ScicFactory(capital=Decimal("100000"))
    PublicHoldingFactory(scic=scic, amount=Decimal("40000"), held_from=D(2023, 1, 1))
    # After 20,001 € of new capital: public 60,001 € of 120,001 € = 50.0004 %.
    with pytest.raises(ValidationError) as error:
        _subscribe(scic, shares=20001, nominal="1", by=staff_user)

    assert error.value.messages == [
        "La part publique atteindrait 50,0\xa0% du capital (plafond 50\xa0%) : la Métropole détiendrait "
        "20\xa0001,00\xa0€ et les autres collectivités 40\xa0000,00\xa0€, soit 60\xa0001,00\xa0€ sur un capital de "
        "120\xa0001,00\xa0€ après souscription."
    ]
    assert ShareMovement.objects.count() == Commitment.objects.count() == 0
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == Decimal("0.00")


@pytest.mark.django_db
def test_the_public_cap_message_gives_the_share_it_would_reach(staff_user):
    scic_fund_line(2024)
    scic = ScicFactory(capital=Decimal("100000"))
    PublicHoldingFactory(scic=scic, amount=Decimal("40000"), held_from=D(2023, 1, 1))
    # 10,000 € subscribed before the capital recorded on 1 January 2023, so counted in it.
    ShareMovementFactory(scic=scic, moved_on=D(2022, 6, 1), shares=100, nominal=Decimal("100"))

    with pytest.raises(ValidationError) as error:
        _subscribe(scic, shares=50, by=staff_user)  # (10,000 + 40,000 + 5,000) / 105,000 = 52.38 %

    assert error.value.messages[0].startswith("La part publique atteindrait 52,4\xa0% du capital (plafond 50\xa0%) : ")


@pytest.mark.django_db
def test_a_subscription_bringing_the_public_share_to_exactly_fifty_percent_is_accepted(staff_user):
    scic_fund_line(2024)
    scic = ScicFactory(capital=Decimal("100000"))
    PublicHoldingFactory(scic=scic, amount=Decimal("40000"), held_from=D(2023, 1, 1))

    _subscribe(scic, shares=200, by=staff_user)  # public 60,000 € of 120,000 €

    figures = scic.figures_on(D(2024, 5, 1))
    assert (figures.public_amount, figures.capital_amount) == (Decimal("60000.00"), Decimal("120000.00"))
    assert figures.public_percent == Decimal("50.0")
    assert not figures.is_over_cap


@pytest.mark.django_db
def test_a_holding_that_ended_before_the_subscription_does_not_count(staff_user):
    scic_fund_line(2024)
    scic = ScicFactory(capital=Decimal("100000"))
    PublicHoldingFactory(scic=scic, amount=Decimal("40000"), held_from=D(2023, 1, 1), held_until=D(2024, 4, 30))

    _subscribe(scic, shares=500, by=staff_user)  # 50,000 € of 150,000 €

    assert ShareMovement.objects.count() == 1


@pytest.mark.django_db
def test_a_subscription_without_a_fund_line_that_year_is_refused(staff_user):
    scic = ScicFactory(capital=Decimal("100000"))

    with pytest.raises(ValidationError, match="Aucune ligne « Fonds de participation dans des SCIC » au budget 2024"):
        _subscribe(scic, shares=10, by=staff_user)
    assert ShareMovement.objects.count() == 0


@pytest.mark.django_db
def test_only_a_structure_whose_legal_form_is_scic_enters_the_register(staff_user):
    association = ActorFactory(name="Les Amis du Vélo", legal_form=LegalForm.ASSOCIATION)

    with pytest.raises(ValidationError) as error:
        services.declare_scic(actor=association, by=staff_user, idempotency_key="x")

    assert error.value.messages == [
        "« Les Amis du Vélo » n’a pas la forme juridique SCIC (Association) : corrigez sa fiche avant de la déclarer."
    ]
    assert Scic.objects.count() == 0


@pytest.mark.django_db
def test_a_scic_is_declared_once(staff_user):
    actor = ActorFactory(legal_form=LegalForm.SCIC)

    scic = services.declare_scic(actor=actor, by=staff_user, idempotency_key="x")

    assert services.declare_scic(actor=actor, by=staff_user, idempotency_key="x") == scic
    with pytest.raises(ValidationError, match="est déjà au registre des SCIC"):
        services.declare_scic(actor=actor, by=staff_user, idempotency_key="y")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [MovementKind.REDEMPTION, MovementKind.TRANSFER])
def test_a_redemption_or_transfer_never_takes_the_holding_below_zero(staff_user, kind):
    scic = ScicFactory()
    ShareMovementFactory(scic=scic, moved_on=D(2024, 3, 1), shares=100)

    with pytest.raises(ValidationError) as error:
        services.record_movement(
            scic=scic,
            kind=kind,
            shares=101,
            nominal=Decimal("50"),
            moved_on=D(2024, 6, 1),
            by=staff_user,
            idempotency_key="r",
        )
    assert error.value.messages == [
        "La Métropole ne détient que 100 parts de cette SCIC au 01/06/2024 : impossible d’en retirer 101."
    ]
    with pytest.raises(ValidationError, match="ne détient que 0 parts"):
        services.record_movement(
            scic=scic,
            kind=kind,
            shares=1,
            nominal=Decimal("50"),
            moved_on=D(2024, 2, 1),
            by=staff_user,
            idempotency_key="s",
        )

    services.record_movement(
        scic=scic,
        kind=kind,
        shares=100,
        nominal=Decimal("50"),
        moved_on=D(2024, 6, 1),
        by=staff_user,
        idempotency_key="t",
    )
    assert scic.metropole_holding_on(D(2024, 6, 1)).shares == 0
    assert ShareMovement.objects.filter(kind=kind).count() == 1


@pytest.mark.django_db
def test_paying_up_never_passes_the_subscribed_amount(staff_user):
    scic = ScicFactory()
    ShareMovementFactory(scic=scic, moved_on=D(2024, 3, 1), shares=100, nominal=Decimal("50"))

    services.record_movement(
        scic=scic,
        kind=MovementKind.PAYING_UP,
        shares=60,
        nominal=Decimal("50"),
        moved_on=D(2024, 4, 1),
        by=staff_user,
        idempotency_key="p1",
    )
    with pytest.raises(ValidationError) as error:
        services.record_movement(
            scic=scic,
            kind=MovementKind.PAYING_UP,
            shares=41,
            nominal=Decimal("50"),
            moved_on=D(2024, 5, 1),
            by=staff_user,
            idempotency_key="p2",
        )

    assert error.value.messages == [
        "La libération de 2\xa0050,00\xa0€ dépasse le montant souscrit restant à libérer (2\xa0000,00\xa0€)."
    ]
    assert scic.metropole_holding_on(D(2024, 5, 1)).shares == 100


@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_stakes_never_exceed_the_scic_fund_line():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: the concurrent stake test needs PostgreSQL (DATABASE_URL).")
    # 16 stakes of 15,000 € in 16 SCIC asked at once on the 120,000 € line: exactly 8 fit, never more.
    line = scic_fund_line(2024, voted_amount=Decimal("120000"))
    staff = UserFactory()
    scics = [ScicFactory(capital=Decimal("1000000")) for _ in range(16)]
    barrier = threading.Barrier(16)
    outcomes = []

    def subscribe(scic, key):
        try:
            barrier.wait()
            _subscribe(scic, shares=150, key=key, by=staff)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=subscribe, args=(scic, f"stake-{n}")) for n, scic in enumerate(scics)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    line.refresh_from_db()
    assert outcomes.count("ok") == ShareMovement.objects.count() == Commitment.objects.count() == 8
    assert line.committed_amount == line.voted_amount == Decimal("120000.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_subscriptions_in_one_scic_never_pass_the_public_cap():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: the concurrent cap test needs PostgreSQL (DATABASE_URL).")
    # Capital 100,000 €: the Métropole may subscribe 100,000 € of new capital (100,000 of 200,000 = 50 %).
    # 16 subscriptions of 10,000 € at once: 10 fit the cap, never more, whatever the order.
    scic_fund_line(2024, voted_amount=Decimal("1000000"))
    staff = UserFactory()
    scic = ScicFactory(capital=Decimal("100000"))
    barrier = threading.Barrier(16)
    outcomes = []

    def subscribe(key):
        try:
            barrier.wait()
            _subscribe(scic, shares=100, key=key, by=staff)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=subscribe, args=(f"cap-{n}",)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("ok") == ShareMovement.objects.count() == 10
    assert scic.figures_on(D(2024, 5, 1)).public_percent == Decimal("50.0")


@pytest.mark.django_db
def test_paying_up_with_its_mandate_pays_the_subscription_commitment(staff_user):
    scic_fund_line(2024)
    scic = ScicFactory(capital=Decimal("100000"))
    subscription = _subscribe(scic, shares=100, key="sub", by=staff_user)  # 10,000 €

    movement = services.record_movement(
        scic=scic,
        kind=MovementKind.PAYING_UP,
        shares=40,
        nominal=Decimal("100"),
        moved_on=D(2024, 6, 1),
        payment_order_number="M-2024-1",
        by=staff_user,
        idempotency_key="pay",
    )

    assert movement.payment.amount == Decimal("4000.00")
    assert movement.payment.payment_order_number == "M-2024-1"
    assert movement.payment.commitment == subscription.commitment
    assert Commitment.objects.get(pk=subscription.commitment_id).paid_amount == Decimal("4000.00")
    _subscribe(scic, shares=50, key="sub-2", by=staff_user)  # 6,000 € and 5,000 € left to pay: not 7,000 € on one
    with pytest.raises(ValidationError, match="Aucune souscription de cette SCIC"):
        services.record_movement(
            scic=scic,
            kind=MovementKind.PAYING_UP,
            shares=70,
            nominal=Decimal("100"),
            moved_on=D(2024, 7, 1),
            payment_order_number="M-2024-2",
            by=staff_user,
            idempotency_key="pay-2",
        )
    assert ShareMovement.objects.filter(kind=MovementKind.PAYING_UP).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_subscription_submitted_eight_times_at_once_is_recorded_once():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises every write: the concurrent double submit test needs PostgreSQL (DATABASE_URL)."
        )
    line = scic_fund_line(2024)
    staff = UserFactory()
    scic = ScicFactory(capital=Decimal("100000"))
    barrier = threading.Barrier(8)
    errors = []

    def subscribe():
        try:
            barrier.wait()
            _subscribe(scic, shares=10, key="same-form", by=staff)
        except Exception as error:  # noqa: BLE001 - any failure is the test's failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=subscribe) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ShareMovement.objects.count() == Commitment.objects.count() == 1
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == Decimal("1000.00")
