"""Each computed indicator equals an independent SQL aggregate (raw SQL) on factory data."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from actors.enums import LegalForm
from actors.models import Actor
from filieres.models import Filiere
from funding.enums import ApplicationStatus
from funding.models import Application, BudgetLine, Commitment, Decision
from procurement.contracts.models import InsertionHours
from programme.indicators import COMPUTATIONS, achievement, format_measure
from tests.actors.factories import ActorFactory
from tests.funding.factories import ApplicationFactory, BudgetLineFactory, CouncilSessionFactory
from tests.procurement.factories import InsertionClauseFactory, InsertionHoursFactory

pytestmark = pytest.mark.usefixtures("reference_data")
PARIS = ZoneInfo("Europe/Paris")


def sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def tables():
    return {
        "commitment": Commitment._meta.db_table,
        "application": Application._meta.db_table,
        "line": BudgetLine._meta.db_table,
        "filiere": Filiere._meta.db_table,
        "actor": Actor._meta.db_table,
        "hours": InsertionHours._meta.db_table,
    }


def commit(application, line, amount):
    return Commitment.objects.create(
        application=application, budget_line=line, amount=Decimal(amount), idempotency_key=f"test-{application.pk}"
    )


def computed(name, year):
    return {breakdown: (label, value) for breakdown, label, value in COMPUTATIONS[name].function(year)}


@pytest.fixture
def funded_2025():
    """Commitments on 2025 lines in two filières and outside them, and one on a 2024 line that must not count."""
    line_2025, other_2025 = BudgetLineFactory(year=2025), BudgetLineFactory(year=2025)
    line_2024 = BudgetLineFactory(year=2024)
    circular, housing = Filiere.objects.get(code="1.1.2"), Filiere.objects.get(code="1.1.3")
    scop = ActorFactory(legal_form=LegalForm.SCOP, fte=Decimal("12.5"))
    association = ActorFactory(fte=Decimal("3.0"))
    unknown_fte = ActorFactory(fte=None)
    only_2024 = ActorFactory(fte=Decimal("100"))
    commit(ApplicationFactory(actor=scop, filiere=circular), line_2025, "40000.00")
    commit(ApplicationFactory(actor=scop, filiere=housing), other_2025, "25000.50")
    commit(ApplicationFactory(actor=association, filiere=circular), line_2025, "10000.00")
    commit(ApplicationFactory(actor=unknown_fte, filiere=None), other_2025, "5000.00")
    commit(ApplicationFactory(actor=only_2024, filiere=housing), line_2024, "99999.00")


def test_committed_amount_by_filiere_equals_the_sql_sums_of_the_year(funded_2025):
    t = tables()
    expected = dict(
        sql(
            f"SELECT COALESCE(f.code, 'hors-filiere'), SUM(c.amount) FROM {t['commitment']} c "
            f"JOIN {t['line']} l ON l.id = c.budget_line_id JOIN {t['application']} a ON a.id = c.application_id "
            f"LEFT JOIN {t['filiere']} f ON f.id = a.filiere_id WHERE l.year = %s GROUP BY f.code",
            [2025],
        )
    )
    (total,) = sql(
        f"SELECT SUM(c.amount) FROM {t['commitment']} c JOIN {t['line']} l ON l.id = c.budget_line_id "
        "WHERE l.year = %s",
        [2025],
    )[0]

    rows = computed("committed_amount_by_filiere", 2025)

    assert rows.pop("") == ("", Decimal(total))
    assert {code: value for code, (label, value) in rows.items()} == {
        code: Decimal(value) for code, value in expected.items()
    }
    assert rows["1.1.2"] == ("Économie circulaire", Decimal("50000.00"))
    assert rows["hors-filiere"] == ("Hors filières prioritaires", Decimal("5000.00"))
    assert Decimal(total) == Decimal("80000.50")


def test_supported_actors_and_their_fte_count_each_structure_once(funded_2025):
    t = tables()
    count, fte = sql(
        f"SELECT COUNT(*), SUM(fte) FROM {t['actor']} WHERE id IN (SELECT a.actor_id FROM {t['commitment']} c "
        f"JOIN {t['line']} l ON l.id = c.budget_line_id JOIN {t['application']} a ON a.id = c.application_id "
        "WHERE l.year = %s)",
        [2025],
    )[0]

    actors = computed("supported_actors", 2025)
    assert actors.pop("") == ("", Decimal(count)) == ("", Decimal("3.00"))
    assert actors == {
        "association": ("Association", Decimal("2.00")),
        "scop": ("Coopérative – SCOP", Decimal("1.00")),
    }
    assert computed("supported_actors_fte", 2025) == {"": ("", Decimal(fte).quantize(Decimal("0.01")))}
    assert Decimal(fte) == Decimal("15.5")


def submitted(when: datetime.datetime, status=ApplicationStatus.SUBMITTED):
    return ApplicationFactory(status=status, submitted_at=when)


def test_applications_by_state_counts_the_submissions_of_the_local_year():
    submitted(datetime.datetime(2024, 12, 31, 23, 30, tzinfo=PARIS))  # 2024 in Bordeaux
    submitted(datetime.datetime(2025, 1, 1, 0, 30, tzinfo=PARIS))  # still 2024 in UTC, 2025 in Bordeaux
    submitted(datetime.datetime(2025, 6, 1, 10, tzinfo=PARIS), ApplicationStatus.IN_REVIEW)
    submitted(datetime.datetime(2025, 7, 1, 10, tzinfo=PARIS), ApplicationStatus.APPROVED)
    submitted(datetime.datetime(2025, 8, 1, 10, tzinfo=PARIS), ApplicationStatus.APPROVED)
    ApplicationFactory()  # a draft, never submitted
    t = tables()
    start, end = datetime.datetime(2025, 1, 1, tzinfo=PARIS), datetime.datetime(2026, 1, 1, tzinfo=PARIS)
    expected = dict(
        sql(
            f"SELECT status, COUNT(*) FROM {t['application']} WHERE submitted_at >= %s AND submitted_at < %s "
            "GROUP BY status",
            [connection.ops.adapt_datetimefield_value(start), connection.ops.adapt_datetimefield_value(end)],
        )
    )

    rows = COMPUTATIONS["applications_by_state"].function(2025)

    assert rows[0] == ("", "", Decimal(sum(expected.values()))) == ("", "", Decimal("4.00"))
    # One row per state present, in the order of the workflow.
    assert rows[1:] == [
        ("submitted", "Déposé", Decimal(expected["submitted"])),
        ("in_review", "En instruction", Decimal(expected["in_review"])),
        ("approved", "Accordé", Decimal(expected["approved"])),
    ]


def decide(submitted_at: datetime.datetime, decided_on: datetime.date):
    application = submitted(submitted_at, ApplicationStatus.APPROVED)
    return Decision.objects.create(
        application=application,
        council_session=CouncilSessionFactory(),
        deliberation_number=f"2025-{application.pk}",
        decided_on=decided_on,
        is_approved=True,
        granted_amount=Decimal("1000.00"),
    )


def test_average_instruction_time_is_the_mean_of_days_from_submission_to_decision_of_the_year():
    decide(datetime.datetime(2025, 1, 10, 9, tzinfo=PARIS), datetime.date(2025, 3, 1))  # 50 days
    decide(datetime.datetime(2025, 2, 1, 0, 30, tzinfo=PARIS), datetime.date(2025, 4, 2))  # 60 days (local date)
    decide(datetime.datetime(2024, 10, 1, 9, tzinfo=PARIS), datetime.date(2025, 1, 6))  # 97 days
    decide(datetime.datetime(2024, 1, 1, 9, tzinfo=PARIS), datetime.date(2024, 12, 1))  # decided in 2024

    assert COMPUTATIONS["average_instruction_days"].function(2025) == [("", "", Decimal("69.00"))]
    assert COMPUTATIONS["average_instruction_days"].function(2024) == [("", "", Decimal("335.00"))]


def test_a_year_without_decision_has_no_average_instruction_time():
    assert COMPUTATIONS["average_instruction_days"].function(2023) == []


def test_insertion_hours_sum_the_reports_whose_period_ends_in_the_year():
    clause = InsertionClauseFactory()
    InsertionHoursFactory(clause=clause, period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 3, 31))
    InsertionHoursFactory(
        clause=clause, period_start=datetime.date(2025, 10, 1), period_end=datetime.date(2025, 12, 31), hours=35.5
    )
    InsertionHoursFactory(
        clause=clause, period_start=datetime.date(2025, 12, 1), period_end=datetime.date(2026, 1, 31), hours=999
    )
    t = tables()
    (total,) = sql(
        f"SELECT SUM(hours) FROM {t['hours']} WHERE period_end >= %s AND period_end <= %s",
        [datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)],
    )[0]

    assert COMPUTATIONS["insertion_hours"].function(2025) == [("", "", Decimal(total))]
    assert Decimal(total) == Decimal("135.50")


@pytest.mark.parametrize("name", list(COMPUTATIONS))
def test_every_computation_runs_a_fixed_number_of_queries_and_gives_the_total_first(
    name, funded_2025, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        rows = COMPUTATIONS[name].function(2025)
    assert not rows or rows[0][:2] == ("", "")


def test_achievement_reads_a_delay_target_as_a_maximum():
    assert achievement(target=Decimal("100"), value=Decimal("45")) == 45
    assert achievement(target=Decimal("60"), value=Decimal("75"), lower_is_better=True) == 80
    assert achievement(target=Decimal("60"), value=Decimal("40"), lower_is_better=True) == 150
    assert achievement(target=None, value=Decimal("1")) is None
    assert achievement(target=Decimal("0"), value=Decimal("1")) is None


def test_values_are_written_in_french_with_their_unit():
    assert format_measure(Decimal("145000.00"), "€") == "145\u00a0000,00\u00a0€"
    assert format_measure(Decimal("12.00"), "structures") == "12\u00a0structures"
    assert format_measure(Decimal("1.00"), "dossiers") == "1\u00a0dossier"
    assert format_measure(Decimal("4.50"), "ETP") == "4,5\u00a0ETP"
    assert format_measure(None, "€") == ""
