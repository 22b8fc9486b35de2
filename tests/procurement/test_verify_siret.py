import pytest
from django.urls import reverse

from actors.enums import AgrementKind, LegalForm, SiaeType
from actors.models import Agrement
from procurement.enums import ListingStatus
from tests.actors.factories import ActorFactory, fictitious_siret
from tests.procurement.factories import AsrListingFactory

pytestmark = pytest.mark.django_db

VERIFY = reverse("procurement:verify_siret")


@pytest.fixture
def buyer(client, procurement_user):
    client.force_login(procurement_user)
    return client


def test_a_registered_siret_shows_legal_form_agrements_articles_and_listing(buyer):
    actor = ActorFactory(name="Chantier Vert", legal_form=LegalForm.ASSOCIATION, siret=fictitious_siret(42))
    Agrement.objects.create(actor=actor, kind=AgrementKind.SIAE, siae_type=SiaeType.ACI)
    AsrListingFactory(actor=actor, published=True)

    siret = fictitious_siret(42)
    response = buyer.get(VERIFY, {"siret": f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"})

    page = response.content.decode()
    assert response.context["actor"] == actor
    assert response.context["articles"] == ["L2113-13", "L2113-15"]
    assert "Chantier Vert est au registre" in page
    assert "Association" in page
    assert "ACI – atelier et chantier d’insertion" in page
    assert "Art. L2113-13" in page
    assert "Publié, vérifié le" in page


def test_an_unpublished_listing_is_reported_as_not_visible(buyer):
    actor = ActorFactory(siret=fictitious_siret(43))
    AsrListingFactory(actor=actor, status=ListingStatus.EXPIRED)

    response = buyer.get(VERIFY, {"siret": fictitious_siret(43)})

    assert response.context["listing_visible"] is False
    assert "non visible dans l’annuaire ASR" in response.content.decode()


def test_an_unknown_siret_is_reported_as_absent_from_the_registry(buyer):
    response = buyer.get(VERIFY, {"siret": fictitious_siret(44)})

    assert response.context["actor"] is None
    assert "n’est pas au registre" in response.content.decode()


def test_an_archived_actor_is_not_in_the_registry(buyer):
    ActorFactory(siret=fictitious_siret(45), is_archived=True)

    assert buyer.get(VERIFY, {"siret": fictitious_siret(45)}).context["actor"] is None


def test_a_malformed_siret_is_an_error_on_the_field(buyer):
    response = buyer.get(VERIFY, {"siret": "12345678901234"})

    assert response.status_code == 200
    assert response.context["form"].errors["siret"]
    assert response.context["searched"] is False
