import pytest

from procurement.cpv.models import CpvCode
from procurement.reference import load

pytestmark = pytest.mark.django_db


def test_the_45_cpv_divisions_are_loaded_with_their_official_labels():
    load()

    divisions = CpvCode.objects.filter(code__regex=r"^\d{2}$")
    assert divisions.count() == 45
    assert CpvCode.objects.get(code="45").label == "Travaux de construction"
    assert CpvCode.objects.get(code="90").label.startswith("Services d’évacuation des eaux usées")
    assert not divisions.exclude(parent=None).exists()


def test_groups_and_classes_hang_under_their_longest_listed_prefix():
    load()

    assert CpvCode.objects.get(code="9091").parent.code == "909"
    assert CpvCode.objects.get(code="90911").parent.code == "9091"
    assert CpvCode.objects.get(code="6016").parent.code == "601"
    assert CpvCode.objects.get(code="5031").parent.code == "503"
    assert CpvCode.objects.get(code="5031").full_code == "50310000"


def test_loading_twice_creates_nothing_new(reference_data):
    assert reference_data["codes CPV (divisions et groupes utiles à l’ESS)"] > 45
    assert load() == 0
