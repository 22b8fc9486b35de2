from decimal import Decimal

import pytest

from actors.models import Commune

pytestmark = pytest.mark.usefixtures("reference_data")


def test_the_28_communes_of_the_metropole_are_loaded():
    assert Commune.objects.count() == 28


@pytest.mark.parametrize(
    ("name", "insee_code"),
    [
        ("Ambarès-et-Lagrave", "33003"),
        ("Ambès", "33004"),
        ("Bègles", "33039"),
        ("Bordeaux", "33063"),
        ("Le Bouscat", "33069"),
        ("Mérignac", "33281"),
        ("Pessac", "33318"),
        ("Saint-Louis-de-Montferrand", "33434"),
        ("Saint-Vincent-de-Paul", "33487"),
        ("Le Taillan-Médoc", "33519"),
        ("Villenave-d'Ornon", "33550"),
    ],
)
def test_communes_have_their_insee_code(name, insee_code):
    assert Commune.objects.get(insee_code=insee_code).name == name


def test_every_insee_code_is_a_gironde_code():
    codes = list(Commune.objects.values_list("insee_code", flat=True))

    assert len(set(codes)) == 28
    assert all(code.startswith("33") and len(code) == 5 for code in codes)


def test_commune_centres_lie_within_the_metropole():
    bordeaux = Commune.objects.get(insee_code="33063")

    assert (bordeaux.latitude, bordeaux.longitude) == (Decimal("44.8378"), Decimal("-0.5792"))
    # Bounding box of Bordeaux Métropole, with a small margin.
    assert not Commune.objects.exclude(latitude__range=(44.74, 45.04), longitude__range=(-0.80, -0.44)).exists()
