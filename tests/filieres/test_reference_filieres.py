import pytest

from filieres.models import Filiere, Segment

pytestmark = pytest.mark.usefixtures("reference_data")


def test_the_four_priority_filieres_are_loaded_with_their_action_codes():
    assert list(Filiere.objects.values_list("code", "name")) == [
        ("1.1.1", "Logistique zéro carbone"),
        ("1.1.2", "Économie circulaire"),
        ("1.1.3", "Écoconstruction et habitat"),
        ("1.1.4", "Économie de proximité"),
    ]


def test_every_segment_named_by_the_plan_is_loaded():
    segments = {code: set() for code in ["1.1.1", "1.1.2", "1.1.3", "1.1.4"]}
    for code, slug in Segment.objects.values_list("filiere__code", "slug"):
        segments[code].add(slug)

    assert segments["1.1.1"] == {"cyclologistique", "points-logistiques-proximite", "logistique-fluviale"}
    assert segments["1.1.2"] == {
        "consigne-emballages-alimentaires",
        "biodechets",
        "matieres-organiques",
        "reemploi-dechets-btp",
        "objets-seconde-main",
        "materiels-numeriques",
    }
    assert segments["1.1.3"] == {"habitat", "ecoconstruction", "bailleurs-sociaux"}
    assert segments["1.1.4"] == {"commerce-proximite", "artisanat", "reprise-transmission-scop"}


def test_partner_directions_are_one_per_line():
    logistics = Filiere.objects.get(code="1.1.1")
    circular = Filiere.objects.get(code="1.1.2")

    assert logistics.partner_direction_list == ["DG Mobilités", "Mission fleuve", "Direction des achats"]
    assert "Direction prévention et gestion des déchets" in circular.partner_direction_list
