"""Staff pages of the spending that is not a grant: commit from the budget page, the year's list, a commitment's
page and its payments. Staff write, elected officials read, everyone else is refused."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from funding import services
from funding.enums import ApplicationStatus, CommitmentKind
from funding.models import BudgetLine, Commitment, Payment
from tests.actors.factories import ActorFactory
from tests.funding.factories import (
    ApplicationFactory,
    BudgetLineFactory,
    SpendingCommitmentFactory,
    SupportSchemeFactory,
)

pytestmark = pytest.mark.django_db


def _form(**overrides):
    return {
        "form_key": str(uuid.uuid4()),
        "kind": CommitmentKind.MEMBERSHIP,
        "amount": "2500",
        "label": "Cotisation 2024 à la CRESS",
        "beneficiary": "",
        "beneficiary_name": "CRESS Nouvelle-Aquitaine",
        "deliberation_number": "2024-B-12",
        "deliberation_on": "2024-02-15",
        "legal_commitment_number": "",
    } | overrides


def _create_url(line):
    return reverse("funding:spending_create", args=[line.year, line.pk])


def _payment_form(**overrides):
    return {
        "form_key": str(uuid.uuid4()),
        "kind": "single",
        "amount": "1000",
        "paid_on": "2024-04-02",
        "payment_order_number": "M-2024-77",
    } | overrides


def test_staff_commit_a_membership_fee_from_the_budget_page(client, staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("10000"))
    client.force_login(staff_user)
    budget_page = client.get(reverse("funding:budget_execution", args=[2024])).content.decode()
    assert _create_url(line) in budget_page
    assert "Engager la dépense" in client.get(_create_url(line)).content.decode()

    response = client.post(_create_url(line), _form(), follow=True)

    commitment = Commitment.objects.get()
    assert response.redirect_chain[-1][0] == reverse("funding:spending_detail", args=[commitment.pk])
    assert (commitment.kind, commitment.amount, commitment.committed_by) == (
        CommitmentKind.MEMBERSHIP,
        Decimal("2500.00"),
        staff_user,
    )
    assert commitment.deliberation_number == "2024-B-12" and commitment.beneficiary_name == "CRESS Nouvelle-Aquitaine"
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == Decimal("2500.00")
    content = response.content.decode()
    assert "Dépense engagée : 2\xa0500,00\xa0€" in content
    assert "Cotisation 2024 à la CRESS" in content


def test_a_double_submit_commits_once(client, staff_user):
    line = BudgetLineFactory()
    client.force_login(staff_user)
    data = _form(beneficiary=str(ActorFactory().pk), beneficiary_name="")

    client.post(_create_url(line), data)
    client.post(_create_url(line), data)

    assert Commitment.objects.count() == 1
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == Decimal("2500.00")


def test_an_amount_above_the_remaining_is_shown_next_to_the_amount_and_nothing_is_saved(client, staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("2000"), label="Études et prestations")
    client.force_login(staff_user)

    response = client.post(_create_url(line), _form(kind=CommitmentKind.SERVICE_PURCHASE))

    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "Le montant de 2\xa0500,00\xa0€ dépasse le disponible de la ligne « Études et prestations » "
        "(2\xa0000,00\xa0€)."
    ]
    assert not Commitment.objects.exists()
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == Decimal("0.00")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"kind": CommitmentKind.GRANT}, "kind"),
        ({"beneficiary_name": ""}, "beneficiary"),
        ({"beneficiary": "999999"}, "beneficiary"),
        ({"label": ""}, "label"),
    ],
)
def test_a_grant_or_a_spending_without_beneficiary_or_object_is_refused_next_to_its_field(
    overrides, field, client, staff_user
):
    line = BudgetLineFactory()
    client.force_login(staff_user)

    response = client.post(_create_url(line), _form(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Commitment.objects.exists()


def test_staff_record_a_payment_within_the_commitment(client, staff_user):
    commitment = SpendingCommitmentFactory(amount=Decimal("1500"))
    client.force_login(staff_user)
    url = reverse("funding:spending_record_payment", args=[commitment.pk])
    data = _payment_form()

    response = client.post(url, data, follow=True)
    client.post(url, data)  # double click: the same form key records it once

    payment = Payment.objects.get()
    assert (payment.amount, payment.payment_order_number, payment.recorded_by) == (
        Decimal("1000.00"),
        "M-2024-77",
        staff_user,
    )
    assert "Versement de 1\xa0000,00\xa0€ enregistré (mandat M-2024-77)." in response.content.decode()

    refused = client.post(url, _payment_form(amount="500.01"))

    assert refused.context["payment_form"].errors["amount"] == [
        "Ce versement de 500,01\xa0€ dépasserait l’engagement : reste à verser 500,00\xa0€."
    ]
    commitment.refresh_from_db()
    assert commitment.paid_amount == Decimal("1000.00") and Payment.objects.count() == 1


def test_elected_officials_read_the_spending_but_every_write_is_refused(client, elected_user):
    line = BudgetLineFactory()
    commitment = SpendingCommitmentFactory(budget_line=line)
    client.force_login(elected_user)

    assert client.get(reverse("funding:spending_list", args=[2024])).status_code == 200
    detail = client.get(reverse("funding:spending_detail", args=[commitment.pk]))
    assert detail.status_code == 200 and detail.context["payment_form"] is None
    assert _create_url(line) not in client.get(reverse("funding:budget_execution", args=[2024])).content.decode()
    assert client.get(_create_url(line)).status_code == 403
    assert client.post(_create_url(line), _form()).status_code == 403
    payment_url = reverse("funding:spending_record_payment", args=[commitment.pk])
    assert client.post(payment_url, _payment_form()).status_code == 403

    assert Commitment.objects.count() == 1 and not Payment.objects.exists()
    assert BudgetLine.objects.get(pk=line.pk).committed_amount == Decimal("0.00")


@pytest.mark.parametrize("user_fixture", ["applicant_user", "procurement_user", "partner_user"])
def test_applicants_buyers_and_partners_are_refused_every_spending_page(user_fixture, request, client):
    line = BudgetLineFactory()
    commitment = SpendingCommitmentFactory(budget_line=line)
    client.force_login(request.getfixturevalue(user_fixture))

    assert client.get(reverse("funding:spending_list", args=[2024])).status_code == 403
    assert client.get(reverse("funding:spending_detail", args=[commitment.pk])).status_code == 403
    assert client.get(_create_url(line)).status_code == 403
    assert client.post(_create_url(line), _form()).status_code == 403
    payment_url = reverse("funding:spending_record_payment", args=[commitment.pk])
    assert client.post(payment_url, _payment_form()).status_code == 403
    assert Commitment.objects.count() == 1 and not Payment.objects.exists()


def test_a_grant_commitment_is_not_a_spending_page(client, staff_user):
    application = ApplicationFactory(
        scheme=SupportSchemeFactory(budget_line=BudgetLineFactory()), status=ApplicationStatus.APPROVED
    )
    grant = services.commit_budget(application=application, amount=Decimal("100"), by=None, idempotency_key="g")
    client.force_login(staff_user)

    assert client.get(reverse("funding:spending_detail", args=[grant.pk])).status_code == 404
    assert client.post(reverse("funding:spending_record_payment", args=[grant.pk]), _payment_form()).status_code == 404
    assert not Payment.objects.exists()


def test_the_list_filters_by_kind_and_line_in_the_url(client, staff_user):
    first, second = BudgetLineFactory(), BudgetLineFactory()
    SpendingCommitmentFactory(budget_line=first, kind=CommitmentKind.SCIC_SHARES, label="Parts SCIC A")
    SpendingCommitmentFactory(budget_line=first, kind=CommitmentKind.SERVICE_PURCHASE, label="Étude B")
    SpendingCommitmentFactory(budget_line=second, kind=CommitmentKind.SCIC_SHARES, label="Parts SCIC C")
    SpendingCommitmentFactory(budget_line=BudgetLineFactory(year=2025), label="Autre exercice")
    client.force_login(staff_user)
    url = reverse("funding:spending_list", args=[2024])

    def labels(**params):
        return sorted(c.label for c in client.get(url, params).context["commitments"])

    assert labels() == ["Parts SCIC A", "Parts SCIC C", "Étude B"]
    assert labels(nature=CommitmentKind.SCIC_SHARES) == ["Parts SCIC A", "Parts SCIC C"]
    assert labels(nature=CommitmentKind.SCIC_SHARES, ligne=first.pk) == ["Parts SCIC A"]


@pytest.mark.parametrize("count", [3, 60])
def test_the_spending_list_runs_the_same_queries_for_3_or_60_commitments(
    count, client, staff_user, django_assert_num_queries
):
    lines = [BudgetLineFactory(), BudgetLineFactory()]
    for n in range(count):
        SpendingCommitmentFactory(budget_line=lines[n % 2], supplier=n % 3 == 0)
    client.force_login(staff_user)
    # session, user, roles (groups), the year has lines, count, the page with lines and actors, the lines filter
    with django_assert_num_queries(7):
        response = client.get(reverse("funding:spending_list", args=[2024]))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == count


def test_the_budget_page_totals_the_committed_amounts_by_kind(client, staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("200000"))
    for kind, amount in [
        (CommitmentKind.SCIC_SHARES, "30000"),
        (CommitmentKind.SCIC_SHARES, "20000"),
        (CommitmentKind.MEMBERSHIP, "1500.50"),
    ]:
        services.commit_spending(
            budget_line=line,
            kind=kind,
            amount=Decimal(amount),
            label="Objet",
            by=staff_user,
            idempotency_key=f"{kind}-{amount}",
            beneficiary_name="Bénéficiaire",
        )
    client.force_login(staff_user)

    response = client.get(reverse("funding:budget_execution", args=[2024]))

    assert [(row["kind"], row["committed"]) for row in response.context["by_kind"]] == [
        (CommitmentKind.SCIC_SHARES, Decimal("50000.00")),
        (CommitmentKind.MEMBERSHIP, Decimal("1500.50")),
    ]
    (page_line,) = [row for row in response.context["lines"] if row.pk == line.pk]
    assert page_line.committed_by_kind == [
        (CommitmentKind.SCIC_SHARES, "souscription de parts de SCIC", Decimal("50000.00")),
        (CommitmentKind.MEMBERSHIP, "cotisation ou convention de partenariat", Decimal("1500.50")),
    ]
    assert page_line.committed_amount == Decimal("51500.50")
    assert "Souscription de parts de SCIC : 50\xa0000,00\xa0€" in response.content.decode()


@pytest.mark.parametrize("count", [4, 80])
def test_the_budget_page_runs_the_same_queries_with_spending_of_every_kind(
    count, client, staff_user, django_assert_num_queries
):
    line = BudgetLineFactory(voted_amount=Decimal("1000000"))
    kinds = [value for value, _ in CommitmentKind.spending_choices()]
    for n in range(count):
        services.commit_spending(
            budget_line=line,
            kind=kinds[n % len(kinds)],
            amount=Decimal("10"),
            label="Objet",
            by=None,
            idempotency_key=f"k{n}",
            beneficiary_name="Bénéficiaire",
        )
    client.force_login(staff_user)
    # session, user, roles (groups), lines with paid and per-kind totals, paid per section, voted per section, years
    with django_assert_num_queries(7):
        response = client.get(reverse("funding:budget_execution", args=[2024]))
    assert sum(row["committed"] for row in response.context["by_kind"]) == Decimal("10") * count


def test_the_beneficiary_is_found_by_its_siret_with_spaces(client, staff_user):
    line = BudgetLineFactory(voted_amount=Decimal("50000"))
    actor = ActorFactory()
    spaced = " ".join([actor.siret[:3], actor.siret[3:6], actor.siret[6:9], actor.siret[9:]])
    client.force_login(staff_user)

    client.post(_create_url(line), _form(beneficiary=spaced, beneficiary_name=""))

    assert Commitment.objects.get(budget_line=line).beneficiary == actor
