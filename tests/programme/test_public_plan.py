"""The public version of the plan: anyone reads the plan's texts, states, progress and dated commitments at /plan/
and on each action's page; nothing entered for the service's internal follow-up shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from programme.enums import ActionStatus, RealisationKind, Rollup
from programme.models import Action, Realisation
from tests.funding.factories import ApplicationFactory, SupportSchemeFactory
from tests.programme.factories import ActionFactory, ActionSheetFactory, MilestoneFactory

PLAN_URL = reverse("programme:plan")

# What the service enters for its own follow-up, never shown to visitors: the responsible service, the steps staff
# add as milestones, a realisation's description, the applications linked to an action, unpublished schemes, the
# roll-up settings (mode, weights), the history of changes (who changed what).
INTERNAL = {
    "responsible service": "INTERNE-service-responsable",
    "staff milestone": "INTERNE-jalon-de-suivi",
    "realisation description": "INTERNE-commentaire-de-realisation",
    "application": "INTERNE-demande-aide",
    "unpublished scheme": "INTERNE-dispositif-brouillon",
    "roll-up mode": "Moyenne pondérée",
    "weights": "poids",
    "history": "Historique des modifications",
    "tracking form": "Enregistrer le suivi",
    "links column": "Dispositifs / demandes / réalisations",
}


def detail_url(code):
    return reverse("programme:action_detail", args=[code])


@pytest.fixture
def internal_data(reference_data, staff_user):
    """Action 2.3 and the sub-action 1.1.2 carrying every kind of internal data, with a recognisable author."""
    staff_user.first_name, staff_user.last_name = "Agathe", "INTERNE-auteur"
    staff_user.save()
    for code in ["2.3", "1.1.2"]:
        action = Action.objects.get(code=code)
        action.responsible_service = INTERNAL["responsible service"]
        action.status, action.progress = ActionStatus.IN_PROGRESS, 40
        action._history_user = staff_user
        action.save()
        MilestoneFactory(action=action, title=INTERNAL["staff milestone"])
        Realisation.objects.create(
            action=action,
            kind=RealisationKind.EVENT,
            title=f"Rencontre publique {code}",
            happened_on=datetime.date(2025, 3, 18),
            description=INTERNAL["realisation description"],
            created_by=staff_user,
        )
        ApplicationFactory(plan_action=action, title=INTERNAL["application"])
        SupportSchemeFactory(plan_action=action, title=INTERNAL["unpublished scheme"], draft=True)
        SupportSchemeFactory(plan_action=action, title=f"Fonds public {code}")
    Action.objects.filter(code="1.1").update(rollup=Rollup.WEIGHTED)
    return staff_user


def assert_nothing_internal(response, author):
    for what, text in INTERNAL.items():
        assert text not in response.content.decode(), what
    assertNotContains(response, str(author))


def test_a_visitor_reads_the_plan_without_logging_in(client, reference_data):
    response = client.get(PLAN_URL)

    assert response.status_code == 200
    assertTemplateUsed(response, "programme/plan_public.html")
    assertContains(response, "<h1>Plan d’actions ESS 2022–2026</h1>", html=True)
    assertContains(response, "Axe 3 – ")
    assertContains(response, "Sécurisation du parcours foncier et immobilier des acteurs ESS")
    assertContains(response, "<summary>Modalités (4)</summary>", html=True)
    assertContains(response, "Capitalisation de Bordeaux Métropole : début 2023")  # the calendar…
    assertContains(response, '<time datetime="2023-03-31">31/03/2023</time>', html=True)  # …and its milestone
    assertContains(response, "Non démarrée")


def test_a_visitor_reads_an_action_page_without_logging_in(client, reference_data):
    response = client.get(detail_url("3.4"))

    assert response.status_code == 200
    assertTemplateUsed(response, "programme/action_public.html")
    assertContains(response, "Lancement de l’expérimentation du dispositif ASR en 2022")
    assertContains(response, '<time datetime="2022-12-31">31/12/2022</time>', html=True)
    assert client.get(detail_url("9.9")).status_code == 404


def test_the_public_plan_shows_nothing_internal(client, internal_data):
    response = client.get(PLAN_URL)

    assertContains(response, "En cours")
    assertContains(response, '<progress max="100" value="40" aria-label="Avancement 2.3">40 %</progress>', html=True)
    assert_nothing_internal(response, internal_data)


@pytest.mark.parametrize("code", ["2.3", "1.1.2", "1.1"])
def test_the_public_action_page_shows_nothing_internal(client, internal_data, code):
    response = client.get(detail_url(code))

    assert response.status_code == 200
    assert_nothing_internal(response, internal_data)
    if code != "1.1":
        assertContains(response, f"Rencontre publique {code}")  # what was done is public, not its comment
        assertContains(response, f"Fonds public {code}")


def test_signed_in_users_who_do_not_follow_the_plan_get_the_public_version(client, internal_data, applicant_user):
    client.force_login(applicant_user)

    for url in [PLAN_URL, detail_url("2.3")]:
        response = client.get(url)
        assert response.status_code == 200
        assert_nothing_internal(response, internal_data)


def test_staff_keep_the_tracking_with_the_plan_text_and_all_milestones(client, internal_data):
    client.force_login(internal_data)

    response = client.get(PLAN_URL)
    assertTemplateUsed(response, "programme/plan.html")
    assertContains(response, INTERNAL["responsible service"])
    assertContains(response, INTERNAL["staff milestone"])
    assertContains(response, "Capitalisation de Bordeaux Métropole : début 2023")
    response = client.get(detail_url("2.3"))
    for what in ["responsible service", "staff milestone", "realisation description", "application", "history"]:
        assertContains(response, INTERNAL[what])
    assertContains(response, "Engagement du plan")


def _plan_of_size(actions_per_sheet):
    for number in (7, 8):
        sheet = ActionSheetFactory(axis__number=number)
        for _ in range(actions_per_sheet):
            parent = ActionFactory(sheet=sheet, status=ActionStatus.IN_PROGRESS, progress=20)
            MilestoneFactory.create_batch(2, action=parent, is_plan_commitment=True)
            MilestoneFactory(action=parent)  # internal: not even loaded
            for _ in range(2):
                child = ActionFactory(sheet=sheet, parent=parent, progress=50, status=ActionStatus.IN_PROGRESS)
                MilestoneFactory(action=child, is_plan_commitment=True, done_on=timezone.localdate())


@pytest.mark.parametrize("actions_per_sheet", [1, 12])
def test_the_public_plan_runs_the_same_queries_whatever_its_size(
    db, client, django_assert_num_queries, actions_per_sheet
):
    _plan_of_size(actions_per_sheet)

    # axes with their fiche, actions, the plan's milestones (no session for a visitor)
    with django_assert_num_queries(3):
        response = client.get(PLAN_URL)

    assert response.status_code == 200
    assert response.content.decode().count('class="plan-action') == 2 * 3 * actions_per_sheet


@pytest.mark.parametrize("sub_actions", [1, 8])
def test_the_public_action_page_runs_the_same_queries_whatever_its_sub_actions(
    db, client, django_assert_num_queries, sub_actions
):
    parent = ActionFactory()
    for _ in range(sub_actions):
        child = ActionFactory(sheet=parent.sheet, parent=parent, status=ActionStatus.IN_PROGRESS, progress=30)
        MilestoneFactory(action=child, is_plan_commitment=True)
    MilestoneFactory.create_batch(sub_actions, action=parent, is_plan_commitment=True)

    # the action, its sub-actions and theirs, its plan milestones, published schemes, realisations
    with django_assert_num_queries(6):
        response = client.get(detail_url(parent.code))

    assertContains(response, "En cours")
    assert response.content.decode().count("Jalon test") == sub_actions
