from decimal import Decimal

from django.core.management import call_command

from actors.models import Commune
from filieres.models import Filiere, Segment
from funding.models import BudgetLine
from programme.models import Action, ActionSheet, Axis
from quadripartite.models import Partner

MODELS = [Commune, Filiere, Segment, Partner, Axis, ActionSheet, Action, BudgetLine]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_reference_loads_every_table(db):
    call_command("load_reference")

    assert counts() == {
        "Commune": 28,
        "Filiere": 4,
        "Segment": 15,
        "Partner": 10,
        "Axis": 3,
        "ActionSheet": 3,
        "Action": 19,
        "BudgetLine": 65,
    }


def test_load_reference_twice_changes_nothing(db):
    call_command("load_reference")
    before = counts()
    snapshot = list(BudgetLine.objects.values_list("year", "code", "voted_amount"))

    call_command("load_reference")

    assert counts() == before
    assert list(BudgetLine.objects.values_list("year", "code", "voted_amount")) == snapshot


def test_load_reference_restores_a_modified_amount_and_name(db):
    call_command("load_reference")
    BudgetLine.objects.filter(year=2024, code="soutiens-reseaux").update(voted_amount=Decimal("1.00"))
    Commune.objects.filter(insee_code="33063").update(name="Bordeaux (modifié)")

    call_command("load_reference")

    assert BudgetLine.objects.get(year=2024, code="soutiens-reseaux").voted_amount == Decimal("130000.00")
    assert Commune.objects.get(insee_code="33063").name == "Bordeaux"


def test_load_reference_keeps_rows_that_others_point_to(db):
    call_command("load_reference")
    segment_ids = set(Segment.objects.values_list("pk", flat=True))

    call_command("load_reference")

    assert set(Segment.objects.values_list("pk", flat=True)) == segment_ids
