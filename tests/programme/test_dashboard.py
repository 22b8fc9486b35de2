"""The elected officials' dashboard (/plan/tableau-de-bord/): every figure equals an independent database
aggregate, the year filter, a fixed number of queries, read-only access for the roles that read the plan."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db.models import Q, Sum
from django.urls import reverse

from actors.models import Commune
from filieres.models import Filiere
from funding import services
from funding.enums import ApplicationStatus, BudgetSection
from funding.models import BudgetLine, Commitment
from programme.dashboard import PLAN_YEARS, dashboard_data, default_year, parse_year
from programme.enums import ActionStatus, IndicatorKind, MeasurementSource
from programme.models import Action, Axis, Indicator, IndicatorTarget, Measurement, Milestone
from tests.actors.factories import ActorFactory
from tests.funding.factories import ApplicationFactory, SupportSchemeFactory

pytestmark = pytest.mark.usefixtures("reference_data")

URL = reverse("programme:dashboard")
ZERO = Decimal("0.00")


def aid(*, year, code, amount, paid=ZERO, filiere=None, commune=None):
    """An approved application committed on the year's line `code`, with `paid` already paid."""
    line = BudgetLine.objects.get(year=year, code=code)
    actor = ActorFactory(commune=Commune.objects.get(name=commune)) if commune else ActorFactory()
    application = ApplicationFactory(
        actor=actor,
        scheme=SupportSchemeFactory(budget_line=line),
        filiere=Filiere.objects.get(code=filiere) if filiere else None,
        status=ApplicationStatus.APPROVED,
    )
    commitment = services.commit_budget(
        application=application, amount=Decimal(amount), by=None, idempotency_key=f"dashboard-{application.pk}"
    )
    Commitment.objects.filter(pk=commitment.pk).update(paid_amount=Decimal(paid))
    return commitment


@pytest.fixture
def aids():
    aid(year=2024, code="soutiens-directs-projets", amount="12000", paid="5000", filiere="1.1.1", commune="Bègles")
    aid(year=2024, code="soutiens-directs-projets", amount="8000.50", filiere="1.1.2", commune="Bègles")
    aid(year=2024, code="soutiens-reseaux", amount="30000", paid="30000", filiere="1.1.2", commune="Mérignac")
    aid(year=2024, code="aides-immobilier", amount="145000", paid="45000", filiere="1.1.3", commune="Bordeaux")
    aid(year=2024, code="plie-clauses-insertion", amount="20000", paid="1000", commune="Pessac")  # no filière
    # Another year's aid never shows in 2024.
    aid(year=2023, code="soutiens-directs-projets", amount="99000", paid="99000", filiere="1.1.1", commune="Talence")


def get_dashboard(client, user, query=""):
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response


def test_budget_figures_per_line_and_section_equal_the_database_aggregates(client, elected_user, aids):
    data = get_dashboard(client, elected_user, "?annee=2024").context["data"]

    lines = BudgetLine.objects.for_year(2024)
    assert len(data.budget_lines) == lines.count() == 13
    for row, line in zip(data.budget_lines, lines.order_by("section", "-is_in_plan", "position"), strict=True):
        paid = Commitment.objects.filter(budget_line=line).aggregate(paid=Sum("paid_amount", default=ZERO))["paid"]
        committed = Commitment.objects.filter(budget_line=line).aggregate(total=Sum("amount", default=ZERO))["total"]
        assert (row.label, row.voted, row.committed, row.paid) == (line.label, line.voted_amount, committed, paid)
        assert row.available == line.voted_amount - committed
    for row in data.budget_sections:
        group = lines.filter(section=row.section, is_in_plan=row.is_in_plan)
        commitments = Commitment.objects.filter(budget_line__in=group)
        assert row.voted == group.aggregate(total=Sum("voted_amount"))["total"]
        assert row.committed == commitments.aggregate(total=Sum("amount", default=ZERO))["total"]
        assert row.paid == commitments.aggregate(total=Sum("paid_amount", default=ZERO))["total"]
    operating = next(r for r in data.budget_sections if r.section == BudgetSection.FONCTIONNEMENT and r.is_in_plan)
    assert (operating.committed, operating.paid) == (Decimal("50000.50"), Decimal("35000.00"))
    year_commitments = Commitment.objects.filter(budget_line__year=2024)
    assert data.budget_total.voted == lines.aggregate(total=Sum("voted_amount"))["total"]
    assert (
        data.budget_total.committed == year_commitments.aggregate(total=Sum("amount"))["total"] == Decimal("215000.50")
    )
    assert (
        data.budget_total.paid == year_commitments.aggregate(total=Sum("paid_amount"))["total"] == Decimal("81000.00")
    )


