import pytest

from accounts.enums import Role
from events.demo import load_events_demo
from events.models import Event, GsefParticipation, JuryMember, Laureate, PrizeCandidate
from funding.models import Commitment, Payment
from home.demo import load_demo

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        model.objects.count()
        for model in (Event, PrizeCandidate, JuryMember, Laureate, GsefParticipation, Commitment, Payment)
    )


def test_the_demo_pays_two_laureates_once_and_loading_again_adds_nothing(db):
    users = load_demo()
    assert Laureate.objects.count() == 2
    assert Event.objects.filter(kind="mois_ess").count() == 2
    assert GsefParticipation.objects.count() == 3
    assert all(laureate.commitment.paid_amount == laureate.amount for laureate in Laureate.objects.all())
    counts = _counts()
    load_events_demo(staff=users[Role.STAFF])
    assert _counts() == counts
