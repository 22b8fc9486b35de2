"""The plan's dated commitments (its CALENDRIER sections) are loaded as public milestones by load_reference."""

import datetime

import pytest
from django.core.management import call_command

from programme.models import Milestone
from programme.reference import due_on

pytestmark = pytest.mark.django_db

PLAN_MILESTONES = 14


def plan_milestones():
    return list(Milestone.objects.plan_commitments().values_list("action__code", "title", "due_on", "done_on"))


def test_load_reference_loads_the_plan_dated_commitments():
    call_command("load_reference")

    assert Milestone.objects.plan_commitments().count() == PLAN_MILESTONES == Milestone.objects.count()
    assert Milestone.objects.get(action__code="3.1.1", title="Organiser le 1er comité de pilotage des élus (2022)")
    capitalisation = Milestone.objects.get(action__code="2.3", is_plan_commitment=True)
    assert (capitalisation.title, capitalisation.due_on) == (
        "Capitalisation de Bordeaux Métropole : début 2023 (1 000 000 €)",
        datetime.date(2023, 3, 31),
    )
    asr = Milestone.objects.filter(action__code="3.4").values_list("title", "due_on")
    assert list(asr) == [
        ("Lancement de l’expérimentation du dispositif ASR en 2022", datetime.date(2022, 12, 31)),
        (
            "Bilan de l’expérimentation début 2023 et pérennisation à compter du 1er trimestre 2023",
            datetime.date(2023, 3, 31),
        ),
        (
            "Mise en place en 2023 d’une cartographie interactive des acteurs ESS pouvant répondre à la commande "
            "publique",
            datetime.date(2023, 12, 31),
        ),
    ]
    gsef = dict(Milestone.objects.filter(action__code="3.1.2").values_list("title", "due_on"))
    assert gsef == {
        "Participation au Forum de Dakar (2023)": datetime.date(2023, 12, 31),
        "Préparation de la candidature au Forum mondial 2025 (2023-2024)": datetime.date(2024, 12, 31),
    }


def test_every_milestone_title_is_a_step_of_its_action_calendar():
    call_command("load_reference")

    for milestone in Milestone.objects.select_related("action"):
        calendar = milestone.action.calendar_list
        assert milestone.title.removesuffix(" (1 000 000 €)") in calendar, milestone.title


def test_loading_twice_changes_nothing_and_keeps_what_staff_recorded():
    call_command("load_reference")
    held = Milestone.objects.get(action__code="3.1.2", title="Participation au Forum de Dakar (2023)")
    held.done_on = datetime.date(2023, 5, 4)
    held.save()
    before = plan_milestones()

    call_command("load_reference")

    assert plan_milestones() == before
    assert len(before) == PLAN_MILESTONES


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2022", datetime.date(2022, 12, 31)),
        ("2023-T1", datetime.date(2023, 3, 31)),
        ("2024-T2", datetime.date(2024, 6, 30)),
        ("2023-2024", datetime.date(2024, 12, 31)),
    ],
)
def test_a_period_of_the_plan_falls_due_at_its_end(period, expected):
    assert due_on(period) == expected


def test_an_unreadable_period_is_refused():
    with pytest.raises(ValueError, match="Période du plan illisible"):
        due_on("début 2023")
