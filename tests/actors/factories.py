from decimal import Decimal

import factory
from stdnum import luhn

from actors.enums import LegalForm
from actors.models import Actor, Commune


def fictitious_siret(number: int) -> str:
    """A valid (Luhn-checked) but fictitious SIRET: SIREN 98xxxxxx + check digit, NIC 0001 + check digit.

    No real SIREN starts with 98 today, so these never collide with a real structure.
    """
    siren = f"98{number % 1_000_000:06d}"
    siren += luhn.calc_check_digit(siren)
    siret = f"{siren}0001"
    return siret + luhn.calc_check_digit(siret)


class CommuneFactory(factory.django.DjangoModelFactory):
    """A fictitious commune; tests that need the 28 real ones use the `reference_data` fixture."""

    class Meta:
        model = Commune
        django_get_or_create = ("insee_code",)

    insee_code = factory.Sequence(lambda n: f"99{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Commune test {n}")
    slug = factory.Sequence(lambda n: f"commune-test-{n}")
    latitude = Decimal("44.83780")
    longitude = Decimal("-0.57920")


class ActorFactory(factory.django.DjangoModelFactory):
    """An ESS structure with a valid SIRET.

    `ActorFactory(public=True)` opts it into the public directory;
    `ActorFactory(members=[user])` attaches users through an active membership.
    """

    class Meta:
        model = Actor
        skip_postgeneration_save = True

    class Params:
        public = factory.Trait(is_public=True)

    name = factory.Sequence(lambda n: f"Structure test {n}")
    siret = factory.Sequence(fictitious_siret)
    legal_form = LegalForm.ASSOCIATION
    commune = factory.SubFactory(CommuneFactory)
    address = factory.Sequence(lambda n: f"{n % 200 + 1} rue de l’Exemple")
    postal_code = "33000"
    latitude = Decimal("44.83780")
    longitude = Decimal("-0.57920")
    fte = Decimal("4.5")
    founded_year = 2015
    description = "Structure fictive créée pour les tests."

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            from accounts.models import Membership

            for user in extracted:
                Membership.objects.create(user=user, actor=self)

    @factory.post_generation
    def filieres(self, create, extracted, **kwargs):
        if create and extracted:
            self.filieres.set(extracted)

    @factory.post_generation
    def segments(self, create, extracted, **kwargs):
        if create and extracted:
            self.segments.set(extracted)
