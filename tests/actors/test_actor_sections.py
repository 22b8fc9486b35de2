"""Other apps add sections to an actor's page through actors/sections.py, so actors imports none of them."""

import pytest
from django.urls import reverse

from actors import sections
from actors.sections import ActorSection, actor_sections, register_actor_section
from tests.actors.factories import ActorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_section():
    added = []

    def add(section):
        register_actor_section(section)
        added.append(section)

    yield add
    for section in added:
        sections._sections.remove(section)


def test_funding_registers_the_aids_section():
    assert "aids" in [section.name for section in sections._sections]


def test_a_section_whose_context_is_none_is_left_out(staff_user, extra_section):
    extra_section(ActorSection("hidden", "actors/_actor_agrements.html", lambda actor, user: None, position=1))

    names = [item["name"] for item in actor_sections(ActorFactory(), staff_user)]

    assert "hidden" not in names
    assert "aids" in names


def test_sections_come_in_the_order_of_their_position(staff_user, extra_section):
    extra_section(ActorSection("first", "actors/_actor_agrements.html", lambda actor, user: {}, position=1))
    extra_section(ActorSection("last", "actors/_actor_agrements.html", lambda actor, user: {}, position=99))

    names = [item["name"] for item in actor_sections(ActorFactory(), staff_user)]

    assert names.index("first") < names.index("aids") < names.index("last")


def test_the_actor_page_renders_each_section_with_its_own_template(client, staff_user):
    actor = ActorFactory()
    client.force_login(staff_user)

    response = client.get(reverse("actors:actor_detail", args=[actor.pk]))

    assert "Aucune demande de subvention déposée par cette structure." in response.content.decode()
    assert response.context["aids"]["applications"] == []
