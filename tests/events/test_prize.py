import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.enums import Role
from events import services
from events.models import Laureate, PrizeCandidate, PrizeCategory
from funding.enums import CommitmentKind
from funding.models import Commitment
from tests.actors.factories import ActorFactory
from tests.events.factories import PrizeCandidateFactory, PrizeCategoryFactory
from tests.funding.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def line():
    return BudgetLineFactory(year=2025, code=services.PRIZE_LINE_CODE, voted_amount=Decimal("5000.00"))


def test_a_laureate_is_committed_and_paid_on_the_years_communication_line(line, staff_user):
    candidate = PrizeCandidateFactory()
    laureate = services.award_prize(
        category=candidate.category, actor=candidate.actor, amount=Decimal("3000"), by=staff_user
    )
    commitment = laureate.commitment
    assert (commitment.kind, commitment.budget_line, commitment.beneficiary) == (
        CommitmentKind.PRIZE,
        line,
        candidate.actor,
    )
    services.pay_prize(
        laureate=laureate, paid_on=datetime.date(2025, 12, 15), payment_order_number="M-1", by=staff_user
    )
    commitment.refresh_from_db()
    line.refresh_from_db()
    assert commitment.paid_amount == Decimal("3000.00")
    assert line.committed_amount == Decimal("3000.00")


def test_awarding_the_same_candidate_twice_commits_once(line, staff_user):
    candidate = PrizeCandidateFactory()
    first = services.award_prize(
        category=candidate.category, actor=candidate.actor, amount=Decimal("1000"), by=staff_user
    )
    again = services.award_prize(
        category=candidate.category, actor=candidate.actor, amount=Decimal("1000"), by=staff_user
    )
    assert first == again
    assert Commitment.objects.count() == 1


def test_a_laureate_must_be_a_candidate_of_that_category(line, staff_user):
    candidate = PrizeCandidateFactory()
    other_category = PrizeCategoryFactory(edition=candidate.category.edition)
    with pytest.raises(ValidationError) as error:
        services.award_prize(category=other_category, actor=candidate.actor, amount=Decimal("1000"), by=staff_user)
    assert error.value.code == "not_candidate"
    with pytest.raises(ValidationError):
        services.award_prize(category=candidate.category, actor=ActorFactory(), amount=Decimal("1000"), by=staff_user)
    assert not Laureate.objects.exists()
    assert not Commitment.objects.exists()


def test_the_editions_prizes_never_exceed_the_line(line, staff_user):
    category = PrizeCategoryFactory()
    first, second = PrizeCandidateFactory(category=category), PrizeCandidateFactory(category=category)
    services.award_prize(category=category, actor=first.actor, amount=Decimal("3000"), by=staff_user)
    with pytest.raises(ValidationError):
        services.award_prize(category=category, actor=second.actor, amount=Decimal("2500"), by=staff_user)
    assert Laureate.objects.count() == 1
    line.refresh_from_db()
    assert line.committed_amount == Decimal("3000.00")


def test_staff_award_a_laureate_from_the_edition_page(client, line, staff_user):
    candidate = PrizeCandidateFactory(actor__name="Recyclerie du Bec")
    client.force_login(staff_user)
    url = reverse("events:prize_edition_detail", args=[2025])
    response = client.post(
        reverse("events:laureate_award", args=[2025]),
        {"laureate-category": candidate.category.pk, "laureate-actor": candidate.actor.pk, "laureate-amount": "2000"},
    )
    assert response.url == url
    assertContains(client.get(url), "lauréat")


def test_a_refused_laureate_shows_the_reason_next_to_the_structure(client, line, staff_user):
    category = PrizeCategoryFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("events:laureate_award", args=[2025]),
        {"laureate-category": category.pk, "laureate-actor": ActorFactory().pk, "laureate-amount": "2000"},
    )
    assert response.status_code == 400
    assert "seul un candidat" in str(response.context["laureate_form"].errors["actor"])


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER])
def test_elected_officials_and_partners_read_the_prize_but_cannot_award_it(client, line, user_with_role, role):
    candidate = PrizeCandidateFactory()
    client.force_login(user_with_role(role))
    assert client.get(reverse("events:prize_edition_list")).status_code == 200
    assert client.get(reverse("events:prize_edition_detail", args=[2025])).status_code == 200
    response = client.post(
        reverse("events:laureate_award", args=[2025]),
        {"laureate-category": candidate.category.pk, "laureate-actor": candidate.actor.pk, "laureate-amount": "2000"},
    )
    assert response.status_code == 403
    assert not Laureate.objects.exists()


def test_staff_build_an_edition_with_categories_candidates_and_jury(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("events:prize_edition_create"), {"year": 2026, "notes": ""})
    assert response.url == reverse("events:prize_edition_detail", args=[2026])
    client.post(
        reverse("events:prize_category_add", args=[2026]),
        {"category-name": "Innovation sociale", "category-position": 1},
    )
    category = PrizeCategory.objects.get(edition__year=2026)
    actor = ActorFactory(name="Atelier du Vélo")
    client.post(
        reverse("events:prize_candidate_add", args=[2026]),
        {"candidate-category": category.pk, "candidate-actor": actor.pk},
    )
    client.post(
        reverse("events:jury_member_add", args=[2026]), {"jury-name": "Claire Dupuy", "jury-organisation": "CRESS"}
    )
    response = client.get(reverse("events:prize_edition_detail", args=[2026]))
    assertContains(response, "Innovation sociale")
    assertContains(response, "Atelier du Vélo")
    assertContains(response, "Claire Dupuy")


def test_a_candidate_of_another_editions_category_is_refused(client, staff_user):
    other_category = PrizeCategoryFactory(edition__year=2024)
    PrizeCategoryFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("events:prize_candidate_add", args=[2025]),
        {"candidate-category": other_category.pk, "candidate-actor": ActorFactory().pk},
    )
    assert response.status_code == 400
    assert not PrizeCandidate.objects.exists()


def test_staff_pay_a_laureate_from_the_edition_page(client, line, staff_user):
    candidate = PrizeCandidateFactory()
    laureate = services.award_prize(
        category=candidate.category, actor=candidate.actor, amount=Decimal("1500"), by=staff_user
    )
    client.force_login(staff_user)
    data = {
        "payment-laureate": laureate.pk,
        "payment-paid_on": "2025-12-15",
        "payment-payment_order_number": "M-2025-9",
    }
    client.post(reverse("events:laureate_pay", args=[2025]), data)
    client.post(reverse("events:laureate_pay", args=[2025]), data)  # a double submit pays once
    laureate.commitment.refresh_from_db()
    assert laureate.commitment.paid_amount == Decimal("1500.00")
    assert laureate.commitment.payments.count() == 1


def test_the_edition_page_forms_keep_distinct_ids(client, line, staff_user):
    PrizeCandidateFactory()
    client.force_login(staff_user)
    html = client.get(reverse("events:prize_edition_detail", args=[2025])).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
