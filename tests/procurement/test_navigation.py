import pytest
from django.urls import reverse

from ess_portal.navigation import navigation_for

pytestmark = pytest.mark.django_db


def labels(user) -> list[str]:
    return [item["label"] for item in navigation_for(user, "/")]


def test_buyers_and_staff_have_the_asr_directory_in_their_navigation(procurement_user, staff_user):
    assert "Annuaire ASR" in labels(procurement_user)
    assert "Annuaire ASR" in labels(staff_user)


def test_applicants_and_partners_have_no_asr_directory_entry(applicant_user, partner_user):
    assert "Annuaire ASR" not in labels(applicant_user)
    assert "Annuaire ASR" not in labels(partner_user)


def test_the_procurement_home_page_searches_the_asr_directory(client, procurement_user):
    client.force_login(procurement_user)

    page = client.get(reverse("procurement_home")).content.decode()

    assert f'action="{reverse("procurement:directory")}"' in page
    assert 'name="q"' in page
    assert reverse("procurement:verify_siret") in page


def test_the_procurement_home_counts_suppliers_by_reserved_article_and_shows_my_open_requests(
    client, procurement_user
):
    from datetime import timedelta

    from django.utils import timezone

    from actors.enums import AgrementKind, LegalForm
    from actors.models import Agrement
    from tests.actors.factories import ActorFactory
    from tests.procurement.factories import AsrListingFactory, SourcingRequestFactory

    siae = AsrListingFactory(published=True, actor=ActorFactory(legal_form=LegalForm.ASSOCIATION))
    Agrement.objects.create(actor=siae.actor, kind=AgrementKind.SIAE, siae_type="ei")
    AsrListingFactory(published=True, actor=ActorFactory(legal_form=LegalForm.SCOP))
    AsrListingFactory(actor=ActorFactory())  # a draft: not counted
    today = timezone.localdate()
    mine = SourcingRequestFactory(buyer=procurement_user, sent_at=timezone.now(), answer_by=today + timedelta(days=9))
    SourcingRequestFactory(sent_at=timezone.now(), answer_by=today + timedelta(days=9))  # another buyer's
    client.force_login(procurement_user)

    response = client.get(reverse("procurement_home"))

    assert response.context["listing_total"] == 2
    assert {value: count for value, _, count in response.context["articles"]} == {
        "L2113-12": 0,
        "L2113-13": 1,
        "L2113-15": 2,
    }
    assert list(response.context["open_requests"]) == [mine]
    assert f"{reverse('procurement:directory')}?article=L2113-13" in response.content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_the_procurement_home_runs_the_same_queries_whatever_the_data(
    client, procurement_user, django_assert_num_queries, size
):
    from django.utils import timezone

    from tests.procurement.factories import AsrListingFactory, ContractFactory, SourcingRequestFactory

    for _ in range(size):
        AsrListingFactory(published=True)
        ContractFactory()
        SourcingRequestFactory(buyer=procurement_user, sent_at=timezone.now())
    client.force_login(procurement_user)
    client.get(reverse("procurement_home"))  # warm the session

    # session, user, groups, legal forms, filières, eligibility counts, contracts, open requests
    with django_assert_num_queries(8):
        client.get(reverse("procurement_home"))
