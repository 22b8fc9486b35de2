from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.enums import Role
from procurement.asr.models import ConsultationEntry, ConsultationList, ExportLog
from procurement.enums import ListingStatus
from tests.actors.factories import ActorFactory
from tests.procurement.factories import AsrListingFactory
from tests.procurement.test_exports import READERS

pytestmark = pytest.mark.django_db

LISTS = reverse("procurement:consultation_lists")
ADD = reverse("procurement:consultation_add")


def detail(consultation_list) -> str:
    return reverse("procurement:consultation_detail", args=[consultation_list.pk])


def export(consultation_list) -> str:
    return reverse("procurement:consultation_export", args=[consultation_list.pk])


@pytest.fixture
def buyer(client, procurement_user):
    client.force_login(procurement_user)
    client.user = procurement_user
    return client


def make_list(owner, *, name="Marché nettoyage 2027", listings=(), shared_with=()):
    consultation_list = ConsultationList.objects.create(owner=owner, name=name)
    for listing in listings:
        consultation_list.add_listing(listing)
    consultation_list.shared_with.set(shared_with)
    return consultation_list


def test_a_buyer_adds_a_supplier_to_a_new_list_then_to_the_same_list_by_its_name(buyer):
    first = AsrListingFactory(published=True, actor=ActorFactory(name="Propre et Net"))
    second = AsrListingFactory(published=True, actor=ActorFactory(name="Jardins du Lac"))

    response = buyer.post(ADD, {"listing": first.pk, "name": "Marché  espaces verts"})
    buyer.post(ADD, {"listing": second.pk, "name": "marché espaces verts"})
    buyer.post(ADD, {"listing": second.pk, "name": "Marché espaces verts"})

    consultation_list = ConsultationList.objects.get()
    assert consultation_list.owner == buyer.user
    assert consultation_list.name == "Marché espaces verts"
    assert response.status_code == 302 and response["Location"] == detail(consultation_list)
    assert set(consultation_list.listings.values_list("actor__name", flat=True)) == {"Propre et Net", "Jardins du Lac"}


def test_an_unpublished_supplier_cannot_be_added(buyer):
    draft = AsrListingFactory(status=ListingStatus.SUBMITTED)

    response = buyer.post(ADD, {"listing": draft.pk, "name": "Ma liste"})

    assert response.status_code == 302
    assert not ConsultationList.objects.exists() and not ConsultationEntry.objects.exists()


@pytest.mark.parametrize("fixture", ["applicant_user", "partner_user", "elected_user"])
def test_other_roles_cannot_use_consultation_lists(client, request, fixture, procurement_user):
    consultation_list = make_list(procurement_user, listings=[AsrListingFactory(published=True)])
    client.force_login(request.getfixturevalue(fixture))
    listing = AsrListingFactory(published=True)

    for url in (LISTS, detail(consultation_list), export(consultation_list)):
        assert client.get(url).status_code == 403
    assert client.post(ADD, {"listing": listing.pk, "name": "Intrus"}).status_code == 403
    assert ConsultationList.objects.count() == 1


def test_a_list_neither_owned_nor_shared_is_not_found(buyer, user_with_role):
    other = make_list(user_with_role(Role.PROCUREMENT), listings=[AsrListingFactory(published=True)])
    entry = other.entries.get()

    for url in (
        detail(other),
        export(other),
        reverse("procurement:consultation_edit", args=[other.pk]),
        reverse("procurement:consultation_delete", args=[other.pk]),
    ):
        assert buyer.get(url).status_code == 404
    assert buyer.post(reverse("procurement:consultation_delete", args=[other.pk])).status_code == 404
    remove = reverse("procurement:consultation_entry_remove", args=[other.pk, entry.pk])
    assert buyer.post(remove).status_code == 404
    assert ConsultationList.objects.filter(pk=other.pk).exists() and other.entries.count() == 1
    assert ExportLog.objects.count() == 0


