import factory

from filieres.models import Filiere, Segment


class FiliereFactory(factory.django.DjangoModelFactory):
    """A fictitious filière; the four real ones come from the `reference_data` fixture."""

    class Meta:
        model = Filiere
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9.9.{n}")
    name = factory.Sequence(lambda n: f"Filière test {n}")
    slug = factory.Sequence(lambda n: f"filiere-test-{n}")
    description = "Filière fictive créée pour les tests."
    partner_directions = "Direction du développement économique\nDirection des achats"


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    filiere = factory.SubFactory(FiliereFactory)
    name = factory.Sequence(lambda n: f"Segment test {n}")
    slug = factory.Sequence(lambda n: f"segment-test-{n}")
    position = factory.Sequence(lambda n: n)
