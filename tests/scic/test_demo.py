from decimal import Decimal

import pytest

from accounts.enums import Role
from funding.models import Commitment
from home.demo import load_demo
from scic.demo import load_scic_demo
from scic.models import Representative, Scic, ShareMovement


@pytest.mark.django_db
def test_the_demo_has_two_scic_one_near_the_public_cap_and_loading_it_again_adds_nothing():
    users = load_demo()
    load_scic_demo(staff=users[Role.STAFF])  # home.demo.load_demo does not call it yet
    counts = [ShareMovement.objects.count(), Commitment.objects.count(), Representative.objects.count()]

    figures = {scic.actor.name: scic for scic in Scic.objects.with_figures()}
    assert set(figures) == {"Bocal Consigné Aquitain", "Les Coursiers de la Jalle"}
    assert figures["Les Coursiers de la Jalle"].public_percent == Decimal("48.2")
    assert figures["Bocal Consigné Aquitain"].public_percent == Decimal("28.8")
    assert ShareMovement.objects.filter(commitment__budget_line__year=2023).count() == 2

    load_scic_demo(staff=users[Role.STAFF])
    assert [ShareMovement.objects.count(), Commitment.objects.count(), Representative.objects.count()] == counts
