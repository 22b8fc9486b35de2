"""Creating and editing contracts with their lots and clauses, and reporting hours: validation in French, nothing
half-saved, history kept."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.contracts.models import Contract, ContractLot, InsertionClause, InsertionHours
from tests.procurement.factories import ContractFactory, InsertionClauseFactory, InsertionHoursFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("procurement:contract_create")
VALID_SIRET = "73282932000074"


def contract_payload(lots, **overrides):
    data = {
        "reference": "2026-M-0100",
        "title": "Entretien des voiries",
        "buying_direction": "Direction des infrastructures",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "amount": "300000",
        "facilitator": "",
        "lots-TOTAL_FORMS": str(len(lots)),
        "lots-INITIAL_FORMS": str(sum(1 for lot in lots if lot.get("id"))),
        "lots-MIN_NUM_FORMS": "0",
        "lots-MAX_NUM_FORMS": "1000",
        **overrides,
    }
    for index, lot in enumerate(lots):
        defaults = {"number": str(index + 1), "title": f"Lot {index + 1}", "amount": "100000", "holder_name": ""}
        for key, value in {**defaults, **lot}.items():
            data[f"lots-{index}-{key}"] = value
    return data


def test_staff_create_a_contract_with_lots_and_clauses(client, procurement_user):
    client.force_login(procurement_user)
    lots = [
        {"hours_required": "1500", "public_concerned": "Allocataires du RSA", "holder_siret": "732 829 320 00074"},
        {"title": "Études", "hours_required": "", "public_concerned": ""},
    ]

    response = client.post(CREATE, contract_payload(lots))

    contract = Contract.objects.get(reference="2026-M-0100")
    assert response.status_code == 302
    assert response.url == reverse("procurement:contract_detail", args=[contract.pk])
    assert contract.created_by == procurement_user
    assert list(contract.lots.values_list("number", "holder_siret")) == [(1, VALID_SIRET), (2, "")]
    clause = InsertionClause.objects.get()
    assert (clause.lot.number, clause.hours_required, clause.public_concerned) == (1, 1500, "Allocataires du RSA")
    assert contract.history.get().history_user == procurement_user


@pytest.mark.parametrize(
    ("overrides", "lots", "message"),
    [
        ({"ends_on": "2025-12-31"}, [{}], "La fin d’exécution ne peut pas précéder son début."),
        ({}, [{"hours_required": "0", "public_concerned": "RSA"}], "Indiquez un nombre d’heures supérieur à zéro."),
        ({}, [{"hours_required": "100"}], "Précisez les publics concernés par la clause d’insertion."),
        ({}, [{"holder_siret": "73282932000075"}], "n’est pas valide (14 chiffres, clé de contrôle)"),
        ({}, [{}, {"number": "1"}], "Deux lots portent le numéro 1"),
        ({}, [], "Indiquez au moins un lot"),
        ({"amount": "150000"}, [{}, {}], "dépasse le montant du marché"),
    ],
)
def test_an_invalid_contract_is_refused_with_a_french_message_and_nothing_saved(
    client, staff_user, overrides, lots, message
):
    client.force_login(staff_user)

    response = client.post(CREATE, contract_payload(lots, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contract.objects.exists() and not ContractLot.objects.exists()


def test_a_duplicate_reference_is_refused(client, staff_user):
    ContractFactory(reference="2026-M-0100")
    client.force_login(staff_user)

    response = client.post(CREATE, contract_payload([{}]))

    assert "Un marché porte déjà cette référence." in response.content.decode()
    assert Contract.objects.count() == 1


def test_editing_updates_the_clause_and_the_history_names_who(client, staff_user):
    clause = InsertionClauseFactory(hours_required=Decimal("800"), lot__number=1, lot__amount=Decimal("1000"))
    contract = clause.lot.contract
    client.force_login(staff_user)
    lot = {"id": str(clause.lot.pk), "number": "1", "title": "Voirie", "amount": "1000"}
    payload = contract_payload(
        [{**lot, "hours_required": "900", "public_concerned": "Jeunes sans qualification"}],
        reference=contract.reference,
        starts_on="2025-01-01",
        ends_on="2025-12-31",
    )
    payload["lots-0-contract"] = str(contract.pk)

    response = client.post(reverse("procurement:contract_edit", args=[contract.pk]), payload)

    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.hours_required == Decimal("900")
    assert clause.history.first().history_user == staff_user
    page = client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    assert "Heures d’insertion exigées : 800,00 → 900,00" in page


def test_a_clause_with_hours_reported_cannot_be_removed_nor_its_lot_deleted(client, staff_user):
    report = InsertionHoursFactory()
    lot, contract = report.clause.lot, report.clause.lot.contract
    client.force_login(staff_user)
    base = {"id": str(lot.pk), "contract": str(contract.pk), "number": str(lot.number), "title": lot.title}
    url = reverse("procurement:contract_edit", args=[contract.pk])
    dates = {"reference": contract.reference, "starts_on": "2025-01-01", "ends_on": "2025-12-31"}

    emptied = client.post(url, contract_payload([{**base, "hours_required": ""}], **dates))
    deleted = client.post(
        url, contract_payload([{**base, "hours_required": "1000", "public_concerned": "RSA", "DELETE": "on"}], **dates)
    )

    assert "sa clause d’insertion ne peut pas être retirée" in emptied.content.decode()
    assert "ne peut pas être supprimé : des heures d’insertion y ont été déclarées" in deleted.content.decode()
    assert InsertionHours.objects.filter(pk=report.pk).exists()
    assert InsertionClause.objects.filter(pk=report.clause.pk).exists()


def test_the_dates_of_a_contract_cannot_leave_its_reported_hours_outside(client, staff_user):
    report = InsertionHoursFactory(period_start=date(2025, 1, 1), period_end=date(2025, 3, 31))
    contract = report.clause.lot.contract
    client.force_login(staff_user)
    lot = {"id": str(report.clause.lot.pk), "contract": str(contract.pk), "number": "1", "title": "Voirie"}
    lot.update(hours_required="1000", public_concerned="RSA", amount="1000")

    response = client.post(
        reverse("procurement:contract_edit", args=[contract.pk]),
        contract_payload([lot], reference=contract.reference, starts_on="2025-02-01", ends_on="2025-12-31"),
    )

    assert "Des heures déclarées sortent de ces dates d’exécution" in response.content.decode()
    contract.refresh_from_db()
    assert contract.starts_on == date(2025, 1, 1)


# --- Hours reports ---


def hours_payload(clause, **overrides):
    return {
        "clause": clause.pk,
        "company_name": "Bâti Solidaire SCOP",
        "company_siret": "",
        "period_start": "2025-01-01",
        "period_end": "2025-01-31",
        "hours": "120.5",
        "beneficiaries": "3",
        "comment": "",
        **overrides,
    }


@pytest.fixture
def clause(db):
    # The factory's contract runs over 2025.
    return InsertionClauseFactory()


def report(client, clause, **overrides):
    url = reverse("procurement:hours_create", args=[clause.lot.contract_id])
    return client.post(url, hours_payload(clause, **overrides))


def test_hours_are_reported_with_a_checked_siret(client, staff_user, clause):
    client.force_login(staff_user)

    response = report(client, clause, company_siret="732 829 320 00074")

    assert response.status_code == 302
    saved = InsertionHours.objects.get()
    assert (saved.company_siret, saved.hours, saved.reported_by) == (VALID_SIRET, Decimal("120.5"), staff_user)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"company_siret": "73282932000075"}, "n’est pas valide (14 chiffres, clé de contrôle)"),
        ({"period_start": "2024-12-01"}, "La période doit être comprise dans l’exécution du marché, du 01/01/2025"),
        ({"period_end": "2026-01-31"}, "La période doit être comprise dans l’exécution du marché"),
        ({"period_start": "2025-02-01", "period_end": "2025-01-31"}, "La fin de la période ne peut pas précéder"),
        ({"hours": "0"}, "Indiquez un nombre d’heures supérieur à zéro."),
        ({"hours": "-3"}, "Indiquez un nombre d’heures supérieur à zéro."),
        ({"company_name": ""}, "Ce champ est obligatoire."),
    ],
)
def test_invalid_hours_are_refused_with_a_french_message(client, staff_user, clause, overrides, message):
    client.force_login(staff_user)

    response = report(client, clause, **overrides)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not InsertionHours.objects.exists()


def test_the_same_company_and_period_cannot_be_reported_twice(client, staff_user, clause):
    InsertionHoursFactory(
        clause=clause, company_name="Bâti Solidaire SCOP", period_start=date(2025, 1, 1), period_end=date(2025, 1, 31)
    )
    client.force_login(staff_user)

    same = report(client, clause, company_name="bâti  solidaire scop")
    overlapping = report(client, clause, period_start="2025-01-15", period_end="2025-02-15")
    next_month = report(client, clause, period_start="2025-02-01", period_end="2025-02-28")
    other_company = report(client, clause, company_name="Sous-traitant Insertion")

    assert "sont déjà déclarées sur le lot" in same.content.decode()
    assert "chevauche celle-ci (du 01/01/2025 au 31/01/2025" in overlapping.content.decode()
    assert next_month.status_code == other_company.status_code == 302
    assert InsertionHours.objects.count() == 3


def test_hours_may_exceed_the_required_hours(client, staff_user):
    clause = InsertionClauseFactory(hours_required=Decimal("100"))
    client.force_login(staff_user)

    response = report(client, clause, hours="250")

    assert response.status_code == 302
    assert InsertionHours.objects.get().hours == Decimal("250")


def test_a_report_is_corrected_and_the_history_keeps_the_old_value(client, staff_user, clause):
    existing = InsertionHoursFactory(clause=clause, company_name="Bâti Solidaire SCOP", hours=Decimal("100"))
    client.force_login(staff_user)
    url = reverse("procurement:hours_edit", args=[clause.lot.contract_id, existing.pk])

    response = client.post(url, hours_payload(clause, period_end="2025-03-31", hours="110"))

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.hours == Decimal("110")
    assert [record.hours for record in existing.history.order_by("history_date")] == [100, 110]


def test_a_report_is_deleted_with_a_reason_kept_in_its_history(client, staff_user, clause):
    kept = InsertionHoursFactory(clause=clause, company_name="Bâti Solidaire SCOP", hours=Decimal("100"))
    doubled = InsertionHoursFactory(
        clause=clause, company_name="Bâti Solidaire SCOP", hours=Decimal("40"), period_start=date(2025, 2, 1)
    )
    contract = clause.lot.contract
    client.force_login(staff_user)
    url = reverse("procurement:hours_delete", args=[contract.pk, doubled.pk])

    page = client.get(url)
    assert "40,00 h" in page.content.decode()
    response = client.post(url, {"reason": "Déclaration en double"}, follow=True)

    assert list(InsertionHours.objects.all()) == [kept]
    page = response.content.decode()
    assert "est supprimée" in page
    assert "– Suppression</strong>" in page and "motif : Déclaration en double" in page
    deletion = InsertionHours.history.filter(id=doubled.pk).latest("history_date")
    assert (deletion.history_type, deletion.history_user, deletion.history_change_reason) == (
        "-",
        staff_user,
        "Déclaration en double",
    )
    assert deletion.hours == Decimal("40")
    lot = Contract.objects.with_insertion_totals(date(2026, 1, 1)).get(pk=contract.pk)
    assert lot.hours_realised == Decimal("100")


def test_a_report_is_not_deleted_without_a_reason(client, staff_user, clause):
    report = InsertionHoursFactory(clause=clause)
    client.force_login(staff_user)

    response = client.post(
        reverse("procurement:hours_delete", args=[clause.lot.contract_id, report.pk]), {"reason": " "}
    )

    assert response.status_code == 200
    assert "Indiquez le motif de la suppression." in response.content.decode()
    assert InsertionHours.objects.filter(pk=report.pk).exists()
