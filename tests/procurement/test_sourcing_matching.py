"""Which published suppliers a sourcing request reaches: CPV prefixes both ways, communes, reserved contracts."""

from datetime import date, timedelta
from itertools import product

import pytest

from actors.enums import AgrementKind, LegalForm, SiaeType
from actors.models import Agrement
from procurement.asr.eligibility import reserved_articles
from procurement.enums import ListingStatus, ReservedArticle
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.procurement.factories import AsrListingFactory, CpvCodeFactory, SourcingRequestFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()


def matched(sourcing_request) -> set[str]:
    return set(sourcing_request.matching_listings(TODAY).values_list("actor__name", flat=True))


def listing(name, *, codes=(), communes=(), whole=False, **kwargs):
    kwargs.setdefault("published", True)
    return AsrListingFactory(
        actor=ActorFactory(name=name, legal_form=kwargs.pop("legal_form", LegalForm.ASSOCIATION)),
        cpv_codes=[CpvCodeFactory(code=code) for code in codes],
        communes=list(communes),
        serves_whole_metropole=whole,
        **kwargs,
    )


def test_a_supplier_listed_under_a_division_matches_a_request_for_one_of_its_classes():
    listing("Division 90", codes=["90"], whole=True)
    listing("Division 45", codes=["45"], whole=True)

    assert matched(SourcingRequestFactory(cpv_codes=[CpvCodeFactory(code="9051")])) == {"Division 90"}


def test_a_supplier_listed_under_a_category_matches_a_request_for_its_division():
    listing("Collecte 90511", codes=["90511"], whole=True)
    listing("Nettoyage 9091", codes=["9091"], whole=True)
    listing("Travaux 452", codes=["452"], whole=True)

    assert matched(SourcingRequestFactory(cpv_codes=[CpvCodeFactory(code="90")])) == {
        "Collecte 90511",
        "Nettoyage 9091",
    }


def test_codes_that_only_share_their_first_digits_do_not_match():
    listing("Déchets 9051", codes=["9051"], whole=True)

    # 9061 (street cleaning) and 9051 (waste) share « 90 », but neither is a prefix of the other.
    assert matched(SourcingRequestFactory(cpv_codes=[CpvCodeFactory(code="9061")])) == set()


def test_a_request_without_cpv_reaches_every_published_supplier():
    listing("Un", codes=["90"], whole=True)
    listing("Deux", whole=True)

    assert matched(SourcingRequestFactory()) == {"Un", "Deux"}


def test_communes_keep_suppliers_serving_one_of_them_or_the_whole_metropole():
    begles, pessac, cenon = CommuneFactory(name="Bègles"), CommuneFactory(name="Pessac"), CommuneFactory(name="Cenon")
    listing("À Bègles", communes=[begles])
    listing("À Cenon", communes=[cenon])
    listing("Partout", whole=True)

    assert matched(SourcingRequestFactory(communes=[begles, pessac])) == {"À Bègles", "Partout"}
    assert matched(SourcingRequestFactory()) == {"À Bègles", "À Cenon", "Partout"}


def test_unpublished_or_expired_listings_and_archived_structures_are_never_matched():
    listing("Publiée", whole=True)
    listing("Brouillon", whole=True, published=False, status=ListingStatus.DRAFT)
    listing("Soumise", whole=True, published=False, status=ListingStatus.SUBMITTED)
    listing("Expirée", whole=True, published=False, status=ListingStatus.EXPIRED, last_verified_on=TODAY)
    listing("Non revérifiée", whole=True, last_verified_on=TODAY - timedelta(days=366))
    archived = listing("Archivée", whole=True)
    archived.actor.is_archived = True
    archived.actor.save()

    assert matched(SourcingRequestFactory()) == {"Publiée"}


def test_a_reserved_request_reaches_only_structures_eligible_today():
    ea = listing("Entreprise adaptée", whole=True, legal_form="sas")
    Agrement.objects.create(actor=ea.actor, kind=AgrementKind.EA)
    expired = listing("EA expirée", whole=True, legal_form="sas")
    Agrement.objects.create(actor=expired.actor, kind=AgrementKind.EA, expires_on=TODAY - timedelta(days=1))
    siae = listing("Chantier d’insertion", whole=True)
    Agrement.objects.create(actor=siae.actor, kind=AgrementKind.SIAE, siae_type=SiaeType.ACI)
    listing("Société commerciale", whole=True, legal_form="sas")

    assert matched(SourcingRequestFactory(reserved_article=ReservedArticle.L2113_12)) == {"Entreprise adaptée"}
    assert matched(SourcingRequestFactory(reserved_article=ReservedArticle.L2113_13)) == {"Chantier d’insertion"}
    assert matched(SourcingRequestFactory(reserved_article=ReservedArticle.L2113_15)) == {"Chantier d’insertion"}


@pytest.mark.parametrize("article", ReservedArticle.values)
def test_the_sql_eligibility_agrees_with_reserved_articles_for_every_legal_form_and_agrement(article):
    """The matching reads its rule from `reserved_articles`: both must agree on every combination."""
    expected = set()
    for number, (legal_form, kind) in enumerate(product([*LegalForm.values, "sas"], [None, *AgrementKind.values])):
        name = f"{legal_form}-{kind}-{number}"
        created = listing(name, whole=True, legal_form=legal_form)
        if kind:
            siae_type = SiaeType.ACI if kind == AgrementKind.SIAE else ""
            Agrement.objects.create(actor=created.actor, kind=kind, siae_type=siae_type)
        if article in reserved_articles(legal_form, [kind] if kind else []):
            expected.add(name)

    assert matched(SourcingRequestFactory(reserved_article=article)) == expected


def test_all_criteria_combine():
    merignac = CommuneFactory(name="Mérignac")
    listing("Bon code, bonne commune", codes=["77313"], communes=[merignac])
    listing("Bon code, autre commune", codes=["77313"], communes=[CommuneFactory(name="Blanquefort")])
    listing("Autre code, bonne commune", codes=["45"], communes=[merignac])

    request = SourcingRequestFactory(cpv_codes=[CpvCodeFactory(code="773")], communes=[merignac])

    assert matched(request) == {"Bon code, bonne commune"}
