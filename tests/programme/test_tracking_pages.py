import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from programme.enums import ActionStatus
from programme.models import Action, Milestone
from tests.funding.factories import ApplicationFactory, SupportSchemeFactory
from tests.programme.factories import MilestoneFactory

pytestmark = pytest.mark.usefixtures("reference_data")

PLAN_URL = reverse("programme:plan")


def detail_url(code):
    return reverse("programme:action_detail", args=[code])


@pytest.mark.parametrize("role_user", ["staff_user", "elected_user", "partner_user", "admin_user"])
def test_staff_elected_partners_and_admins_read_the_plan(client, request, role_user):
    client.force_login(request.getfixturevalue(role_user))
    response = client.get(PLAN_URL)
    assertContains(response, "Axe 3")
    assertContains(response, f'<a href="{detail_url("1.1.2")}">1.1.2</a>', html=True)
    assertContains(response, "Plan d’actions</a>")
    assert client.get(detail_url("2.3")).status_code == 200


@pytest.mark.parametrize("role_user", ["applicant_user", "procurement_user"])
def test_applicants_and_buyers_get_the_public_plan_not_its_tracking(client, request, role_user):
    client.force_login(request.getfixturevalue(role_user))
    assertTemplateUsed(client.get(PLAN_URL), "programme/plan_public.html")
    assertTemplateUsed(client.get(detail_url("2.3")), "programme/action_public.html")


def test_an_unknown_action_code_is_a_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(detail_url("9.9")).status_code == 404


def test_the_plan_shows_progress_as_accessible_progress_bars_and_rolls_up_sub_actions(client, elected_user):
    Action.objects.filter(code="1.1.1").update(progress=100, status=ActionStatus.DONE)
    client.force_login(elected_user)
    response = client.get(PLAN_URL)
    label = "Avancement 1.1 – Développer 4 filières prioritaires sur la Métropole en lien avec l’ESS"
    assertContains(response, f'<progress max="100" value="25" aria-label="{label}">25 %</progress>', html=True)
    assertContains(response, "Réalisée")


def test_overdue_milestones_are_highlighted_on_the_plan(client, partner_user):
    action = Action.objects.get(code="2.1")
    MilestoneFactory(
        action=action, title="Comité de filière", due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    MilestoneFactory(action=action, title="Bilan futur", due_on=timezone.localdate() + datetime.timedelta(days=3))
    client.force_login(partner_user)
    response = client.get(PLAN_URL)
    assertContains(response, "Comité de filière")
    assertContains(response, "En retard")
    assertNotContains(response, "En retard</span> Bilan futur")


def test_the_action_page_lists_linked_schemes_and_applications(client, staff_user):
    action = Action.objects.get(code="2.3")
    scheme = SupportSchemeFactory(plan_action=action, title="Fonds d’amorçage")
    ApplicationFactory(plan_action=action, scheme=scheme, title="Atelier vélo solidaire")
    client.force_login(staff_user)
    response = client.get(detail_url("2.3"))
    assertContains(response, "Dispositifs de soutien (1)")
    assertContains(response, "Fonds d’amorçage")
    assertContains(response, "Demandes d’aide (1)")
    assertContains(response, "Atelier vélo solidaire")


def test_staff_update_the_tracking_and_the_change_is_in_the_history(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("programme:action_update", args=["2.3"]),
        {"status": ActionStatus.IN_PROGRESS, "progress": 40, "responsible_service": "Direction de l’ESS", "weight": 1},
        follow=True,
    )
    assertContains(response, "Le suivi de l’action 2.3 a été mis à jour.")
    action = Action.objects.get(code="2.3")
    assert (action.status, action.progress, action.responsible_service) == ("in_progress", 40, "Direction de l’ESS")
    assert action.history.first().history_user == staff_user
    assertContains(response, "En cours, 40 %, Direction de l’ESS")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"status": ActionStatus.DONE, "progress": 80, "weight": 1}, "Une action réalisée est avancée à 100 %."),
        ({"status": ActionStatus.IN_PROGRESS, "progress": 120, "weight": 1}, "inférieure ou égale à 100"),
    ],
)
def test_invalid_tracking_is_refused_with_a_french_message(client, staff_user, data, error):
    client.force_login(staff_user)
    response = client.post(reverse("programme:action_update", args=["2.3"]), data)
    assert response.status_code == 400
    assertContains(response, error, status_code=400)
    assert Action.objects.get(code="2.3").progress == 0


