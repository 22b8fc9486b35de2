import factory

from quadripartite.models import Partner


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Collectivité test {n}")
    short_name = factory.Sequence(lambda n: f"Coll. {n}")
    slug = factory.Sequence(lambda n: f"collectivite-test-{n}")
    kind = "Commune"
    position = factory.Sequence(lambda n: n)
