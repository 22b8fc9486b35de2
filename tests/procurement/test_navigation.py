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
