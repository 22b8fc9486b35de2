"""The late rule of the follow-up page, at its boundaries, and the insertion totals computed in SQL."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from procurement.contracts.models import Contract, InsertionClause, InsertionHours
from tests.procurement.factories import ContractFactory, InsertionClauseFactory, InsertionHoursFactory

pytestmark = pytest.mark.django_db

# 2025-01-01 → 2025-11-01 lasts 304 days; on 2025-03-08 (66 days elapsed) of 1,520 required hours,
# 330 are expected and 80 % of them is 264.
START, END = date(2025, 1, 1), date(2025, 11, 1)
MIDWAY = date(2025, 3, 8)


def contract_with(required: str, realised: list[str], *, starts_on=START, ends_on=END) -> Contract:
    contract = ContractFactory(starts_on=starts_on, ends_on=ends_on)
    clause = InsertionClauseFactory(lot__contract=contract, hours_required=Decimal(required))
    for index, hours in enumerate(realised):
        InsertionHoursFactory(clause=clause, company_name=f"Entreprise {index}", hours=Decimal(hours))
    return contract


def annotated(contract: Contract, today: date) -> Contract:
    return Contract.objects.with_insertion_totals(today).get(pk=contract.pk)


def test_a_running_contract_at_exactly_80_percent_of_the_hours_expected_is_not_late():
    contract = contract_with("1520", ["200", "64"])

    result = annotated(contract, MIDWAY)

    assert result.hours_expected == pytest.approx(330)
    assert result.hours_realised == Decimal("264")
    assert result.is_late is False


def test_a_running_contract_just_below_80_percent_of_the_hours_expected_is_late():
    contract = contract_with("1520", ["200", "63.99"])

    assert annotated(contract, MIDWAY).is_late is True


def test_the_hours_expected_grow_with_the_time_elapsed():
    contract = contract_with("1520", ["264"])

    assert annotated(contract, MIDWAY).is_late is False
    assert annotated(contract, date(2025, 3, 9)).is_late is True


def test_an_ended_contract_is_late_until_every_required_hour_is_realised():
    short = contract_with("1000", ["999.99"])
    done = contract_with("1000", ["1000"])
    beyond = contract_with("1000", ["700", "600"])
    day_after = date(2025, 11, 2)

    assert annotated(short, day_after).is_late is True
    assert annotated(done, day_after).is_late is False
    assert annotated(beyond, day_after).is_late is False
    assert annotated(beyond, day_after).completion == pytest.approx(130)


def test_on_its_last_day_a_contract_needs_80_percent_of_the_required_hours():
    at_80 = contract_with("1000", ["800"])
    below = contract_with("1000", ["799.99"])

    assert annotated(at_80, END).is_late is False
    assert annotated(below, END).is_late is True


def test_a_contract_is_never_late_before_it_starts_nor_without_a_clause():
    not_started = contract_with("1000", [])
    without_clause = ContractFactory(starts_on=START, ends_on=END)

    assert annotated(not_started, date(2024, 12, 31)).is_late is False
    assert annotated(not_started, START).is_late is False
    assert annotated(not_started, date(2025, 1, 2)).is_late is True
    assert annotated(without_clause, date(2026, 1, 1)).is_late is False
    assert annotated(without_clause, date(2026, 1, 1)).completion is None


def test_a_one_day_contract_is_judged_on_its_day_then_on_every_hour():
    contract = contract_with("10", ["8"], starts_on=START, ends_on=START)

    assert annotated(contract, START).is_late is False
    assert annotated(contract, date(2025, 1, 2)).is_late is True


def test_insertion_totals_equal_the_sql_aggregates_of_clauses_and_hours():
    contracts = [contract_with("1000", ["10.5", "20.25"]), contract_with("350.75", ["400"]), contract_with("80", [])]
    # A second lot on the first contract, so that a join would have counted its hours twice.
    second = InsertionClauseFactory(lot__contract=contracts[0], hours_required=Decimal("200"))
    InsertionHoursFactory(clause=second, hours=Decimal("5"))

    rows = {c.pk: c for c in Contract.objects.with_insertion_totals(MIDWAY)}

    for contract in contracts:
        required = InsertionClause.objects.filter(lot__contract=contract).aggregate(s=Sum("hours_required"))["s"]
        realised = InsertionHours.objects.filter(clause__lot__contract=contract).aggregate(s=Sum("hours"))["s"]
        assert rows[contract.pk].hours_required == required
        assert rows[contract.pk].hours_realised == (realised or 0)
    assert rows[contracts[0].pk].hours_required == Decimal("1200")
    assert rows[contracts[0].pk].hours_realised == Decimal("35.75")
