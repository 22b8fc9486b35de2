import datetime

import factory

from accounts.enums import Role
from quadripartite.enums import CommitteeKind
from quadripartite.models import Decision, Meeting, Partner, PartnerMember


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Collectivité test {n}")
    short_name = factory.Sequence(lambda n: f"Coll. {n}")
    slug = factory.Sequence(lambda n: f"collectivite-test-{n}")
    kind = "Commune"
    position = factory.Sequence(lambda n: n)


class SignatoryFactory(PartnerFactory):
    is_signatory = True
    rotation_order = factory.Sequence(lambda n: n + 1)


class PartnerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerMember

    user = factory.SubFactory("tests.accounts.factories.UserFactory", role=Role.PARTNER)
    partner = factory.SubFactory(SignatoryFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = CommitteeKind.FOLLOW_UP
    held_on = datetime.date(2025, 3, 4)
    organiser = factory.SubFactory(SignatoryFactory)
    minutes = "Compte rendu de la réunion."


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Décision {n}")
    owner = factory.SelfAttribute("meeting.organiser")
    due_on = datetime.date(2025, 6, 30)
