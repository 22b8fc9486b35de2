"""The navigation is assembled from the entries each app registers in its AppConfig.ready()."""

import pytest

from accounts.enums import Role
from ess_portal.navigation import NavEntry, navigation_for, register_navigation, registered_entries

pytestmark = pytest.mark.django_db


def test_every_app_with_pages_registers_its_entries():
    url_names = {entry.url_name for entry in registered_entries()}

    for url_name in [
        "home",
        "accounts:signup",
        "actors:directory",
        "filieres:filiere_list",
        "funding:queue",
        "procurement:directory",
        "programme:plan",
        "jobs:job_list",
    ]:
        assert url_name in url_names


def test_registering_an_entry_again_adds_nothing():
    before = registered_entries()

    register_navigation(*before)

    assert registered_entries() == before


def test_entries_come_in_the_order_of_their_position_whichever_app_registered_first(user_with_role):
    labels = [item["label"] for item in navigation_for(user_with_role(Role.STAFF), "/")]

    assert labels[0] == "Mon espace"
    assert labels.index("Acteurs") < labels.index("Instruction") < labels.index("Annuaire ASR")
    assert labels[-2:] == ["Mes tâches", "Mon compte"]


def test_visitors_see_only_the_entries_registered_for_them(client):
    labels = [item["label"] for item in navigation_for(client.get("/").wsgi_request.user, "/")]

    assert labels == [
        "Accueil",
        "Annuaire des acteurs",
        "Filières",
        "Dispositifs de soutien",
        "Plan d’actions",
        "Agenda de l’ESS",
        "Créer un compte",
    ]


def test_an_entry_is_shown_only_to_the_users_it_is_visible_to(user_with_role):
    entry = NavEntry("Réservé aux élus", "home", position=1000, is_visible=lambda user: user.has_role(Role.ELECTED))
    register_navigation(entry)
    try:
        assert "Réservé aux élus" in [item["label"] for item in navigation_for(user_with_role(Role.ELECTED), "/")]
        assert "Réservé aux élus" not in [item["label"] for item in navigation_for(user_with_role(Role.STAFF), "/")]
    finally:
        from ess_portal import navigation

        navigation._entries.remove(entry)
