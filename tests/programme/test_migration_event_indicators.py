"""Migration 0007: the event indicators shipped without a computation are computed from the events register; one
that staff set otherwise is left alone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("programme", "0007_milestone_is_plan_commitment")]
AFTER = [("programme", "0008_event_indicators_computed")]


@pytest.mark.django_db(transaction=True)
def test_the_event_indicators_become_computed_unless_staff_chose_otherwise():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Indicator = executor.loader.project_state(BEFORE).apps.get_model("programme", "Indicator")
    Indicator.objects.filter(code__in=["evenements-ess", "personnes-sensibilisees"]).delete()
    events = Indicator.objects.create(code="evenements-ess", name="Évènements", kind="activity", unit="nombre")
    people = Indicator.objects.create(
        code="personnes-sensibilisees", name="Personnes", kind="activity", unit="personnes", computation="other"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    Indicator = executor.loader.project_state(AFTER).apps.get_model("programme", "Indicator")

    assert Indicator.objects.get(pk=events.pk).computation == "ess_events"
    assert Indicator.objects.get(pk=people.pk).computation == "other"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
