from decimal import Decimal

import factory
from django.utils import timezone

from funding.enums import ApplicationStatus, BudgetSection
from funding.models import Application, BudgetLine
from tests.actors.factories import ActorFactory


class BudgetLineFactory(factory.django.DjangoModelFactory):
    """A budget line; `BudgetLineFactory(investment=True)` or `(out_of_plan=True)` for the other tables."""

    class Meta:
        model = BudgetLine

    class Params:
        investment = factory.Trait(section=BudgetSection.INVESTISSEMENT)
        out_of_plan = factory.Trait(is_in_plan=False)

    year = 2024
    section = BudgetSection.FONCTIONNEMENT
    is_in_plan = True
    code = factory.Sequence(lambda n: f"ligne-test-{n}")
    label = factory.Sequence(lambda n: f"Ligne test {n}")
    voted_amount = Decimal("100000.00")
    position = factory.Sequence(lambda n: n)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A grant application; `ApplicationFactory(submitted=True)` sets the status and the submission date."""

    class Meta:
        model = Application

    class Params:
        submitted = factory.Trait(
            status=ApplicationStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )

    actor = factory.SubFactory(ActorFactory)
    title = factory.Sequence(lambda n: f"Projet test {n}")
    requested_amount = Decimal("15000.00")
    status = ApplicationStatus.DRAFT
