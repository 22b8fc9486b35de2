"""Commitments that are not grants (SCIC shares, foncière capital, memberships, studies): the service's rules."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from funding import services
from funding.enums import CommitmentKind, PaymentKind
from funding.models import BudgetLine, Commitment, Payment
from tests.accounts.factories import UserFactory
from tests.actors.factories import ActorFactory
from tests.funding.factories import (
    ApplicationFactory,
    BudgetLineFactory,
    SpendingCommitmentFactory,
    SupportSchemeFactory,
)

pytestmark = pytest.mark.django_db


def _commit(line, *, kind=CommitmentKind.SERVICE_PURCHASE, amount="10000", key="k1", by=None, **extra):
    extra.setdefault("beneficiary_name", "Fournisseur Exemple")
    return services.commit_spending(
        budget_line=line, kind=kind, amount=Decimal(amount), label="Objet", by=by, idempotency_key=key, **extra
    )


@pytest.mark.parametrize("kind", [value for value, _ in CommitmentKind.spending_choices()])
def test_a_spending_of_each_kind_is_committed_on_its_line(kind, staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("120000"))
    actor = ActorFactory()

    commitment = services.commit_spending(
        budget_line=line,
        kind=kind,
        amount=Decimal("30000"),
        label="Souscription au capital",
        by=staff_user,
        idempotency_key="once",
        beneficiary=actor,
        deliberation_number="2024-17",
        deliberation_on=datetime.date(2024, 3, 1),
    )

    line.refresh_from_db()
    assert line.committed_amount == Decimal("30000.00")
    assert commitment.kind == kind and commitment.application is None
    assert commitment.beneficiary == actor and commitment.committed_by == staff_user
    assert commitment.legal_commitment_number == f"EJ-2024-{commitment.pk:06d}"
    assert str(commitment) == f"Engagement EJ-2024-{commitment.pk:06d} – {commitment.get_kind_display()} : " + (
        "Souscription au capital"
    )


def test_an_amount_above_the_remaining_is_refused_with_the_figures_and_writes_nothing(staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("120000"), label="Fonds de participation dans des SCIC")
    _commit(line, amount="100000", key="first")

    with pytest.raises(ValidationError) as error:
        _commit(line, amount="50000", key="second")

    assert error.value.messages == [
        "Le montant de 50\xa0000,00\xa0€ dépasse le disponible de la ligne « Fonds de participation dans des SCIC » "
        "(20\xa0000,00\xa0€)."
    ]
    line.refresh_from_db()
    assert line.committed_amount == Decimal("100000.00")
    assert not Commitment.objects.filter(idempotency_key="second").exists()


def test_the_same_idempotency_key_gives_back_the_same_commitment(staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("120000"))
    first = _commit(line, key="double-click")
    again = _commit(line, key="double-click")

    assert again.pk == first.pk
    line.refresh_from_db()
    assert line.committed_amount == Decimal("10000.00")
    assert Commitment.objects.count() == 1


def test_a_grant_kind_is_refused_by_commit_spending(staff_user):
    line = BudgetLineFactory()
    with pytest.raises(ValidationError, match="Une subvention s’engage par l’instruction"):
        _commit(line, kind=CommitmentKind.GRANT)
    line.refresh_from_db()
    assert line.committed_amount == Decimal("0.00") and not Commitment.objects.exists()


@pytest.mark.parametrize(
    "amount, extra, message",
    [
        ("0", {}, "Le montant à engager doit être positif."),
        ("-5", {}, "Le montant à engager doit être positif."),
        ("100", {"beneficiary_name": ""}, "Indiquez le bénéficiaire"),
        ("100", {"label": "  "}, "Indiquez l’objet de la dépense."),
    ],
)
def test_a_spending_without_amount_beneficiary_or_object_is_refused(amount, extra, message):
    line = BudgetLineFactory()
    arguments = {
        "budget_line": line,
        "kind": CommitmentKind.MEMBERSHIP,
        "amount": Decimal(amount),
        "label": "Cotisation CRESS",
        "by": None,
        "idempotency_key": "k",
        "beneficiary_name": "CRESS Nouvelle-Aquitaine",
    } | extra
    with pytest.raises(ValidationError, match=message):
        services.commit_spending(**arguments)
    assert not Commitment.objects.exists()


def test_the_database_refuses_a_spending_without_object():
    with pytest.raises(IntegrityError), transaction.atomic():
        SpendingCommitmentFactory(label="")


def test_the_database_refuses_a_spending_without_beneficiary():
    with pytest.raises(IntegrityError), transaction.atomic():
        SpendingCommitmentFactory(beneficiary=None, beneficiary_name="")


def test_the_database_refuses_a_spending_tied_to_an_application_and_a_grant_without_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        SpendingCommitmentFactory(application=ApplicationFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        SpendingCommitmentFactory(kind=CommitmentKind.GRANT)


def test_a_supplier_outside_the_registry_is_a_beneficiary_by_name():
    commitment = SpendingCommitmentFactory(supplier=True)
    assert commitment.beneficiary_label == "Cabinet d’études Exemple"


def test_payments_on_a_spending_never_exceed_the_commitment(staff_user):
    commitment = _commit(BudgetLineFactory(), amount="10000")

    services.add_payment(
        commitment=commitment,
        amount=Decimal("6000"),
        kind=PaymentKind.ADVANCE,
        by=staff_user,
        paid_on=datetime.date(2024, 5, 1),
        payment_order_number="M-1",
    )
    with pytest.raises(ValidationError) as error:
        services.add_payment(
            commitment=commitment,
            amount=Decimal("4000.01"),
            kind=PaymentKind.BALANCE,
            by=staff_user,
            paid_on=datetime.date(2024, 6, 1),
            payment_order_number="M-2",
        )

    assert error.value.messages == [
        "Ce versement de 4\xa0000,01\xa0€ dépasserait l’engagement : reste à verser 4\xa0000,00\xa0€."
    ]
    commitment.refresh_from_db()
    assert commitment.paid_amount == Decimal("6000.00")
    payment = Payment.objects.get()
    assert payment.recorded_by == staff_user and payment.recorded_at is not None


def test_scheduled_instalments_count_against_the_commitment_and_are_paid_by_record_payment(staff_user):
    commitment = _commit(BudgetLineFactory(), kind=CommitmentKind.FONCIERE_CAPITAL, amount="1000")
    instalment = services.add_payment(
        commitment=commitment,
        amount=Decimal("600"),
        kind=PaymentKind.ADVANCE,
        by=staff_user,
        due_on=datetime.date(2024, 9, 1),
    )
    with pytest.raises(ValidationError, match="reste à verser 400,00"):
        services.add_payment(commitment=commitment, amount=Decimal("500"), kind=PaymentKind.BALANCE, by=staff_user)

    services.record_payment(
        payment=instalment, by=staff_user, paid_on=datetime.date(2024, 9, 2), payment_order_number="M-9"
    )

    commitment.refresh_from_db()
    instalment.refresh_from_db()
    assert commitment.paid_amount == Decimal("600.00")
    assert instalment.paid_on == datetime.date(2024, 9, 2) and instalment.recorded_by == staff_user


def test_the_same_payment_key_gives_back_the_same_payment(staff_user):
    commitment = _commit(BudgetLineFactory(), amount="1000")
    arguments = {
        "commitment": commitment,
        "amount": Decimal("100"),
        "kind": PaymentKind.SINGLE,
        "by": staff_user,
        "paid_on": datetime.date(2024, 5, 1),
        "payment_order_number": "M-1",
        "idempotency_key": "pay-once",
    }
    first = services.add_payment(**arguments)
    assert services.add_payment(**arguments).pk == first.pk
    commitment.refresh_from_db()
    assert commitment.paid_amount == Decimal("100.00")


def test_a_spending_and_a_grant_share_the_line_ceiling(staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("20000"))
    _commit(line, amount="15000")
    application = ApplicationFactory(scheme=SupportSchemeFactory(budget_line=line))
    with pytest.raises(ValidationError, match="Crédits insuffisants"):
        services.commit_budget(application=application, amount=Decimal("5000.01"), by=staff_user, idempotency_key="g")
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == Decimal("15000.00")


@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_spendings_never_exceed_the_voted_amount():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: the concurrent commitment test needs PostgreSQL (DATABASE_URL).")
    # The SCIC fund line: 16 stakes of 15,000 € asked at once on 120,000 €: exactly 8 fit, never more.
    line = BudgetLineFactory(voted_amount=Decimal("120000"))
    staff = UserFactory()
    barrier = threading.Barrier(16)
    outcomes = []

    def commit(key):
        try:
            barrier.wait()
            _commit(line, kind=CommitmentKind.SCIC_SHARES, amount="15000", key=key, by=staff)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commit, args=(f"scic-{n}",)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    line.refresh_from_db()
    assert outcomes.count("ok") == Commitment.objects.filter(budget_line=line).count() == 8
    assert line.committed_amount == line.voted_amount == Decimal("120000.00")
