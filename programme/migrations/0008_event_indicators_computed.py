"""The indicators of ESS events and of the people made aware are computed from the events register (`events`)
from now on, when staff have not chosen a computation for them already."""

from django.db import migrations

COMPUTATIONS = {"evenements-ess": "ess_events", "personnes-sensibilisees": "people_made_aware"}


def compute_event_indicators(apps, schema_editor):
    Indicator = apps.get_model("programme", "Indicator")
    for code, computation in COMPUTATIONS.items():
        Indicator.objects.filter(code=code, computation="").update(computation=computation)


def enter_event_indicators_again(apps, schema_editor):
    Indicator = apps.get_model("programme", "Indicator")
    for code, computation in COMPUTATIONS.items():
        Indicator.objects.filter(code=code, computation=computation).update(computation="")


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0007_milestone_is_plan_commitment"),
    ]

    operations = [
        migrations.RunPython(compute_event_indicators, enter_event_indicators_again),
    ]
