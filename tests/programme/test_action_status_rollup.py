"""An action with sub-actions takes its state from them, as its progress: never « Non démarrée » while they run."""

import datetime

import pytest
from django.urls import reverse

from programme.enums import ActionStatus
from programme.models import Action, Axis
from tests.programme.factories import ActionFactory

pytestmark = pytest.mark.django_db

S = ActionStatus


def _parent(*children, own=S.NOT_STARTED):
    parent = ActionFactory(status=own)
    for status, progress in children:
        ActionFactory(sheet=parent.sheet, parent=parent, status=status, progress=progress)
    return Action.objects.get(pk=parent.pk)


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        ([(S.NOT_STARTED, 0), (S.NOT_STARTED, 0)], S.NOT_STARTED),
        ([(S.IN_PROGRESS, 30), (S.NOT_STARTED, 0)], S.IN_PROGRESS),
        ([(S.DONE, 100), (S.NOT_STARTED, 0)], S.IN_PROGRESS),
        ([(S.DONE, 100), (S.IN_PROGRESS, 50)], S.IN_PROGRESS),
        ([(S.NOT_STARTED, 10), (S.NOT_STARTED, 0)], S.IN_PROGRESS),  # some progress: started, as the bar shows
        ([(S.DELAYED, 20), (S.DONE, 100)], S.IN_PROGRESS),
        ([(S.DELAYED, 20), (S.IN_PROGRESS, 50)], S.IN_PROGRESS),
        ([(S.DELAYED, 20), (S.NOT_STARTED, 0)], S.DELAYED),
        ([(S.DONE, 100), (S.DONE, 100)], S.DONE),
    ],
)
def test_a_parent_state_rolls_up_from_its_sub_actions(children, expected):
    parent = _parent(*children)

    assert parent.status_value == expected
    assert parent.status_label == ActionStatus(expected).label


def test_the_rolled_up_state_agrees_with_the_rolled_up_progress():
    done = _parent((S.DONE, 100), (S.DONE, 100))
    untouched = _parent((S.NOT_STARTED, 0), (S.NOT_STARTED, 0), own=S.IN_PROGRESS)

    assert (done.status_value, done.progress_value) == (S.DONE, 100)
    assert (untouched.status_value, untouched.progress_value) == (S.NOT_STARTED, 0)  # its own status is ignored


def test_an_action_without_sub_actions_keeps_its_own_state():
    assert ActionFactory(status=S.DELAYED, progress=20).status_value == S.DELAYED


def test_with_plan_rolls_up_the_state_without_more_queries(django_assert_num_queries):
    parent = _parent((S.IN_PROGRESS, 30), (S.NOT_STARTED, 0))

    with django_assert_num_queries(3):
        axes = Axis.objects.with_plan(today=datetime.date(2025, 6, 1))
        rolled = [top.status_value for axis in axes for top in axis.sheet.top_actions if top.pk == parent.pk]

    assert rolled == [S.IN_PROGRESS]


@pytest.mark.usefixtures("reference_data")
def test_the_plan_pages_show_a_parent_in_progress_when_a_sub_action_runs(client, staff_user):
    Action.objects.filter(code="1.1.2").update(status=S.IN_PROGRESS, progress=60)

    public = client.get(reverse("programme:plan")).content.decode()
    client.force_login(staff_user)
    tracking = client.get(reverse("programme:plan"))

    assert 'id="action-11"><a href="/plan/actions/1.1/">Action 1.1</a>' in public
    section = public.split('id="action-11"', 1)[1].split('id="action-111"', 1)[0]
    assert "En cours" in section and "Non démarrée" not in section
    row = tracking.content.decode().split('href="/plan/actions/1.1/"', 1)[1].split("</tr>", 1)[0]
    assert "En cours" in row and "Non démarrée" not in row


@pytest.mark.usefixtures("reference_data")
def test_the_api_gives_the_rolled_up_state(client, staff_user):
    Action.objects.filter(code="3.1.1").update(status=S.DONE, progress=100)
    client.force_login(staff_user)

    row = client.get(reverse("api:action_detail", args=["3.1"])).json()

    assert (row["status"], row["status_label"], row["progress"]) == ("in_progress", "En cours", 50)
