from datetime import date, timedelta

import pytest

from actors.enums import AgrementKind, LegalForm, SiaeType
from actors.models import Agrement
from procurement.asr.eligibility import ESS_LEGAL_FORMS, reserved_articles
from tests.procurement.factories import AsrListingFactory


def test_an_ea_or_an_esat_may_win_contracts_reserved_by_article_l2113_12():
    assert "L2113-12" in reserved_articles(LegalForm.ASSOCIATION, [AgrementKind.EA])
    assert "L2113-12" in reserved_articles(LegalForm.ASSOCIATION, [AgrementKind.ESAT])


def test_an_siae_may_win_contracts_reserved_by_article_l2113_13():
    assert reserved_articles(LegalForm.ASSOCIATION, [AgrementKind.SIAE]) == ["L2113-13", "L2113-15"]


def test_an_ess_legal_form_or_the_esus_agrement_opens_article_l2113_15():
    for legal_form in ESS_LEGAL_FORMS:
        assert reserved_articles(legal_form, []) == ["L2113-15"]
    assert reserved_articles("sas", [AgrementKind.ESUS]) == ["L2113-15"]


def test_a_company_outside_the_ess_without_agrement_has_no_reserved_contract():
    assert reserved_articles("sas", []) == []


def test_an_esus_agrement_alone_opens_neither_l2113_12_nor_l2113_13():
    assert reserved_articles("sas", [AgrementKind.ESUS]) == ["L2113-15"]


@pytest.mark.django_db
def test_a_listing_derives_its_articles_from_the_agrements_in_force_only():
    listing = AsrListingFactory()
    Agrement.objects.create(actor=listing.actor, kind=AgrementKind.EA, expires_on=date.today() - timedelta(days=1))
    Agrement.objects.create(actor=listing.actor, kind=AgrementKind.SIAE, siae_type=SiaeType.ACI)

    assert listing.reserved_articles(date.today()) == ["L2113-13", "L2113-15"]
