import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

import programme
from events.enums import EventKind
from programme.indicators import COMPUTATIONS
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_ess_events_count_the_years_held_events_by_kind():
    EventFactory(held=True)
    EventFactory(kind=EventKind.MARCHE_NOEL, starts_on=datetime.date(2025, 12, 12))
    EventFactory(starts_on=datetime.date(2024, 11, 5))
    rows = COMPUTATIONS["ess_events"].function(2025)
    assert rows[0] == ("", "", Decimal("2.00"))
    assert ("forum", "Forum ESS", Decimal("1.00")) in rows


def test_people_made_aware_add_the_elected_and_agents_who_came():
    EventFactory(held=True)  # 5 élus, 20 agents, 100 public
    EventFactory(
        elected_count=2, staff_count=3, public_count=50, attendance_recorded_at=datetime.datetime.now(datetime.UTC)
    )
    EventFactory()  # attendance not recorded yet
    assert COMPUTATIONS["people_made_aware"].function(2025) == [
        ("", "", Decimal("30.00")),
        ("elus", "Élus", Decimal("7.00")),
        ("agents", "Techniciens et agents", Decimal("23.00")),
    ]


def test_the_reference_indicators_are_computed_from_the_events():
    data = json.loads((Path(programme.__file__).parent / "data" / "indicators.json").read_text())
    items = data if isinstance(data, list) else data["indicators"]
    computations = {item["code"]: item["computation"] for item in items}
    assert computations["evenements-ess"] == "ess_events"
    assert computations["personnes-sensibilisees"] == "people_made_aware"
