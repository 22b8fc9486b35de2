"""Admin pages of the reference and programme models: they open, and list pages do not grow in queries."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import Actor, Commune
from filieres.models import Filiere, Segment
from funding.models import Application, BudgetLine
from programme.models import Action, ActionSheet, Axis
from quadripartite.models import Partner
from tests.actors.factories import ActorFactory
from tests.funding.factories import ApplicationFactory

MODELS = [Commune, Actor, Filiere, Segment, BudgetLine, Application, Partner, Axis, ActionSheet, Action]


@pytest.fixture
def demo_data(db):
    call_command("load_demo")


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_admin_changelist_search_and_change_pages_open(client, admin_user, demo_data, model):
    client.force_login(admin_user)
    opts = model._meta
    obj = model.objects.first()

    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "a"}).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200


def test_actor_admin_filters_by_filiere_and_legal_form(client, admin_user, demo_data):
    client.force_login(admin_user)
    filiere = Filiere.objects.get(code="1.1.3")

    response = client.get(
        reverse("admin:actors_actor_changelist"), {"filieres__id__exact": filiere.pk, "legal_form": "scop"}
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == Actor.objects.filter(filieres=filiere, legal_form="scop").count()


def test_staff_agent_without_admin_access_is_redirected_from_the_admin(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("admin:actors_actor_changelist")).status_code == 302


@pytest.mark.parametrize(
    ("factory", "url_name"),
    [(ActorFactory, "admin:actors_actor_changelist"), (ApplicationFactory, "admin:funding_application_changelist")],
    ids=["actor", "application"],
)
def test_admin_changelists_run_the_same_queries_for_3_and_30_rows(client, admin_user, factory, url_name):
    client.force_login(admin_user)
    counts = []
    for rows in (3, 27):
        factory.create_batch(rows)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
