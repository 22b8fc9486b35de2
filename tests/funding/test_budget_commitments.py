import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from funding import services
from funding.enums import ApplicationStatus
from funding.models import BudgetLine, Commitment, Payment
from tests.accounts.factories import UserFactory
from tests.funding.factories import ApplicationFactory, BudgetLineFactory, SupportSchemeFactory
from tests.funding.lifecycle import approved_application, proposed_application


def _application_on(line, amount=Decimal("10000")):
    return ApplicationFactory(
        scheme=SupportSchemeFactory(budget_line=line), requested_amount=amount, status=ApplicationStatus.APPROVED
    )


@pytest.mark.django_db
def test_a_commitment_beyond_the_available_credits_is_refused_and_changes_nothing(staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("25000"), label="Ligne test 0")
    services.commit_budget(
        application=_application_on(line), amount=Decimal("20000"), by=staff_user, idempotency_key="a"
    )

    with pytest.raises(ValidationError) as error:
        services.commit_budget(
            application=_application_on(line), amount=Decimal("5000.01"), by=staff_user, idempotency_key="b"
        )

    assert error.value.messages == [
        "Crédits insuffisants sur la ligne « Ligne test 0 (2024, fonctionnement) » : "
        "disponible 5\xa0000,00\xa0€, engagement demandé 5\xa0000,01\xa0€."
    ]

    line.refresh_from_db()
    assert line.committed_amount == Decimal("20000.00")
    assert Commitment.objects.count() == 1


@pytest.mark.django_db
def test_committing_exactly_the_available_credits_is_allowed(staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("25000"))
    services.commit_budget(
        application=_application_on(line), amount=Decimal("25000"), by=staff_user, idempotency_key="a"
    )
    line.refresh_from_db()
    assert line.available_amount == Decimal("0.00")


@pytest.mark.django_db
def test_the_same_idempotency_key_twice_commits_once(staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("25000"))
    application = _application_on(line)
    first = services.commit_budget(application=application, amount=Decimal("8000"), by=staff_user, idempotency_key="k")
    second = services.commit_budget(
        application=application, amount=Decimal("8000"), by=staff_user, idempotency_key="k"
    )
    assert first.pk == second.pk
    line.refresh_from_db()
    assert line.committed_amount == Decimal("8000.00")
    assert Commitment.objects.count() == 1


@pytest.mark.django_db
def test_a_council_session_approval_that_fails_for_credits_is_undone_entirely(staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("20000"))
    scheme = SupportSchemeFactory(budget_line=line)
    first = proposed_application(by=staff_user, scheme=scheme, requested=Decimal("15000"))
    second = proposed_application(
        by=staff_user, scheme=scheme, requested=Decimal("15000"), session=first.council_session
    )
    session = first.council_session

    with pytest.raises(ValidationError) as error:
        services.decide_session(
            session=session,
            by=staff_user,
            decisions=[
                {"application": app, "approved": True, "amount": Decimal("15000"), "deliberation_number": f"D-{n}"}
                for n, app in enumerate([first, second])
            ],
        )

    assert any("Crédits insuffisants" in message for message in error.value.messages)
    line.refresh_from_db()
    assert line.committed_amount == Decimal("0.00")
    assert not Commitment.objects.exists()
    assert set(session.applications.values_list("status", flat=True)) == {ApplicationStatus.PROPOSED}


@pytest.mark.django_db
def test_a_payment_above_the_commitment_is_refused(staff_user):
    application = approved_application(by=staff_user)
    services.sign_agreement(application=application, by=staff_user, signed_on=application.decision.decided_on)
    commitment = application.commitment
    extra = Payment.objects.create(commitment=commitment, kind="single", amount=Decimal("0.01"))
    (scheduled,) = commitment.payments.exclude(pk=extra.pk)
    services.record_payment(payment=extra, by=staff_user, paid_on=datetime.date(2030, 7, 1), payment_order_number="M1")

    with pytest.raises(ValidationError, match="dépasserait l’engagement"):
        services.record_payment(
            payment=scheduled, by=staff_user, paid_on=datetime.date(2030, 7, 1), payment_order_number="M2"
        )

    commitment.refresh_from_db()
    assert commitment.paid_amount == Decimal("0.01")
    scheduled.refresh_from_db()
    assert scheduled.paid_on is None


@pytest.mark.django_db
def test_the_balance_waits_for_the_final_report(staff_user):
    application = approved_application(by=staff_user, payment_conditions="instalments")
    services.sign_agreement(application=application, by=staff_user, signed_on=application.decision.decided_on)
    advance, balance = application.commitment.payments.order_by("pk")
    with pytest.raises(ValidationError, match="après le dépôt du bilan final"):
        services.record_payment(
            payment=balance, by=staff_user, paid_on=datetime.date(2030, 7, 1), payment_order_number="M"
        )


@pytest.mark.django_db
def test_the_database_refuses_a_committed_total_above_the_voted_amount():
    line = BudgetLineFactory(voted_amount=Decimal("1000"))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funding_budgetline SET committed_amount = voted_amount + 1 WHERE id = %s", [line.pk])


@pytest.mark.django_db
def test_the_database_refuses_a_paid_amount_above_the_commitment(staff_user):
    application = approved_application(by=staff_user)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE funding_commitment SET paid_amount = amount + 1 WHERE id = %s", [application.commitment.pk]
        )


THREADS = 16


@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_commitments_never_exceed_the_voted_amount():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: the concurrent commitment test needs PostgreSQL (DATABASE_URL).")
    # 16 × 5,000 € asked at once on a 50,000 € line: exactly 10 fit, the line ends fully committed, never more.
    line = BudgetLineFactory(voted_amount=Decimal("50000"))
    staff = UserFactory()
    applications = [_application_on(line, amount=Decimal("5000")) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes = []

    def commit(application, key):
        try:
            barrier.wait()
            services.commit_budget(application=application, amount=Decimal("5000"), by=staff, idempotency_key=key)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=commit, args=(application, f"key-{n}")) for n, application in enumerate(applications)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    line.refresh_from_db()
    committed = Commitment.objects.filter(budget_line=line)
    assert outcomes.count("ok") == committed.count() == 10
    assert outcomes.count("refused") == 6
    assert line.committed_amount == sum(c.amount for c in committed) == line.voted_amount == Decimal("50000.00")
    assert line.committed_amount <= line.voted_amount


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_idempotency_key_commit_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: the concurrent commitment test needs PostgreSQL (DATABASE_URL).")
    line = BudgetLineFactory(voted_amount=Decimal("50000"))
    staff = UserFactory()
    application = _application_on(line, amount=Decimal("7000"))
    barrier = threading.Barrier(8)
    results = []

    def commit():
        try:
            barrier.wait()
            commitment = services.commit_budget(
                application=application, amount=Decimal("7000"), by=staff, idempotency_key="same"
            )
            results.append(commitment.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    line.refresh_from_db()
    assert len(results) == 8 and len(set(results)) == 1
    assert line.committed_amount == Decimal("7000.00")
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == Commitment.objects.get().amount
