"""The demo of `make demo`: each app owns its demo data; this module loads them in the order they need.

Everything is deterministic (fixed seeds, natural keys), so loading again updates the same rows instead of adding.
"""

from django.db import transaction

from accounts.demo import load_memberships, load_users
from accounts.enums import Role
from accounts.models import User
from actors.demo import load_actor_details, load_actors
from events.demo import load_events_demo
from fonciere.demo import load_fonciere_demo
from funding.demo import load_cofinancing_demo, load_grants_demo
from home.reference import load_reference
from procurement.demo import load_procurement_demo
from programme.demo import load_plan_demo
from programme.demo_indicators import load_indicators_demo
from quadripartite.demo import load_quadripartite_demo
from scic.demo import load_scic_demo


@transaction.atomic
def load_demo() -> dict[Role, User]:
    """Reference data, then the demo actors, accounts and applications; returns the demo users by role."""
    load_reference()
    actors = load_actors()
    load_actor_details(actors)
    users = load_users()
    load_memberships(actors, users[Role.APPLICANT])
    load_grants_demo(actors=actors, applicant=users[Role.APPLICANT], staff=users[Role.STAFF])
    load_plan_demo()
    load_procurement_demo(actors=actors, users=users)
    load_fonciere_demo(staff=users[Role.STAFF])
    load_scic_demo(staff=users[Role.STAFF])
    load_quadripartite_demo(staff=users[Role.STAFF], partner_user=users[Role.PARTNER])
    load_cofinancing_demo(staff=users[Role.STAFF])
    load_events_demo(staff=users[Role.STAFF])
    load_indicators_demo(staff=users[Role.STAFF])  # last: its computed measures read all the demo data
    return users