def test_aids_per_filiere_and_commune_equal_the_database_aggregates(client, elected_user, aids):
    data = get_dashboard(client, elected_user, "?annee=2024").context["data"]
    year_commitments = Commitment.objects.filter(budget_line__year=2024)

    # The four filières are listed even without aid, then the aids without filière.
    assert [row.label for row in data.aids_by_filiere] == [
        *Filiere.objects.order_by("code").values_list("name", flat=True),
        "Sans filière",
    ]
    for row in data.aids_by_filiere:
        subset = year_commitments.filter(
            Q(application__filiere__code=row.key) if row.key else Q(application__filiere=None)
        )
        totals = subset.aggregate(committed=Sum("amount", default=ZERO), paid=Sum("paid_amount", default=ZERO))
        assert (row.committed, row.paid, row.application_count) == (
            totals["committed"],
            totals["paid"],
            subset.count(),
        )
    proximity = next(row for row in data.aids_by_filiere if row.key == "1.1.4")
    assert (proximity.committed, proximity.application_count) == (ZERO, 0)

    # Communes with an aid only, the most committed first; Talence's aid is on a 2023 line.
    assert [row.label for row in data.aids_by_commune] == ["Bordeaux", "Mérignac", "Bègles", "Pessac"]
    for row in data.aids_by_commune:
        subset = year_commitments.filter(application__actor__commune__name=row.label)
        totals = subset.aggregate(committed=Sum("amount"), paid=Sum("paid_amount"))
        assert (row.committed, row.paid, row.application_count) == (
            totals["committed"],
            totals["paid"],
            subset.count(),
        )
    assert data.aids_total.committed == year_commitments.aggregate(total=Sum("amount"))["total"]
    assert data.aids_total.application_count == year_commitments.count() == 5


def test_the_page_shows_the_figures_in_french_format(client, elected_user, aids):
    content = get_dashboard(client, elected_user, "?annee=2024").content.decode()

    assert "<h1>Tableau de bord ESS 2024</h1>" in content
    assert "215\xa0000,50\xa0€" in content  # committed in 2024, total of the tables
    assert "145\xa0000,00\xa0€" in content  # Bordeaux, aides à l’immobilier
    assert "20\xa0000,00\xa0€" in content and "Pessac" in content
    assert "Talence" not in content and "99\xa0000" not in content


def test_indicators_are_shown_against_their_target_of_the_year(client, elected_user):
    structures = Indicator.objects.create(
        code="test-structures", name="Structures aidées (test)", kind=IndicatorKind.RESULT, unit="structures"
    )
    IndicatorTarget.objects.create(indicator=structures, year=2024, value=Decimal("40"))
    IndicatorTarget.objects.create(indicator=structures, year=2023, value=Decimal("10"))
    measured = {"source": MeasurementSource.ENTERED, "measured_on": datetime.date(2024, 12, 31)}
    Measurement.objects.create(indicator=structures, year=2024, value=Decimal("30"), **measured)
    Measurement.objects.create(indicator=structures, year=2024, breakdown="1.1.1", value=Decimal("12"), **measured)
    unmeasured = Indicator.objects.create(
        code="test-sans-mesure", name="Indicateur sans mesure (test)", kind=IndicatorKind.IMPACT, unit="€"
    )
    IndicatorTarget.objects.create(indicator=unmeasured, year=2024, value=Decimal("5000"))
    Indicator.objects.create(
        code="test-inactif", name="Indicateur retiré (test)", kind=IndicatorKind.ACTIVITY, unit="€", is_active=False
    )

    response = get_dashboard(client, elected_user, "?annee=2024")
    rows = {row.code: row for row in response.context["data"].indicators}

    expected = Indicator.objects.active().for_year(2024)
    assert set(rows) == set(expected.values_list("code", flat=True))
    assert "test-inactif" not in rows
    for indicator in expected:
        assert (rows[indicator.code].target, rows[indicator.code].value) == (indicator.target, indicator.value)
    assert rows["test-structures"].value == Decimal("30")  # the total, not the filière's breakdown
    assert rows["test-structures"].rate == Decimal("75.0")
    assert rows["test-sans-mesure"].rate is None
    content = response.content.decode()
    assert "30\xa0structures" in content and "40\xa0structures" in content and "75,0 %" in content
    assert "5\xa0000,00\xa0€" in content and "non mesuré" in content


