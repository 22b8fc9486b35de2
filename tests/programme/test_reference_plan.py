import pytest

from programme.models import Action, ActionSheet, Axis

pytestmark = pytest.mark.usefixtures("reference_data")

TOP_LEVEL = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1", "3.2", "3.3", "3.4"]
SUB_ACTIONS = {"1.1.1": "1.1", "1.1.2": "1.1", "1.1.3": "1.1", "1.1.4": "1.1", "3.1.1": "3.1", "3.1.2": "3.1"}


def test_the_plan_has_three_axes_each_with_its_fiche():
    assert list(Axis.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert list(ActionSheet.objects.values_list("number", "axis__number")) == [(1, 1), (2, 2), (3, 3)]


def test_every_action_of_the_plan_is_loaded_in_plan_order():
    codes = list(Action.objects.values_list("code", flat=True))

    assert codes == [
        "1.1", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.2", "1.3",
        "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
        "3.1", "3.1.1", "3.1.2", "3.2", "3.3", "3.4",
    ]  # fmt: skip
    assert list(Action.objects.filter(parent=None).values_list("code", flat=True)) == TOP_LEVEL


def test_sub_actions_hang_under_their_parent_in_the_same_fiche():
    for code, parent_code in SUB_ACTIONS.items():
        action = Action.objects.select_related("parent").get(code=code)
        assert action.parent.code == parent_code
        assert action.sheet_id == action.parent.sheet_id


def test_actions_sit_in_the_fiche_of_their_axis():
    for action in Action.objects.select_related("sheet"):
        assert action.code.startswith(f"{action.sheet.number}.")


def test_every_action_has_objectives_modalities_and_a_calendar():
    for action in Action.objects.all():
        assert action.objectives, action.code
        assert action.modality_list, action.code
        assert action.calendar_list, action.code


def test_actions_carry_the_plan_text():
    fonciere = Action.objects.get(code="2.3")
    asr = Action.objects.get(code="3.4")

    assert fonciere.title == "Sécurisation du parcours foncier et immobilier des acteurs ESS"
    assert "Capitalisation de Bordeaux Métropole : début 2023" in fonciere.calendar_list
    assert asr.calendar_list[0] == "Lancement de l’expérimentation du dispositif ASR en 2022"
    assert ActionSheet.objects.get(number=1).objective_list[1] == (
        "Développer un réseau de structures référentes par filière identifiée"
    )
