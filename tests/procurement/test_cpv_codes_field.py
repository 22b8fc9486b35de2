"""CPV codes are typed as text in the listing and sourcing forms (the official list has 9,000+ codes), checked
against the reference list, and found with the CPV lookup page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from procurement.asr.models import AsrListing
from procurement.cpv.forms import CpvCodesField
from procurement.cpv.models import significant_cpv_digits
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.procurement.factories import AsrListingFactory, CpvCodeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("90910000-9", "9091"),
        ("90910000", "9091"),
        ("9091", "9091"),
        ("03000000-1", "03"),
        ("30000000", "30"),
        ("", ""),
    ],
)
def test_significant_digits_of_a_typed_code(typed, digits):
    assert significant_cpv_digits(typed) == digits


def test_codes_are_read_whatever_the_separators_and_check_digits():
    cleaning = CpvCodeFactory(code="9091", label="Services de nettoyage")
    green = CpvCodeFactory(code="77313", label="Services d’entretien des parcs")

    assert CpvCodesField().clean("77313000-7 ; 90910000,9091\n") == [green, cleaning]
    assert CpvCodesField().clean("  ") == []


def test_unknown_codes_are_refused_with_each_one_named():
    CpvCodeFactory(code="9091")
    field = CpvCodesField()

    with pytest.raises(Exception) as error:
        field.clean("90910000, 12345678, 999")
    assert "Code CPV inconnu : 12345678, 999." in str(error.value)


def test_the_listing_form_shows_the_codes_of_the_listing_and_saves_the_typed_ones(client, applicant_user):
    cleaning = CpvCodeFactory(code="9091", label="Services de nettoyage")
    green = CpvCodeFactory(code="77313", label="Services d’entretien des parcs")
    actor = ActorFactory(members=[applicant_user])
    AsrListingFactory(actor=actor, cpv_codes=[cleaning, green])

    client.force_login(applicant_user)
    page = client.get(reverse("procurement:listing_edit", args=[actor.pk]))
    assertContains(page, 'value="77313000, 90910000"')
    assertContains(page, reverse("procurement:cpv_search"))

    response = client.post(
        reverse("procurement:listing_edit", args=[actor.pk]),
        {"offers": "Nettoyage", "cpv_codes": "90910000", "serves_whole_metropole": "on", "draft": "1"},
    )
    assert response.status_code == 302
    assert list(actor.asr_listing.cpv_codes.all()) == [cleaning]


def test_a_wrong_code_keeps_everything_typed_and_says_which(client, applicant_user):
    CpvCodeFactory(code="9091")
    actor = ActorFactory(members=[applicant_user])
    commune = CommuneFactory()
    client.force_login(applicant_user)

    response = client.post(
        reverse("procurement:listing_edit", args=[actor.pk]),
        {"offers": "Nettoyage de bureaux", "cpv_codes": "90910000, 11111111", "communes": [commune.pk], "submit": "1"},
    )

    assert response.status_code == 200
    assertContains(response, "Code CPV inconnu : 11111111.")
    assertContains(response, 'value="90910000, 11111111"')
    assertContains(response, "Nettoyage de bureaux")
    assert not AsrListing.objects.filter(actor=actor).exists()


def test_the_lookup_finds_codes_by_words_without_accents_or_by_their_first_digits(client, applicant_user):
    CpvCodeFactory(code="50", label="Services de réparation et d’entretien")
    CpvCodeFactory(code="5032", label="Services de réparation d’ordinateurs")
    CpvCodeFactory(code="9091", label="Services de nettoyage")
    client.force_login(applicant_user)
    lookup = reverse("procurement:cpv_search")

    found = client.get(lookup, {"q": "reparation ordinateurs"}).context["codes"]
    assert [code.code for code in found] == ["5032"]
    assert [code.code for code in client.get(lookup, {"q": "50000000"}).context["codes"]] == ["50", "5032"]
    assertContains(client.get(lookup, {"q": "zzz"}), "Aucun code ne correspond.")


def test_the_sourcing_form_says_a_request_without_reserved_article_is_open_to_all(client, procurement_user):
    client.force_login(procurement_user)

    page = client.get(reverse("procurement:sourcing_create"))

    assertContains(page, '<option value="" selected>Non : marché ouvert à tous les fournisseurs</option>', html=True)
    assertContains(page, reverse("procurement:cpv_search"))
