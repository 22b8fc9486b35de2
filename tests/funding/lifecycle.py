"""Builders of applications at each step of the workflow, through the real services (tests of issue 4)."""

import datetime
from decimal import Decimal

from funding import services
from funding.enums import FinancingSide
from tests.actors.factories import ActorFactory
from tests.funding.factories import (
    ApplicationFactory,
    CouncilSessionFactory,
    DocumentFactory,
    FinancingLineFactory,
    SupportSchemeFactory,
)


def ready_application(*, actor=None, scheme=None, requested=Decimal("15000.00"), **kwargs):
    """A complete draft: scheme open, dates, balanced plan (expenses = co-financing + requested), vault documents."""
    scheme = scheme or SupportSchemeFactory()
    actor = actor or ActorFactory()
    application = ApplicationFactory(
        actor=actor,
        scheme=scheme,
        requested_amount=requested,
        starts_on=datetime.date(2030, 3, 1),
        ends_on=datetime.date(2030, 12, 31),
        **kwargs,
    )
    FinancingLineFactory(application=application, side=FinancingSide.EXPENSE, amount=requested + Decimal("5000"))
    FinancingLineFactory(application=application, side=FinancingSide.RESOURCE, amount=Decimal("5000"))
    for kind in scheme.required_documents:
        DocumentFactory(actor=actor, kind=kind)
    return application


def proposed_application(*, by, session=None, proposed=None, **kwargs):
    application = ready_application(**kwargs)
    services.submit_application(application=application, by=by)
    services.start_review(application=application, by=by)
    services.give_opinion(
        application=application, by=by, opinion="Favorable.", proposed_amount=proposed or application.requested_amount
    )
    services.propose_to_session(application=application, by=by, session=session or CouncilSessionFactory())
    return application


def approved_application(*, by, amount=None, **kwargs):
    application = proposed_application(by=by, **kwargs)
    services.approve_application(
        application=application,
        by=by,
        amount=amount or application.proposed_amount,
        deliberation_number=f"2030-{application.pk}",
        decided_on=application.council_session.sits_on,
    )
    return application
