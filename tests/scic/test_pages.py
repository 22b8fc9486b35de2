"""The register's pages: staff write, elected officials and partners read, applicants and buyers are refused;
list pages run the same number of queries whatever the number of rows; a double submit writes once."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from actors.enums import LegalForm
from funding.models import Commitment
from scic.enums import Body, MovementKind
from scic.models import CapitalRecord, LiaisonMeeting, PublicHolding, Representative, Scic, ShareMovement
from tests.actors.factories import ActorFactory
from tests.scic.factories import (
    CapitalRecordFactory,
    PublicHoldingFactory,
    RepresentativeFactory,
    ScicFactory,
    ShareMovementFactory,
    scic_fund_line,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _key():
    return str(uuid.uuid4())


def _write_requests(scic, actor):
    """(url, data) of every write of the register, with valid data."""
    return [
        (reverse("scic:create"), {"form_key": _key(), "actor": actor.pk}),
        (reverse("scic:capital_create", args=[scic.pk]), {"recorded_on": "2024-01-01", "amount": "90000"}),
        (
            reverse("scic:holding_create", args=[scic.pk]),
            {
                "form_key": _key(),
                "holder_name": "Département de la Gironde",
                "holder_kind": "departement",
                "amount": "5000",
                "held_from": "2024-01-01",
            },
        ),
        (
            reverse("scic:subscribe", args=[scic.pk]),
            {
                "form_key": _key(),
                "shares": "10",
                "nominal": "100",
                "subscribed_on": "2024-05-01",
                "fund_year": "2024",
                "deliberation_number": "2024/12",
                "deliberation_on": "2024-04-26",
            },
        ),
        (
            reverse("scic:movement_create", args=[scic.pk]),
            {"form_key": _key(), "kind": "paying_up", "shares": "1", "nominal": "100", "moved_on": "2024-06-01"},
        ),
        (
            reverse("scic:representative_create", args=[scic.pk]),
            {"form_key": _key(), "person_name": "Mme Test", "body": "board", "mandate_start_on": "2024-01-01"},
        ),
        (
            reverse("scic:liaison_meeting_create", args=[scic.pk]),
            {"form_key": _key(), "held_on": "2024-11-18", "decisions": "Suivi semestriel."},
        ),
    ]


def _counts():
    return [
        model.objects.count()
        for model in (Scic, CapitalRecord, PublicHolding, ShareMovement, Representative, LiaisonMeeting, Commitment)
    ]


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER, Role.APPLICANT, Role.PROCUREMENT])
def test_only_staff_may_write_in_the_register_and_a_refusal_writes_nothing(client, user_with_role, role):
    scic_fund_line(2024)
    scic = ScicFactory(capital=Decimal("100000"))
    ShareMovementFactory(scic=scic, shares=10, nominal=Decimal("100"))
    actor = ActorFactory(legal_form=LegalForm.SCIC)
    before = _counts()
    client.force_login(user_with_role(role))

    for url, data in _write_requests(scic, actor):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url

    assert _counts() == before


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROCUREMENT])
def test_applicants_and_buyers_cannot_read_the_register(client, user_with_role, role):
    scic_fund_line(2024)
    scic = ScicFactory()
    client.force_login(user_with_role(role))

    for url in [
        reverse("scic:register"),
        reverse("scic:register_export"),
        reverse("scic:detail", args=[scic.pk]),
        reverse("scic:fund", args=[2024]),
    ]:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER])
def test_elected_officials_and_partners_read_the_register_without_write_links(client, user_with_role, role):
    scic_fund_line(2024)
    scic = ScicFactory(actor__name="Coop Vélo Bordeaux", capital=Decimal("100000"))
    client.force_login(user_with_role(role))

    register = client.get(reverse("scic:register"))
    detail = client.get(reverse("scic:detail", args=[scic.pk]))

    assert register.status_code == detail.status_code == 200
    assert "Coop Vélo Bordeaux" in register.content.decode()
    assert reverse("scic:create") not in register.content.decode()
    assert reverse("scic:subscribe", args=[scic.pk]) not in detail.content.decode()
    assert client.get(reverse("scic:fund", args=[2024])).status_code == 200
    assert client.get(reverse("scic:register_export")).status_code == 200


def test_the_navigation_shows_scic_to_readers_only(client, user_with_role):
    for role, shown in [(Role.STAFF, True), (Role.ELECTED, True), (Role.PARTNER, True), (Role.APPLICANT, False)]:
        client.force_login(user_with_role(role))
        page = client.get(reverse("accounts:profile")).content.decode()
        assert (f'href="{reverse("scic:register")}"' in page) is shown, role


def _populate(count):
    for n in range(count):
        scic = ScicFactory(capital=Decimal("100000"))
        ShareMovementFactory(scic=scic, idempotency_key=f"sub-{count}-{n}")
        PublicHoldingFactory(scic=scic)


@pytest.mark.parametrize("count", [2, 12])
def test_the_register_runs_the_same_queries_whatever_the_number_of_scic(
    client, staff_user, django_assert_num_queries, count
):
    _populate(count)
    client.force_login(staff_user)

    # session, user, groups (role checks), count, page of SCIC with their figures, filter choices (communes,
    # filières), mandates ending soon
    with django_assert_num_queries(REGISTER_QUERIES):
        response = client.get(reverse("scic:register"))

    assert response.status_code == 200
    assert len(response.context["scics"]) == count


@pytest.mark.parametrize("count", [2, 12])
def test_a_scic_page_runs_the_same_queries_whatever_its_history(client, staff_user, django_assert_num_queries, count):
    scic = ScicFactory(capital=Decimal("100000"))
    for n in range(count):
        ShareMovementFactory(scic=scic, moved_on=D(2023, 1, 1) + datetime.timedelta(days=n), shares=1)
        CapitalRecordFactory(scic=scic, recorded_on=D(2022, 1, 1) + datetime.timedelta(days=n))
        PublicHoldingFactory(scic=scic, amount=Decimal("1"))
        RepresentativeFactory(scic=scic)
    client.force_login(staff_user)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("scic:detail", args=[scic.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_the_fund_page_runs_the_same_queries_whatever_the_number_of_stakes(
    client, staff_user, django_assert_num_queries, count
):
    line = scic_fund_line(2024, voted_amount=Decimal("1000000"))
    for n in range(count):
        scic = ScicFactory(capital=Decimal("1000000"))
        from scic import services

        services.subscribe_shares(
            scic=scic,
            shares=10,
            nominal=Decimal("100"),
            subscribed_on=D(2024, 5, 1),
            fund_year=2024,
            deliberation_number="2024/1",
            deliberation_on=None,
            by=staff_user,
            idempotency_key=f"fund-{n}",
        )
    client.force_login(staff_user)

    with django_assert_num_queries(FUND_QUERIES):
        response = client.get(reverse("scic:fund", args=[2024]))

    assert response.status_code == 200
    assert response.context["stakes_amount"] == Decimal("1000.00") * count
    assert line.pk == response.context["line"].pk


def test_the_register_filters_by_commune_and_filiere_in_the_url(client, staff_user):
    from tests.actors.factories import CommuneFactory

    pessac = CommuneFactory(insee_code="33318", name="Pessac", slug="pessac")
    kept = ScicFactory(actor__name="SCIC de Pessac", actor__commune=pessac)
    ScicFactory(actor__name="SCIC d’ailleurs")
    client.force_login(staff_user)

    response = client.get(reverse("scic:register"), {"commune": "33318"})

    assert list(response.context["scics"]) == [kept]


def test_the_csv_export_has_one_row_per_scic_with_its_figures(client, staff_user):
    scic = ScicFactory(actor__name="Coop Vélo Bordeaux", capital=Decimal("100000"))
    ShareMovementFactory(scic=scic, shares=100, nominal=Decimal("50"), moved_on=D(2024, 3, 1))
    PublicHoldingFactory(scic=scic, amount=Decimal("10000"), held_from=D(2023, 1, 1))
    client.force_login(staff_user)

    response = client.get(reverse("scic:register_export"))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()

    assert len(lines) == 2
    assert lines[1].startswith(f"Coop Vélo Bordeaux;{scic.actor.siret};")
    assert ";105000,00;100;5000,00;4,8;10000,00;14,3;" in lines[1]


def test_staff_declare_a_scic_and_subscribe_shares_once_despite_a_double_submit(client, staff_user):
    line = scic_fund_line(2024)
    actor = ActorFactory(name="Coop Vélo Bordeaux", legal_form=LegalForm.SCIC)
    client.force_login(staff_user)

    declare = {"form_key": _key(), "actor": actor.pk, "framework_deliberation_number": "2023/001"}
    response = client.post(reverse("scic:create"), declare)
    scic = Scic.objects.get(actor=actor)
    assert response["Location"] == reverse("scic:detail", args=[scic.pk])
    assert client.post(reverse("scic:create"), declare).status_code == 302
    assert Scic.objects.count() == 1

    client.post(reverse("scic:capital_create", args=[scic.pk]), {"recorded_on": "2024-01-01", "amount": "100000"})
    page = client.get(reverse("scic:subscribe", args=[scic.pk])).content.decode()
    assert "120\xa0000,00\xa0€" in page  # the fund line's remaining amount
    subscription = _write_requests(scic, actor)[3][1]
    first = client.post(reverse("scic:subscribe", args=[scic.pk]), subscription)
    second = client.post(reverse("scic:subscribe", args=[scic.pk]), subscription)

    assert first.status_code == second.status_code == 302
    assert ShareMovement.objects.get().amount == Decimal("1000.00")
    line.refresh_from_db()
    assert line.committed_amount == Decimal("1000.00")
    detail = client.get(reverse("scic:detail", args=[scic.pk])).content.decode()
    assert "Part publique du capital : <strong>1,0&nbsp;%</strong>" in detail  # 1,000 € of 101,000 €


def test_a_refused_subscription_shows_the_figures_next_to_the_form(client, staff_user):
    scic_fund_line(2024)
    scic = ScicFactory(capital=Decimal("100000"))
    PublicHoldingFactory(scic=scic, amount=Decimal("50000"), held_from=D(2023, 1, 1))
    client.force_login(staff_user)
    data = _write_requests(scic, scic.actor)[3][1]

    response = client.post(reverse("scic:subscribe", args=[scic.pk]), data)

    assert response.status_code == 200
    assert "La part publique atteindrait 50,5\xa0% du capital (plafond 50\xa0%)" in response.content.decode()
    assert ShareMovement.objects.count() == 0


def test_staff_record_a_holding_a_movement_and_a_representative(client, staff_user):
    scic = ScicFactory(capital=Decimal("100000"))
    ShareMovementFactory(scic=scic, shares=10, nominal=Decimal("100"))
    client.force_login(staff_user)

    for url, data in _write_requests(scic, scic.actor)[1:]:
        if "souscription" in url:
            continue
        assert client.post(url, data).status_code == 302, url

    assert PublicHolding.objects.get().holder_name == "Département de la Gironde"
    assert ShareMovement.objects.filter(kind=MovementKind.PAYING_UP).count() == 1
    assert Representative.objects.get().body == Body.BOARD
    assert CapitalRecord.objects.get(recorded_on=D(2024, 1, 1)).amount == Decimal("90000.00")
    assert LiaisonMeeting.objects.get().decisions == "Suivi semestriel."


def test_the_actor_page_shows_its_scic_stakes(client, staff_user):
    scic = ScicFactory(capital=Decimal("100000"))
    ShareMovementFactory(scic=scic, shares=100, nominal=Decimal("50"))
    client.force_login(staff_user)

    page = client.get(reverse("actors:actor_detail", args=[scic.actor.pk])).content.decode()

    assert "Participation de la Métropole (SCIC)" in page
    assert reverse("scic:detail", args=[scic.pk]) in page


REGISTER_QUERIES = 8
DETAIL_QUERIES = 9
FUND_QUERIES = 8  # session, user, groups, the line, the years, the count, the total, the page of stakes


def test_the_register_lists_the_mandates_ending_within_ninety_days(client, staff_user):
    from django.utils import timezone

    today = timezone.localdate()
    RepresentativeFactory(person_name="Mme Bientôt", mandate_end_on=today + datetime.timedelta(days=30))
    RepresentativeFactory(person_name="M. Plus Tard", mandate_end_on=today + datetime.timedelta(days=200))
    client.force_login(staff_user)

    page = client.get(reverse("scic:register")).content.decode()

    assert "Mme Bientôt" in page
    assert "M. Plus Tard" not in page
