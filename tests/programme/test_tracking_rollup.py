import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from programme.enums import ActionStatus, Rollup
from programme.models import Action, ActionSheet, Axis, Milestone
from tests.programme.factories import ActionFactory, ActionSheetFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


def _parent_with_children(rollup):
    parent = ActionFactory(rollup=rollup)
    ActionFactory(sheet=parent.sheet, parent=parent, progress=100, weight=3)
    ActionFactory(sheet=parent.sheet, parent=parent, progress=0, weight=1)
    return Action.objects.get(pk=parent.pk)


def test_an_average_rollup_is_the_plain_mean_of_the_children():
    assert _parent_with_children(Rollup.AVERAGE).progress_value == 50


def test_a_weighted_rollup_follows_the_children_weights():
    assert _parent_with_children(Rollup.WEIGHTED).progress_value == 75


def test_an_action_without_children_shows_its_own_progress():
    assert ActionFactory(progress=40).progress_value == 40


def test_a_fiche_and_its_axis_roll_up_from_their_top_level_actions_including_sub_actions():
    sheet = ActionSheetFactory(rollup=Rollup.WEIGHTED)
    parent = ActionFactory(sheet=sheet, rollup=Rollup.AVERAGE, weight=1)
    ActionFactory(sheet=sheet, parent=parent, progress=100)
    ActionFactory(sheet=sheet, parent=parent, progress=50)  # parent: 75
    ActionFactory(sheet=sheet, progress=15, weight=3)

    assert ActionSheet.objects.get(pk=sheet.pk).progress_value == 30  # (75 + 3 × 15) / 4
    axis = Axis.objects.with_plan(today=TODAY)
    assert [a.progress_value for a in axis if a.pk == sheet.axis_id] == [30]


def test_a_weighted_rollup_with_zero_weights_is_zero():
    parent = ActionFactory(rollup=Rollup.WEIGHTED)
    ActionFactory(sheet=parent.sheet, parent=parent, progress=80, weight=0)
    assert Action.objects.get(pk=parent.pk).progress_value == 0


def test_progress_above_100_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        ActionFactory(progress=101)


def test_a_done_action_must_be_at_100_percent():
    action = ActionFactory.build(status=ActionStatus.DONE, progress=80)
    with pytest.raises(ValidationError, match="100"):
        action.clean()
    with pytest.raises(IntegrityError):
        ActionFactory(status=ActionStatus.DONE, progress=80)


def test_overdue_milestones_are_the_undone_ones_past_their_due_date():
    late = MilestoneFactory(due_on=datetime.date(2025, 5, 1))
    MilestoneFactory(due_on=datetime.date(2025, 5, 1), done_on=datetime.date(2025, 5, 2))
    MilestoneFactory(due_on=datetime.date(2025, 7, 1))

    assert list(Milestone.objects.overdue(today=TODAY)) == [late]
    assert late.is_overdue(today=TODAY)


def test_changes_of_an_action_and_its_milestones_are_kept_in_their_history():
    action = ActionFactory()
    action.status = ActionStatus.IN_PROGRESS
    action.progress = 20
    action.save()
    milestone = MilestoneFactory(action=action)
    milestone.done_on = TODAY
    milestone.save()

    assert list(action.history.values_list("status", "progress")) == [
        (ActionStatus.IN_PROGRESS, 20),
        (ActionStatus.NOT_STARTED, 0),
    ]
    assert milestone.history.count() == 2