def test_plan_progress_rolls_up_as_the_plan_page_and_counts_overdue_milestones(client, elected_user):
    today = datetime.date.today()
    Action.objects.filter(code="1.2").update(progress=60, status=ActionStatus.IN_PROGRESS)
    Action.objects.filter(code="1.1.1").update(progress=100, status=ActionStatus.DONE)
    Milestone.objects.plan_commitments().update(done_on=today)  # the plan's dated commitments, all held
    action = Action.objects.get(code="2.1")
    Milestone.objects.create(action=action, title="Comité en retard", due_on=today - datetime.timedelta(days=3))
    Milestone.objects.create(action=action, title="Comité à venir", due_on=today + datetime.timedelta(days=3))
    Milestone.objects.create(
        action=action, title="Comité tenu", due_on=today - datetime.timedelta(days=9), done_on=today
    )

    data = get_dashboard(client, elected_user).context["data"]

    assert [axis.number for axis in data.axes] == list(Axis.objects.values_list("number", flat=True))
    for row in data.axes:
        assert row.progress == Axis.objects.get(number=row.number).progress_value  # computed without with_plan
    progress = {action.code: action.progress for axis in data.axes for action in axis.actions}
    assert progress["1.2"] == 60 and progress["1.1.1"] == 100
    assert len(progress) == Action.objects.count()
    assert data.overdue_milestones == Milestone.objects.overdue(today=today).count() == 1
    assert next(a for axis in data.axes for a in axis.actions if a.code == "2.1").overdue_milestones == 1


def test_the_year_comes_from_the_url_and_a_bad_value_shows_the_default_year(client, elected_user):
    assert get_dashboard(client, elected_user, "?annee=2023").context["data"].year == 2023
    default = default_year()
    for query in ("", "?annee=1999", "?annee=2027", "?annee=abc", "?annee=", "?annee=2024.5"):
        response = get_dashboard(client, elected_user, query)
        assert response.context["data"].year == default, query
        assert f"<h1>Tableau de bord ESS {default}</h1>" in response.content.decode()
    content = get_dashboard(client, elected_user, "?annee=2022").content.decode()
    assert '<strong aria-current="page">2022</strong>' in content
    assert all(f'href="?annee={year}"' in content for year in PLAN_YEARS if year != 2022)


def test_the_default_year_is_the_current_year_within_the_plan():
    assert default_year(today=datetime.date(2025, 3, 1)) == 2025
    assert default_year(today=datetime.date(2031, 1, 1)) == 2026
    assert default_year(today=datetime.date(2020, 6, 1)) == 2022
    assert parse_year("2024", today=datetime.date(2031, 1, 1)) == 2024
    assert parse_year("2030", today=datetime.date(2025, 1, 1)) == 2025


def test_dashboard_data_is_usable_without_a_request(aids):
    """The PDF indicator report calls it from a background job."""
    data = dashboard_data(2024, today=datetime.date(2024, 12, 31))
    assert (data.year, data.today) == (2024, datetime.date(2024, 12, 31))
    assert data.budget_total.committed == Decimal("215000.50")


