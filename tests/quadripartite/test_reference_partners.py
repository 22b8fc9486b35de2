import pytest

from quadripartite.models import Partner

pytestmark = pytest.mark.usefixtures("reference_data")


def test_the_four_signatories_rotate_from_the_metropole_and_the_plans_other_partners_are_loaded():
    assert list(Partner.objects.signatories().values_list("name", flat=True)) == [
        "Région Nouvelle-Aquitaine",
        "Département de la Gironde",
        "Bordeaux Métropole",
        "Ville de Bordeaux",
    ]
    assert list(Partner.objects.signatories().order_by("rotation_order").values_list("short_name", flat=True)) == [
        "Métropole",
        "Région",
        "Département",
        "Ville de Bordeaux",
    ]
    assert list(Partner.objects.filter(is_signatory=False).values_list("short_name", flat=True)) == [
        "CRESS",
        "INAE",
        "3AR",
        "PLIE",
        "CMA",
        "CCI",
    ]
    assert not Partner.objects.filter(is_signatory=False, rotation_order__isnull=False).exists()
