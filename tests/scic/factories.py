import datetime
from decimal import Decimal

import factory

from actors.enums import LegalForm
from scic.enums import Body, CollectivityKind, MovementKind
from scic.models import CapitalRecord, PublicHolding, Representative, Scic, ShareMovement
from scic.services import SCIC_FUND_LINE_CODE
from tests.actors.factories import ActorFactory
from tests.funding.factories import BudgetLineFactory


class ScicActorFactory(ActorFactory):
    legal_form = LegalForm.SCIC


class ScicFactory(factory.django.DjangoModelFactory):
    """A SCIC of the register; `ScicFactory(capital=Decimal("100000"))` also records its capital on 1 January 2023."""

    class Meta:
        model = Scic
        skip_postgeneration_save = True

    actor = factory.SubFactory(ScicActorFactory)
    framework_deliberation_number = "2023/001"
    framework_deliberation_on = datetime.date(2023, 1, 27)

    @factory.post_generation
    def capital(self, create, extracted, **kwargs):
        if create and extracted is not None:
            CapitalRecordFactory(scic=self, amount=extracted)


class CapitalRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapitalRecord

    scic = factory.SubFactory(ScicFactory)
    recorded_on = datetime.date(2023, 1, 1)
    amount = Decimal("100000.00")


class PublicHoldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicHolding

    scic = factory.SubFactory(ScicFactory)
    holder_name = "Région Nouvelle-Aquitaine"
    holder_kind = CollectivityKind.REGION
    amount = Decimal("10000.00")
    held_from = datetime.date(2022, 6, 1)


class ShareMovementFactory(factory.django.DjangoModelFactory):
    """A movement written directly (no fund line, no cap check): for figures and pages."""

    class Meta:
        model = ShareMovement

    scic = factory.SubFactory(ScicFactory)
    kind = MovementKind.SUBSCRIPTION
    moved_on = datetime.date(2024, 3, 1)
    shares = 100
    nominal = Decimal("50.00")
    idempotency_key = factory.Sequence(lambda n: f"movement-{n}")


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    scic = factory.SubFactory(ScicFactory)
    person_name = factory.Sequence(lambda n: f"Élue test {n}")
    body = Body.GENERAL_MEETING
    mandate_start_on = datetime.date(2023, 7, 1)


def scic_fund_line(year=2024, voted_amount=Decimal("120000.00")):
    return BudgetLineFactory(
        year=year,
        code=SCIC_FUND_LINE_CODE,
        label="Fonds de participation dans des SCIC",
        voted_amount=voted_amount,
        investment=True,
    )
