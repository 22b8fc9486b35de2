"""The export log of the buyer directory, read in the portal: auditors (staff, admins) see every buyer's exports,
with their filters in plain words and a flag on those holding personal contacts; a buyer sees only their own."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.enums import Role
from procurement.asr.exports import COLUMNS
from procurement.asr.models import ExportLog
from procurement.enums import ExportFormat
from tests.accounts.factories import UserFactory
from tests.actors.factories import CommuneFactory
from tests.procurement.factories import AsrListingFactory, ExportLogFactory

pytestmark = pytest.mark.django_db

LOG = reverse("procurement:export_log")


def test_an_export_from_the_directory_is_read_back_in_plain_words(client, procurement_user, staff_user):
    CommuneFactory(insee_code="33063", name="Bordeaux")
    AsrListingFactory(published=True)
    client.force_login(procurement_user)
    client.get(
        reverse("procurement:directory_export"),
        {"commune": "33063", "article": "L2113-13", "cpv": "90", "format": "csv", "colonnes": ["nom", "contact"]},
    )
    assert ExportLog.objects.count() == 1

    client.force_login(staff_user)
    response = client.get(LOG)

    assertContains(response, "Commune desservie : Bordeaux")
    assertContains(response, "Marché réservé : Art. L2113-13 – structures d’insertion par l’activité économique")
    assertContains(response, "Code CPV : 90")
    assertContains(response, "Avec contacts")
    assertContains(response, "Raison sociale, Contact")
    assertContains(response, procurement_user.email)


def test_an_export_of_every_column_without_filters_says_so(client, staff_user):
    ExportLogFactory(columns=[column.key for column in COLUMNS], filters={})
    client.force_login(staff_user)

    response = client.get(LOG)

    assertContains(response, "Toutes les colonnes")
    assertContains(response, "Aucun (tout l’annuaire)")


def test_a_buyer_sees_only_their_own_exports_and_cannot_search_by_buyer(client, procurement_user):
    ExportLogFactory(user=procurement_user, row_count=7)
    ExportLogFactory(row_count=99)
    client.force_login(procurement_user)

    response = client.get(LOG)

    assert [log.row_count for log in response.context["logs"]] == [7]
    assert "par" not in response.context["form"].fields
    # Asking for someone else's exports changes nothing.
    assert [log.row_count for log in client.get(LOG, {"par": "zzz"}).context["logs"]] == [7]


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_auditors_see_every_buyer_and_filter_by_buyer_format_and_period(client, role):
    alice = UserFactory(role=Role.PROCUREMENT, email="alice.martin@bordeaux-metropole.fr")
    bob = UserFactory(role=Role.PROCUREMENT, email="bob@bordeaux-metropole.fr", first_name="Bob", last_name="Durand")
    old = ExportLogFactory(user=alice, file_format=ExportFormat.XLSX)
    ExportLog.objects.filter(pk=old.pk).update(created_at=timezone.make_aware(datetime(2025, 3, 10, 10)))
    recent = ExportLogFactory(user=alice, file_format=ExportFormat.CSV)
    ExportLogFactory(user=bob, file_format=ExportFormat.CSV)
    client.force_login(UserFactory(role=role, first_name="Claire", last_name="Petit"))

    assert len(client.get(LOG).context["logs"]) == 3
    assert {log.pk for log in client.get(LOG, {"par": "alice"}).context["logs"]} == {old.pk, recent.pk}
    assert {log.pk for log in client.get(LOG, {"par": "alice", "format": "xlsx"}).context["logs"]} == {old.pk}
    in_2025 = client.get(LOG, {"du": "2025-01-01", "au": "2025-12-31"}).context["logs"]
    assert [log.pk for log in in_2025] == [old.pk]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ELECTED, Role.PARTNER])
def test_other_roles_are_refused(client, role):
    ExportLogFactory()
    client.force_login(UserFactory(role=role))

    assert client.get(LOG).status_code == 403


def test_an_empty_log_says_so(client, procurement_user):
    client.force_login(procurement_user)

    assertContains(client.get(LOG), "Aucun export enregistré pour l’instant.")
    assertNotContains(client.get(LOG), "<table")


@pytest.mark.parametrize("count", [5, 60])
def test_the_log_page_runs_the_same_number_of_queries_whatever_the_number_of_exports(
    client, staff_user, django_assert_num_queries, count
):
    CommuneFactory(insee_code="33063", name="Bordeaux")
    for index in range(count):
        ExportLogFactory(
            filters={"commune": "33063", "filiere": "economie-circulaire", "q": f"mot {index}"},
            created_at=timezone.now() - timedelta(minutes=index),
        )
    client.force_login(staff_user)
    client.get(LOG)  # warm the session

    # session, user, groups, count, page of logs with their users, communes, filières named on the page
    with django_assert_num_queries(7):
        response = client.get(LOG)
    assert response.status_code == 200