def test_a_colleague_sees_and_exports_a_shared_list_but_cannot_edit_it(client, procurement_user, user_with_role):
    colleague = user_with_role(Role.STAFF)
    listing = AsrListingFactory(published=True, actor=ActorFactory(name="Propre et Net"))
    shared = make_list(procurement_user, listings=[listing], shared_with=[colleague])
    client.force_login(colleague)

    response = client.get(LISTS)
    assert list(response.context["shared_lists"]) == [shared]
    assert list(response.context["own_lists"]) == []
    page = client.get(detail(shared))
    assert page.status_code == 200 and "Propre et Net" in page.content.decode()
    assert page.context["is_owner"] is False
    assert client.get(export(shared), {"format": "csv"}).status_code == 200

    assert client.get(reverse("procurement:consultation_edit", args=[shared.pk])).status_code == 404
    assert client.post(reverse("procurement:consultation_delete", args=[shared.pk])).status_code == 404
    entry = shared.entries.get()
    client.post(
        reverse("procurement:consultation_entry_note", args=[shared.pk, entry.pk]),
        {f"fournisseur-{entry.pk}-note": "x"},
    )
    assert client.post(reverse("procurement:consultation_entry_remove", args=[shared.pk, entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.note == "" and ConsultationList.objects.filter(pk=shared.pk).exists()


def test_the_owner_renames_annotates_and_shares_only_with_buyers_and_staff(buyer, user_with_role):
    colleague = user_with_role(Role.PROCUREMENT)
    applicant = user_with_role(Role.APPLICANT)
    consultation_list = make_list(buyer.user)
    edit = reverse("procurement:consultation_edit", args=[consultation_list.pk])

    refused = buyer.post(edit, {"name": "Nettoyage", "notes": "", "shared_with": [applicant.pk]})
    assert refused.status_code == 200 and refused.context["form"].errors["shared_with"]
    response = buyer.post(
        edit, {"name": "Nettoyage 2027", "notes": "Lot 2 réservé L2113-13.", "shared_with": [colleague.pk]}
    )

    assert response.status_code == 302
    consultation_list.refresh_from_db()
    assert consultation_list.name == "Nettoyage 2027"
    assert consultation_list.notes == "Lot 2 réservé L2113-13."
    assert list(consultation_list.shared_with.all()) == [colleague]


def test_the_owner_notes_and_removes_a_supplier_and_deletes_the_list(buyer):
    kept = AsrListingFactory(published=True, actor=ActorFactory(name="Gardée"))
    removed = AsrListingFactory(published=True, actor=ActorFactory(name="Retirée"))
    consultation_list = make_list(buyer.user, listings=[kept, removed])
    kept_entry = consultation_list.entries.get(listing=kept)
    removed_entry = consultation_list.entries.get(listing=removed)

    buyer.post(
        reverse("procurement:consultation_entry_note", args=[consultation_list.pk, kept_entry.pk]),
        {f"fournisseur-{kept_entry.pk}-note": "A répondu en 2025, très réactif."},
    )
    buyer.post(reverse("procurement:consultation_entry_remove", args=[consultation_list.pk, removed_entry.pk]))

    kept_entry.refresh_from_db()
    assert kept_entry.note == "A répondu en 2025, très réactif."
    assert list(consultation_list.listings.all()) == [kept]
    assert "A répondu en 2025" in buyer.get(detail(consultation_list)).content.decode()

    response = buyer.post(reverse("procurement:consultation_delete", args=[consultation_list.pk]))
    assert response["Location"] == LISTS
    assert not ConsultationList.objects.exists() and not ConsultationEntry.objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_the_export_holds_the_suppliers_still_published_and_is_logged(buyer, file_format):
    fresh = AsrListingFactory(published=True, actor=ActorFactory(name="Toujours là", siret="35600000000048"))
    stale = AsrListingFactory(
        published=True, actor=ActorFactory(name="Périmée"), last_verified_on=date.today() - timedelta(days=400)
    )
    expired = AsrListingFactory(published=True, actor=ActorFactory(name="Expirée"))
    consultation_list = make_list(buyer.user, listings=[fresh, stale, expired])
    expired.status = ListingStatus.EXPIRED
    expired.save()
    AsrListingFactory(published=True, actor=ActorFactory(name="Hors liste"))

    response = buyer.get(export(consultation_list), {"format": file_format, "colonnes": ["nom", "siret"]})

    rows = READERS[file_format](response)
    assert rows[0] == ["Raison sociale", "SIRET"]
    assert [[str(value) for value in row] for row in rows[1:]] == [["Toujours là", "35600000000048"]]
    log = ExportLog.objects.get()
    assert log.user == buyer.user and log.row_count == 1 and log.file_format == file_format
    assert log.filters == {"liste": consultation_list.pk, "nom": consultation_list.name}
    assert log.columns == ["nom", "siret"]


def test_the_directory_links_to_the_lists_and_offers_to_add_each_supplier(buyer):
    listing = AsrListingFactory(published=True)

    content = buyer.get(reverse("procurement:directory")).content.decode()

    assert LISTS in content
    assert f'name="listing" value="{listing.pk}"' in content
    assert "Ajouter à une liste de consultation" in content


@pytest.mark.parametrize("size", [2, 40])
def test_the_lists_page_query_count_does_not_grow(buyer, django_assert_num_queries, user_with_role, size):
    colleague = user_with_role(Role.PROCUREMENT)
    for number in range(size):
        make_list(buyer.user, name=f"Mienne {number}", listings=[AsrListingFactory(published=True)])
        make_list(colleague, name=f"Partagée {number}", shared_with=[buyer.user])

    # session, user, groups, own lists, shared lists (with their owner and supplier count)
    with django_assert_num_queries(5):
        response = buyer.get(LISTS)

    assert len(response.context["own_lists"]) == size and len(response.context["shared_lists"]) == size


@pytest.mark.parametrize("size", [2, 40])
def test_a_list_page_query_count_does_not_grow(buyer, django_assert_num_queries, user_with_role, size):
    consultation_list = make_list(
        buyer.user,
        listings=[AsrListingFactory(published=True) for _ in range(size)],
        shared_with=[user_with_role(Role.STAFF), user_with_role(Role.PROCUREMENT)],
    )

    with django_assert_num_queries(11):
        response = buyer.get(detail(consultation_list))

    assert len(response.context["entries"]) == size