@pytest.mark.parametrize("role_user", ["elected_user", "partner_user"])
def test_elected_officials_and_partners_cannot_edit_the_plan(client, request, role_user):
    action = Action.objects.get(code="2.3")
    milestone = MilestoneFactory(action=action)
    client.force_login(request.getfixturevalue(role_user))
    response = client.get(detail_url("2.3"))
    assertNotContains(response, "Enregistrer le suivi")
    urls_and_data = [
        (reverse("programme:action_update", args=["2.3"]), {"status": "done", "progress": 100}),
        (reverse("programme:milestone_create", args=["2.3"]), {"title": "X", "due_on": "2026-01-01"}),
        (reverse("programme:milestone_mark_done", args=["2.3", milestone.pk]), {}),
    ]
    for url, data in urls_and_data:
        assert client.post(url, data).status_code == 403
    action.refresh_from_db()
    milestone.refresh_from_db()
    assert (action.status, action.progress, milestone.done_on) == ("not_started", 0, None)
    assert Milestone.objects.filter(is_plan_commitment=False).count() == 1


def test_staff_add_a_milestone_and_mark_it_done(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("programme:milestone_create", args=["1.2"]),
        {"title": "Premier comité", "due_on": "2026-03-31"},
        follow=True,
    )
    assertContains(response, "Le jalon « Premier comité » a été ajouté.")
    milestone = Milestone.objects.get(action__code="1.2")
    response = client.post(reverse("programme:milestone_mark_done", args=["1.2", milestone.pk]), follow=True)
    assertContains(response, "est marqué comme réalisé")
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    assert milestone.history.count() == 2


def test_a_milestone_needs_a_due_date_and_cannot_be_done_in_the_future(client, staff_user):
    client.force_login(staff_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("programme:milestone_create", args=["1.2"]),
        {"title": "Comité", "due_on": "", "done_on": tomorrow.isoformat()},
    )
    assertContains(response, "La date de réalisation ne peut pas être dans le futur.", status_code=400)
    assertContains(response, "Ce champ est obligatoire.", status_code=400)
    assert not Milestone.objects.filter(is_plan_commitment=False).exists()


@pytest.mark.parametrize("milestones_per_action", [1, 10])
def test_the_plan_runs_the_same_queries_whatever_the_number_of_milestones_and_links(
    client, staff_user, django_assert_num_queries, milestones_per_action
):
    late = timezone.localdate() - datetime.timedelta(days=1)
    for action in Action.objects.all():
        MilestoneFactory.create_batch(milestones_per_action, action=action, due_on=late)
        SupportSchemeFactory.create_batch(milestones_per_action // 5 + 1, plan_action=action)
    client.force_login(staff_user)
    # session, user, roles (groups), axes with their fiche, actions with counts, overdue milestones
    with django_assert_num_queries(6):
        response = client.get(PLAN_URL)
    axes = response.context["axes"]
    overdue = [
        m
        for axis in axes
        for top in axis.sheet.top_actions
        for a in [top, *top.sub_actions]
        for m in a.overdue_milestones
    ]
    # The plan's own dated commitments (2022–2024) are overdue too until staff mark them done.
    plan_commitments = Milestone.objects.plan_commitments().count()
    assert len(overdue) == Action.objects.count() * milestones_per_action + plan_commitments


def test_an_action_with_sub_actions_chooses_its_rollup_and_is_done_only_when_they_all_are(client, staff_user):
    Action.objects.filter(code__in=["1.1.1", "1.1.2"]).update(progress=100, status=ActionStatus.DONE, weight=3)
    client.force_login(staff_user)
    url = reverse("programme:action_update", args=["1.1"])
    response = client.get(detail_url("1.1"))
    assert "progress" not in response.context["tracking_form"].fields
    assert "status" not in response.context["tracking_form"].fields  # rolled up from the sub-actions

    client.post(url, {"status": ActionStatus.DONE, "rollup": "weighted", "weight": 1})
    action = Action.objects.get(code="1.1")
    assert (action.rollup, action.progress, action.progress_value) == ("weighted", 75, 75)  # 3 + 3 of 8 weights
    assert action.status == ActionStatus.IN_PROGRESS  # a posted status is ignored: the sub-actions decide
    Action.objects.filter(code__in=["1.1.3", "1.1.4"]).update(progress=100, status=ActionStatus.DONE)
    client.post(url, {"rollup": "weighted", "weight": 1})
    assert Action.objects.get(code="1.1").status == ActionStatus.DONE
