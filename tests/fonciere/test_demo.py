import pytest

from accounts.enums import Role
from fonciere.demo import load_fonciere_demo
from fonciere.enums import PremisesRequestStatus
from fonciere.models import Capitalisation, CommitteeSitting, Lease, PremisesRequest, Property
from funding.models import BudgetLine
from home.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_lets_three_properties_and_commits_the_2023_capitalisation_once(db):
    users = load_demo()
    counts = (Property.objects.count(), Lease.objects.count(), Capitalisation.objects.count())
    assert counts == (3, 4, 1)
    assert Property.objects.values("commune").distinct().count() == 3
    assert not Lease.objects.filter(signed_on__isnull=True).exists()

    load_fonciere_demo(staff=users[Role.STAFF])
    assert (Property.objects.count(), Lease.objects.count(), Capitalisation.objects.count()) == counts
    line = BudgetLine.objects.get(year=2023, code="capitalisation-fonciere-solidaire")
    assert line.committed_amount == line.voted_amount


def test_the_demo_comite_has_given_three_opinions_and_the_demo_applicant_awaits_the_next_sitting(db):
    users = load_demo()
    past, upcoming = CommitteeSitting.objects.order_by("held_on")
    assert sorted(past.proposals.values_list("decision", flat=True)) == ["adjourned", "favourable", "unfavourable"]
    assert past.proposals.get(decision="favourable").property.name == "Ateliers des Terres Neuves"
    applicant_need = upcoming.proposals.get().request
    assert applicant_need.actor.memberships.filter(user=users[Role.APPLICANT]).exists()
    assert applicant_need.status == PremisesRequestStatus.ON_AGENDA

    load_fonciere_demo(staff=users[Role.STAFF])
    assert (CommitteeSitting.objects.count(), PremisesRequest.objects.count()) == (2, 4)
