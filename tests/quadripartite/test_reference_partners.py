import pytest

from quadripartite.models import Partner

pytestmark = pytest.mark.usefixtures("reference_data")


def test_the_four_collectivities_of_the_convention_are_loaded_in_order():
    assert list(Partner.objects.values_list("name", flat=True)) == [
        "Région Nouvelle-Aquitaine",
        "Département de la Gironde",
        "Bordeaux Métropole",
        "Ville de Bordeaux",
    ]
