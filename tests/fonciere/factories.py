import datetime
from decimal import Decimal

import factory

from fonciere.enums import PropertyUse, Tenure
from fonciere.models import CommitteeSitting, Lease, PremisesRequest, Property
from tests.actors.factories import ActorFactory, CommuneFactory


class PropertyFactory(factory.django.DjangoModelFactory):
    """A property of 500 m² of offices held by the foncière."""

    class Meta:
        model = Property

    name = factory.Sequence(lambda n: f"Bien test {n}")
    address = factory.Sequence(lambda n: f"{n} rue des Essais")
    commune = factory.SubFactory(CommuneFactory)
    surface = Decimal("500.00")
    use = PropertyUse.OFFICES
    tenure = Tenure.HELD
    acquisition_price = Decimal("800000.00")


class LeaseFactory(factory.django.DjangoModelFactory):
    """A signed lease of 100 m² for 2025 at 80 €/m²/yr instead of 120; `unsigned=True` leaves it to sign."""

    class Meta:
        model = Lease

    class Params:
        unsigned = factory.Trait(signed_on=None)

    property = factory.SubFactory(PropertyFactory)
    occupant = factory.SubFactory(ActorFactory)
    surface = Decimal("100.00")
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2025, 12, 31)
    rent = Decimal("80.00")
    market_rent = Decimal("120.00")
    signed_on = datetime.date(2024, 12, 15)


class PremisesRequestFactory(factory.django.DjangoModelFactory):
    """A structure's need for 150 m² of activity premises, awaiting the comité d'engagement."""

    class Meta:
        model = PremisesRequest

    actor = factory.SubFactory(ActorFactory)
    surface_needed = Decimal("150.00")
    use = PropertyUse.ACTIVITY
    description = "Atelier de réemploi avec stockage."


class CommitteeSittingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeSitting

    held_on = datetime.date(2025, 10, 14)
    place = "Cité municipale"
