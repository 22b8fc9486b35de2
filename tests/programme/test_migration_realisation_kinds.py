"""Migration 0006: the realisations once recorded as SCIC stakes or foncière operations stay on their action as
« autre réalisation » with a note, and the SCIC indicator moves to the register's subscriptions."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("programme", "0005_action_realisations")]
AFTER = [("programme", "0006_realisation_kinds_without_scic_and_fonciere")]


@pytest.mark.django_db(transaction=True)
def test_former_scic_stakes_become_other_realisations_with_a_note_and_the_indicator_reads_the_register():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Axis = old_apps.get_model("programme", "Axis")
    ActionSheet = old_apps.get_model("programme", "ActionSheet")
    Action = old_apps.get_model("programme", "Action")
    Realisation = old_apps.get_model("programme", "Realisation")
    Indicator = old_apps.get_model("programme", "Indicator")
    axis = Axis.objects.create(number=9, title="Axe")
    sheet = ActionSheet.objects.create(axis=axis, number=9, title="Fiche")
    action = Action.objects.create(sheet=sheet, code="9.9", title="Action")
    stake = Realisation.objects.create(
        action=action, kind="scic_stake", title="Entrée au capital", happened_on=datetime.date(2025, 6, 20)
    )
    event = Realisation.objects.create(
        action=action, kind="event", title="Forum", happened_on=datetime.date(2025, 3, 1)
    )
    indicator = Indicator.objects.create(
        code="scic-test", name="Participations", kind="activity", unit="nombre", computation="scic_stakes_recorded"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    Realisation = new_apps.get_model("programme", "Realisation")
    Indicator = new_apps.get_model("programme", "Indicator")

    stake = Realisation.objects.get(pk=stake.pk)
    assert stake.kind == "other"
    assert "Enregistrée auparavant comme « Prise de participation au capital d’une SCIC »" in stake.description
    assert Realisation.objects.get(pk=event.pk).kind == "event"
    assert Indicator.objects.get(pk=indicator.pk).computation == "scic_subscriptions"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
