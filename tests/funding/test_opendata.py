import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from funding.enums import ApplicationStatus, PaymentConditions, PaymentKind, StateAidRegime
from funding.models import Commitment, Decision, Payment
from tests.actors.factories import ActorFactory
from tests.funding.factories import ApplicationFactory, CouncilSessionFactory, SupportSchemeFactory

SCDL_COLUMNS = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]
ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def granted(
    *,
    amount="12500.50",
    signed_on=datetime.date(2025, 3, 14),
    status=ApplicationStatus.AGREEMENT_SIGNED,
    payments=(),
    **application_fields,
):
    """A granted application whose convention is signed on `signed_on` (None: not signed yet)."""
    application = ApplicationFactory(
        submitted=True,
        status=status,
        agreement_signed_on=signed_on,
        scheme=SupportSchemeFactory(),
        **application_fields,
    )
    decision = Decision.objects.create(
        application=application,
        council_session=CouncilSessionFactory(),
        deliberation_number=f"2025-{application.pk:03d}",
        decided_on=datetime.date(2025, 2, 1),
        is_approved=True,
        granted_amount=Decimal(amount),
    )
    if payments:
        commitment = Commitment.objects.create(
            application=application,
            budget_line=application.scheme.budget_line,
            amount=decision.granted_amount,
            idempotency_key=f"test-{application.pk}",
        )
        for kind, due_on, paid_on in payments:
            Payment.objects.create(
                commitment=commitment, kind=kind, amount=Decimal("100.00"), due_on=due_on, paid_on=paid_on
            )
    return application


def read_csv(client, year):
    response = client.get(reverse("opendata:subsidies_csv", args=[year]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert not content.startswith(b"\xef\xbb\xbf"), "no BOM: the header's first column must read nomAttribuant"
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_the_csv_has_the_16_scdl_columns_in_order_even_when_empty(client, db):
    assert read_csv(client, 2025) == [SCDL_COLUMNS]


def test_one_row_per_beneficiary_with_the_scdl_value_formats(client, settings, db):
    settings.AUTHORITY_SIRET = "24330031600011"
    actor = ActorFactory(name="Recyclerie, « Le Relais »", rna="W332001234")
    application = granted(
        actor=actor,
        title="Ressourcerie mobile",
        payment_conditions=PaymentConditions.INSTALMENTS,
        payments=[
            (PaymentKind.ADVANCE, datetime.date(2025, 4, 1), datetime.date(2025, 4, 3)),
            (PaymentKind.BALANCE, datetime.date(2026, 1, 15), None),
        ],
    )

    header, row = read_csv(client, 2025)

    assert header == SCDL_COLUMNS
    values = dict(zip(header, row, strict=True))
    assert values == {
        "nomAttribuant": "Bordeaux Métropole",
        "idAttribuant": "24330031600011",
        "dateConvention": "2025-03-14",
        "referenceDecision": application.decision.deliberation_number,
        "nomBeneficiaire": "Recyclerie, « Le Relais »",
        "idBeneficiaire": actor.siret,
        "rnaBeneficiaire": "W332001234",
        "objet": "Ressourcerie mobile",
        "montant": "12500.5",
        "nature": "aide en numéraire",
        "conditionsVersement": "échelonné",
        "datesPeriodeVersement": "2025-04-03_2026-01-15",
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1",
        "dispositifAide": application.scheme.title,
    }


def test_value_formats_hold_on_every_row(client, db):
    granted(amount="23000.00")
    granted(amount="1234567.89", payment_conditions=PaymentConditions.SINGLE, ends_on=datetime.date(2025, 12, 31))
    block_exempted = granted(amount="800.00")
    block_exempted.scheme.state_aid_regime = StateAidRegime.BLOCK_EXEMPTION
    block_exempted.scheme.save()

    rows = [dict(zip(SCDL_COLUMNS, row, strict=True)) for row in read_csv(client, 2025)[1:]]

    assert len(rows) == 3
    for row in rows:
        assert re.fullmatch(ISO_DATE, row["dateConvention"])
        assert re.fullmatch(rf"{ISO_DATE}_{ISO_DATE}", row["datesPeriodeVersement"])
        assert re.fullmatch(r"\d+(\.\d{1,2})?", row["montant"]), "a `.` decimal separator, no thousands separator"
        assert row["notificationUE"] in {"oui", "non"}
        assert row["conditionsVersement"] in {"unique", "échelonné"}
    assert sorted(row["montant"] for row in rows) == ["1234567.89", "23000", "800"]
    assert sorted(row["notificationUE"] for row in rows) == ["non", "non", "oui"]
    unique = next(row for row in rows if row["montant"] == "1234567.89")
    assert unique["conditionsVersement"] == "unique"
    # No payment yet: from the signature to the end of the project.
    assert unique["datesPeriodeVersement"] == "2025-03-14_2025-12-31"


def test_only_signed_grants_are_published(client, db):
    granted(title="Publiée")
    granted(title="Convention pas encore signée", signed_on=None, status=ApplicationStatus.APPROVED)
    refused = ApplicationFactory(
        submitted=True, status=ApplicationStatus.REJECTED, agreement_signed_on=datetime.date(2025, 3, 1)
    )
    Decision.objects.create(
        application=refused,
        council_session=CouncilSessionFactory(),
        deliberation_number="2025-999",
        decided_on=datetime.date(2025, 2, 1),
        is_approved=False,
        refusal_reason="Hors du champ du dispositif.",
    )
    ApplicationFactory(submitted=True, title="En instruction")

    rows = read_csv(client, 2025)[1:]

    assert [row[SCDL_COLUMNS.index("objet")] for row in rows] == ["Publiée"]


def test_the_year_is_the_year_of_the_convention(client, db):
    granted(title="2024", signed_on=datetime.date(2024, 12, 31))
    granted(title="2025", signed_on=datetime.date(2025, 1, 1))

    assert [row[7] for row in read_csv(client, 2024)[1:]] == ["2024"]
    assert [row[7] for row in read_csv(client, 2025)[1:]] == ["2025"]
    assert read_csv(client, 2023) == [SCDL_COLUMNS]


def test_the_json_file_has_the_same_fields_and_values(client, db):
    granted(title="Épicerie solidaire", amount="5000.00")

    response = client.get(reverse("opendata:subsidies_json", args=[2025]))

    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert data["annee"] == 2025
    assert data["schema"].startswith("https://schema.data.gouv.fr/scdl/subventions/")
    [row] = data["data"]
    assert list(row) == SCDL_COLUMNS
    assert row["objet"] == "Épicerie solidaire"
    assert row["montant"] == "5000"
    assert row == dict(zip(SCDL_COLUMNS, read_csv(client, 2025)[1], strict=True))


def test_the_public_page_lists_the_years_with_their_files(client, db):
    granted(amount="1000.00", signed_on=datetime.date(2024, 6, 1))
    granted(amount="2000.00")
    granted(amount="3000.00")

    response = client.get(reverse("opendata:subsidies"), {"annee": 2025})

    assert response.status_code == 200
    assert [(row["year"], row["rows"]) for row in response.context["years"]] == [(2025, 2), (2024, 1)]
    assertContains(response, reverse("opendata:subsidies_csv", args=[2025]))
    assertContains(response, reverse("opendata:subsidies_json", args=[2024]))
    assertContains(response, "2 subventions pour un total de")


@pytest.mark.parametrize("name", ["opendata:subsidies_csv", "opendata:subsidies_json"])
def test_files_are_open_to_anonymous_visitors(client, db, name):
    assert client.get(reverse(name, args=[2025])).status_code == 200
