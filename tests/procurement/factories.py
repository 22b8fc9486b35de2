from datetime import date

import factory

from procurement.enums import ListingStatus
from procurement.models import AsrListing, CpvCode
from tests.actors.factories import ActorFactory


class CpvCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CpvCode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n % 10000:04d}")
    label = factory.Sequence(lambda n: f"Services de test {n}")


class AsrListingFactory(factory.django.DjangoModelFactory):
    """An ASR listing. `AsrListingFactory(published=True)` publishes it, verified on `last_verified_on` (today).

    `cpv_codes=[…]` and `communes=[…]` set the many-to-many fields; the search column is rebuilt afterwards.
    """

    class Meta:
        model = AsrListing
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(status=ListingStatus.PUBLISHED, last_verified_on=factory.LazyFunction(date.today))

    actor = factory.SubFactory(ActorFactory)
    offers = factory.Sequence(lambda n: f"Entretien des espaces verts et nettoyage de locaux, lot {n}.")
    serves_whole_metropole = True
    revenue_band = "100k-500k"
    public_contract_references = "Ville de Bègles, entretien des parcs, 2024."

    @factory.post_generation
    def cpv_codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.cpv_codes.set(extracted)

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)

    @factory.post_generation
    def search(self, create, extracted, **kwargs):
        if create:
            self.refresh_search_text()
            self.save(update_fields=["search_text"])
