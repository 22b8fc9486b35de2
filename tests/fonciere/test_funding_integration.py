"""The foncière's in-kind aid as funding reads it (de minimis, SCDL open data) and the capitalisation committed on
the budget, funding never importing fonciere."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from fonciere import services
from fonciere.models import Capitalisation
from funding import services as funding_services
from funding.compliance import check_de_minimis
from funding.enums import ApplicationStatus, CommitmentKind, StateAidRegime
from funding.models import BudgetLine, Commitment, Decision
from funding.opendata import counts_by_year
from tests.actors.factories import ActorFactory
from tests.fonciere.factories import LeaseFactory
from tests.funding.factories import BudgetLineFactory, SupportSchemeFactory
from tests.funding.lifecycle import proposed_application
from tests.funding.test_opendata import SCDL_COLUMNS, granted, read_csv

pytestmark = pytest.mark.django_db


def test_in_kind_aid_taking_the_occupant_over_the_ceiling_blocks_a_grant_as_a_declared_aid_does(staff_user):
    actor = ActorFactory()
    line = BudgetLineFactory(voted_amount=Decimal("1000000"))
    scheme = SupportSchemeFactory(
        state_aid_regime=StateAidRegime.DE_MINIMIS, budget_line=line, ceiling_amount=Decimal("50000")
    )
    application = proposed_application(by=staff_user, actor=actor, scheme=scheme, requested=Decimal("20000"))
    decided_on = application.council_session.sits_on
    # A year of premises at 300 €/m² below the market on 1,000 m², signed, in the 3 rolling years: 290,000 € or so.
    year = decided_on.year - 1
    lease = LeaseFactory(
        occupant=actor,
        property__surface=Decimal("1000"),
        surface=Decimal("1000"),
        rent=Decimal("10"),
        market_rent=Decimal("300"),
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        signed_on=datetime.date(year - 1, 12, 1),
    )
    assert lease.in_kind_aid_by_year() == {year: Decimal("290000.00")}

    check = check_de_minimis(application=application, amount=Decimal("20000"), on=decided_on)
    assert check.other_aids == Decimal("290000.00")
    assert check.total_before == Decimal("290000.00")
    assert check.is_blocking
    approve = {"amount": Decimal("20000"), "deliberation_number": "2030-1", "decided_on": decided_on}
    with pytest.raises(ValidationError) as error:
        funding_services.approve_application(application=application, by=staff_user, **approve)
    assert "au-delà du plafond" in error.value.messages[0]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PROPOSED
    assert not Decision.objects.filter(application=application).exists()
    # 10,000 € still fit.
    assert not check_de_minimis(application=application, amount=Decimal("10000"), on=decided_on).exceeds


def test_an_unsigned_lease_or_one_signed_after_the_decision_does_not_count_in_de_minimis(staff_user):
    actor = ActorFactory()
    scheme = SupportSchemeFactory(state_aid_regime=StateAidRegime.DE_MINIMIS, ceiling_amount=Decimal("50000"))
    application = proposed_application(by=staff_user, actor=actor, scheme=scheme, requested=Decimal("20000"))
    on = application.council_session.sits_on
    LeaseFactory(occupant=actor, unsigned=True, starts_on=on.replace(month=1, day=1), ends_on=on)
    LeaseFactory(
        occupant=actor, signed_on=on + datetime.timedelta(days=1), starts_on=on.replace(month=1, day=1), ends_on=on
    )
    assert check_de_minimis(application=application, amount=Decimal("20000"), on=on).other_aids == 0


def test_the_scdl_file_has_one_in_kind_aid_row_per_signed_lease_and_year_with_unchanged_columns(client, settings):
    settings.AUTHORITY_SIRET = "24330031600011"
    granted(signed_on=datetime.date(2025, 3, 14))
    occupant = ActorFactory(name="Atelier Solidaire", siret="73282932000074")
    LeaseFactory(
        occupant=occupant,
        property__name="Halle des Chartrons",
        surface=Decimal("50"),
        rent=Decimal("100"),
        market_rent=Decimal("160"),
        starts_on=datetime.date(2024, 7, 1),
        ends_on=datetime.date(2025, 6, 30),
        signed_on=datetime.date(2024, 6, 20),
    )
    LeaseFactory(unsigned=True, starts_on=datetime.date(2025, 1, 1))

    rows = read_csv(client, 2025)
    assert rows[0] == SCDL_COLUMNS
    assert len(rows) == 3
    grant, in_kind = (dict(zip(SCDL_COLUMNS, row, strict=True)) for row in rows[1:])
    assert grant["nature"] == "aide en numéraire"
    assert in_kind["nature"] == "aide en nature"
    assert in_kind["nomBeneficiaire"] == "Atelier Solidaire"
    assert in_kind["idBeneficiaire"] == "73282932000074"
    assert in_kind["idAttribuant"] == "24330031600011"
    assert in_kind["dateConvention"] == "2024-06-20"
    assert in_kind["montant"] == "1487.67"  # 3,000 € a year × 181 / 365
    assert in_kind["datesPeriodeVersement"] == "2025-01-01_2025-06-30"
    assert in_kind["notificationUE"] == "non"
    assert in_kind["pourcentageSubvention"] == "1"
    assert "Halle des Chartrons" in in_kind["objet"]
    # The 2024 file holds the lease's 2024 share.
    rows_2024 = read_csv(client, 2024)
    assert [row[8] for row in rows_2024[1:]] == ["1508.2"]


def test_capitalisation_is_committed_on_the_years_line_once_per_key(reference_data, staff_user):
    arguments = {
        "amount": Decimal("600000"),
        "paid_on": datetime.date(2023, 3, 1),
        "year": 2023,
        "deliberation_number": "2023-045",
        "by": staff_user,
        "idempotency_key": "first",
    }
    capitalisation = services.capitalise(**arguments)
    assert services.capitalise(**arguments) == capitalisation
    commitment = capitalisation.commitment
    assert commitment.kind == CommitmentKind.FONCIERE_CAPITAL
    assert commitment.budget_line.code == "capitalisation-fonciere-solidaire"
    assert commitment.amount == Decimal("600000.00")
    line = BudgetLine.objects.get(year=2023, code="capitalisation-fonciere-solidaire")
    assert line.committed_amount == Decimal("600000.00")


def test_capitalisation_beyond_the_lines_credits_is_refused_and_leaves_nothing(reference_data, staff_user):
    services.capitalise(
        amount=Decimal("600000"),
        paid_on=datetime.date(2023, 3, 1),
        year=2023,
        deliberation_number="1",
        by=staff_user,
        idempotency_key="a",
    )
    with pytest.raises(ValidationError) as error:
        services.capitalise(
            amount=Decimal("500000"),
            paid_on=datetime.date(2023, 9, 1),
            year=2023,
            deliberation_number="2",
            by=staff_user,
            idempotency_key="b",
        )
    assert "dépasse le disponible" in error.value.messages[0]
    assert Capitalisation.objects.count() == 1
    assert Commitment.objects.filter(kind=CommitmentKind.FONCIERE_CAPITAL).count() == 1
    with pytest.raises(ValidationError, match="Aucune ligne"):
        services.capitalise(
            amount=Decimal("1"),
            paid_on=datetime.date(2031, 1, 1),
            year=2031,
            deliberation_number="3",
            by=staff_user,
            idempotency_key="c",
        )


def test_the_open_data_page_lists_the_years_of_in_kind_aid_and_no_year_to_come(client):
    LeaseFactory(
        surface=Decimal("10"),
        rent=Decimal("0"),
        market_rent=Decimal("100"),
        starts_on=datetime.date(2021, 1, 1),
        ends_on=None,
        signed_on=datetime.date(2020, 12, 1),
    )
    years = [row["year"] for row in counts_by_year()]
    this_year = timezone.localdate().year
    assert years == list(range(this_year, 2020, -1))
    assert counts_by_year()[-1] == {"year": 2021, "rows": 1, "total": Decimal("1000.00")}
    assert len(read_csv(client, this_year + 1)) == 1  # the header only
    assertContains(client.get(reverse("opendata:subsidies")), "2021")


def test_the_staff_application_page_shows_the_in_kind_aid_in_the_de_minimis_sum(client, staff_user):
    actor = ActorFactory()
    scheme = SupportSchemeFactory(state_aid_regime=StateAidRegime.DE_MINIMIS, ceiling_amount=Decimal("50000"))
    application = proposed_application(by=staff_user, actor=actor, scheme=scheme, requested=Decimal("20000"))
    year = application.council_session.sits_on.year - 1
    LeaseFactory(
        occupant=actor,
        property__surface=Decimal("100"),
        surface=Decimal("100"),
        rent=Decimal("50"),
        market_rent=Decimal("150"),
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        signed_on=datetime.date(year - 1, 12, 1),
    )
    client.force_login(staff_user)

    page = client.get(reverse("funding:application_staff_detail", args=[application.pk])).content.decode()

    assert "Aides en nature (foncière solidaire)" in page
    assert "10\xa0000,00\xa0€" in page
