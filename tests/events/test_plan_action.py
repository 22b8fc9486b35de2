import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_an_actions_page_lists_the_events_of_the_action_and_its_sub_actions(client, reference_data, staff_user):
    EventFactory(title="Forum commun des quatre collectivités", plan_action_code="3.1.1")
    EventFactory(title="Petit déjeuner ESS", plan_action_code="3.2")
    client.force_login(staff_user)
    response = client.get(reverse("programme:action_detail", args=["3.1"]))
    assertContains(response, "Forum commun des quatre collectivités")
    assertNotContains(response, "Petit déjeuner ESS")
