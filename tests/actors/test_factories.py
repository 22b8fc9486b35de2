from stdnum.fr import siret

from tests.actors.factories import ActorFactory, fictitious_siret
from tests.funding.factories import ApplicationFactory


def test_fictitious_sirets_are_valid_and_distinct():
    numbers = {fictitious_siret(n) for n in range(500)}

    assert len(numbers) == 500
    assert all(siret.is_valid(number) for number in numbers)


def test_actor_factory_builds_a_valid_actor_with_members(db, applicant_user):
    actor = ActorFactory(public=True, members=[applicant_user])
    actor.full_clean()

    assert actor.is_public
    assert list(type(actor).objects.of_user(applicant_user)) == [actor]


def test_application_factory_submitted_trait_sets_the_date(db):
    application = ApplicationFactory(submitted=True)

    assert application.status == "submitted"
    assert application.submitted_at is not None
