import datetime

import factory

from events.enums import EventKind, GsefKind
from events.models import Event, GsefParticipation, PrizeCandidate, PrizeCategory, PrizeEdition
from tests.accounts.factories import UserFactory
from tests.actors.factories import ActorFactory, CommuneFactory


class EventFactory(factory.django.DjangoModelFactory):
    """A public Forum ESS on 17 November 2025; `held=True` adds its attendance, `internal=True` hides it."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    class Params:
        held = factory.Trait(
            elected_count=5,
            staff_count=20,
            public_count=100,
            attendance_recorded_at=factory.LazyFunction(lambda: datetime.datetime(2025, 11, 20, tzinfo=datetime.UTC)),
        )
        internal = factory.Trait(is_public=False)

    kind = EventKind.FORUM
    title = factory.Sequence(lambda n: f"Évènement test {n}")
    starts_on = datetime.date(2025, 11, 17)
    place = "Hangar 14"
    commune = factory.SubFactory(CommuneFactory)
    plan_action_code = "3.3"
    is_public = True
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def organising_partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.organising_partners.set(extracted)


class PrizeEditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrizeEdition
        django_get_or_create = ("year",)

    year = 2025


class PrizeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrizeCategory

    edition = factory.SubFactory(PrizeEditionFactory)
    name = factory.Sequence(lambda n: f"Catégorie {n}")


class PrizeCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrizeCandidate

    category = factory.SubFactory(PrizeCategoryFactory)
    actor = factory.SubFactory(ActorFactory)


class GsefParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GsefParticipation

    kind = GsefKind.FORUM
    title = factory.Sequence(lambda n: f"Forum GSEF {n}")
    held_on = datetime.date(2023, 5, 1)
    place = "Dakar (Sénégal)"
    created_by = factory.SubFactory(UserFactory)
