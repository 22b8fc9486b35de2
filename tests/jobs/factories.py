import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from actors.models import Commune
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from filieres.models import Filiere, Segment
from funding.enums import BudgetSection
from funding.models import BudgetLine
from programme.models import Action, ActionSheet, Axis
from quadripartite.models import Partner
from tests.accounts.factories import UserFactory


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = JobKind.REFERENCE_EXPORT
    requested_by = factory.SubFactory(UserFactory)
    status = JobStatus.QUEUED

    class Params:
        running = factory.Trait(
            status=JobStatus.RUNNING,
            attempts=1,
            progress=40,
            progress_message="Communes",
            started_at=factory.LazyFunction(timezone.now),
            heartbeat_at=factory.LazyFunction(timezone.now),
        )
        done = factory.Trait(
            status=JobStatus.DONE,
            attempts=1,
            progress=100,
            started_at=factory.LazyFunction(timezone.now),
            finished_at=factory.LazyFunction(timezone.now),
            result_file=factory.LazyAttribute(lambda job: ContentFile(b"PK fake xlsx", name="resultat.xlsx")),
        )
        failed = factory.Trait(
            status=JobStatus.FAILED,
            attempts=3,
            started_at=factory.LazyFunction(timezone.now),
            finished_at=factory.LazyFunction(timezone.now),
            error_message="La tâche a échoué après 3 tentatives.",
            error_details="Traceback (most recent call last): …",
        )


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["insee_code"]

    insee_code = factory.Sequence(lambda n: f"33{n:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    slug = factory.Sequence(lambda n: f"commune-{n}")


class FiliereFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Filiere

    code = factory.Sequence(lambda n: f"1.1.{n}")
    name = factory.Sequence(lambda n: f"Filière {n}")
    slug = factory.Sequence(lambda n: f"filiere-{n}")


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    filiere = factory.SubFactory(FiliereFactory)
    name = factory.Sequence(lambda n: f"Segment {n}")
    slug = factory.Sequence(lambda n: f"segment-{n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Collectivité {n}")
    short_name = factory.Sequence(lambda n: f"C{n}")
    slug = factory.Sequence(lambda n: f"collectivite-{n}")
    kind = "Commune"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    sheet = factory.LazyFunction(
        lambda: ActionSheet.objects.get_or_create(
            number=1, defaults={"axis": Axis.objects.get_or_create(number=1, defaults={"title": "Axe 1"})[0]}
        )[0]
    )
    code = factory.Sequence(lambda n: f"1.{n}")
    title = factory.Sequence(lambda n: f"Action {n}")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    year = 2024
    section = BudgetSection.FONCTIONNEMENT
    code = factory.Sequence(lambda n: f"ligne-{n}")
    label = factory.Sequence(lambda n: f"Ligne {n}")
    voted_amount = "120000.00"