def _populate(count):
    communes = list(Commune.objects.order_by("name")[:12])
    filieres = [None, *Filiere.objects.values_list("code", flat=True)]
    codes = ["soutiens-directs-projets", "soutiens-reseaux", "aides-immobilier", "plie-clauses-insertion"]
    for n in range(count):
        aid(
            year=2024,
            code=codes[n % len(codes)],
            amount="100",
            paid="40",
            filiere=filieres[n % len(filieres)],
            commune=communes[n % len(communes)].name,
        )
    for n, action in enumerate(Action.objects.all()[: count // 3]):
        Milestone.objects.create(action=action, title=f"Jalon {n}", due_on=datetime.date(2022, 1, 1))
    for n in range(count // 3):
        indicator = Indicator.objects.create(
            code=f"q-{n}", name=f"Indicateur {n}", kind=IndicatorKind.RESULT, unit="€"
        )
        IndicatorTarget.objects.create(indicator=indicator, year=2024, value=Decimal("1000"))


@pytest.mark.parametrize("count", [3, 36])
def test_the_dashboard_runs_the_same_queries_whatever_the_data_size(
    count, client, elected_user, django_assert_num_queries
):
    _populate(count)
    client.force_login(elected_user)
    # session, user, roles (groups); budget: lines with paid totals, paid per section, voted per section; aids:
    # per filière, the filières, per commune; plan: axes, actions, overdue milestones; indicators.
    with django_assert_num_queries(13):
        response = client.get(URL + "?annee=2024")
    assert response.status_code == 200
    assert response.context["data"].aids_total.application_count == count


def test_each_chart_is_an_accessible_svg_followed_by_its_data_table(client, elected_user, aids):
    Indicator.objects.create(code="test-svg", name="Indicateur (test)", kind=IndicatorKind.RESULT, unit="€")
    content = get_dashboard(client, elected_user, "?annee=2024").content.decode()

    figures = re.findall(
        r'<figure class="chart">(.*?)</figure>\s*<details class="data-table">(.*?)</details>', content, re.S
    )
    assert len(figures) == 6  # budget by section and by line, aids by filière and by commune, plan, indicators
    for chart, table in figures:
        assert chart.count("<svg") == 1 and 'role="img"' in chart
        assert re.search(r'<title id="chart-\w+-title">[^<]+</title>', chart)
        assert re.search(r'<desc id="chart-\w+-desc">[^<]+</desc>', chart)
        assert "<table" in table and re.search(r"<caption>[^<]+</caption>", table)


def test_a_year_without_aid_shows_an_empty_state_instead_of_empty_charts(client, elected_user):
    content = get_dashboard(client, elected_user, "?annee=2025").content.decode()
    assert "Aucune aide n’est encore engagée sur les lignes 2025." in content
    assert (
        "Aides engagées et versées par filière" not in content
        and "Aides engagées et versées par commune" not in content
    )
    assert "Voté, engagé et versé par ligne budgétaire" in content  # the budget's charts are still drawn


def test_elected_officials_cannot_modify_anything_from_the_dashboard(client, elected_user, aids):
    client.force_login(elected_user)
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(URL + "?annee=2024").status_code == 405
    content = client.get(URL + "?annee=2024").content.decode()
    forms = re.findall(r'<form[^>]*action="([^"]*)"', content)
    assert forms == [reverse("accounts:logout")]  # the header's logout button is the page's only form
    assert "/suivi/" not in content and "/jalons/" not in content and "/admin/" not in content
    assert reverse("funding:budget_execution", args=[2024]) in content  # elected officials read the budget page


@pytest.mark.parametrize("role_user", ["staff_user", "admin_user", "elected_user", "partner_user"])
def test_the_roles_that_read_the_plan_open_the_dashboard(role_user, request, client):
    get_dashboard(client, request.getfixturevalue(role_user))


def test_partners_do_not_get_a_link_to_the_budget_pages_they_cannot_open(client, partner_user):
    content = get_dashboard(client, partner_user, "?annee=2024").content.decode()
    assert reverse("funding:budget_execution", args=[2024]) not in content


@pytest.mark.parametrize("role_user", ["applicant_user", "procurement_user"])
def test_applicants_and_buyers_are_refused(role_user, request, client):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_elected_home_page_links_to_the_dashboard(client, elected_user):
    client.force_login(elected_user)
    assert f'href="{URL}"' in client.get(reverse("elected_home")).content.decode()
