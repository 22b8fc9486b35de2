"""Benchmark of the council dossiers in PDF (issue 5): time and peak memory to render one « rapport de
présentation » and the dossier of a sitting of 50 applications.

    .venv/bin/python bench/dossiers.py [--applications 50]

Builds a throw-away SQLite database in a temporary folder (migrate + reference data), creates a sitting with
--applications proposed applications (each with a financing plan, an agrément and a previous aid), then runs the
two job handlers as the worker does. Peak RSS is the process's high-water mark (VmHWM in /proc/self/status).
Targets: one dossier ≤ 2 s; a 50-application sitting ≤ 60 s under 500 MB.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="ess-bench-dossiers-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{workdir}/media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_portal.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from stdnum import luhn  # noqa: E402

from accounts.models import User  # noqa: E402
from actors.enums import AgrementKind, LegalForm  # noqa: E402
from actors.models import Actor, Agrement, Commune  # noqa: E402
from ess_portal.jobs.enums import JobStatus  # noqa: E402
from ess_portal.jobs.services import execute_job  # noqa: E402
from funding import pdf_jobs  # noqa: E402
from funding.enums import ApplicationStatus, BudgetSection, FinancingSide, StateAidRegime  # noqa: E402
from funding.models import (  # noqa: E402
    Application,
    BudgetLine,
    CouncilSession,
    Decision,
    FinancingLine,
    SupportScheme,
)


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def fictitious_siret(number: int) -> str:
    siren = f"98{number % 1_000_000:06d}"
    siren += luhn.calc_check_digit(siren)
    return f"{siren}0001" + luhn.calc_check_digit(f"{siren}0001")


def build_session(count: int) -> CouncilSession:
    communes = list(Commune.objects.all()[:28])
    lines = [
        BudgetLine.objects.create(
            year=2030, section=section, code=f"ess-{n}", label=label, voted_amount=Decimal("5000000.00"), position=n
        )
        for n, (section, label) in enumerate(
            [
                (BudgetSection.FONCTIONNEMENT, "Subventions de fonctionnement aux structures de l’ESS"),
                (BudgetSection.FONCTIONNEMENT, "Appel à projets innovation sociale"),
                (BudgetSection.INVESTISSEMENT, "Équipement des structures de l’ESS"),
            ]
        )
    ]
    schemes = [
        SupportScheme.objects.create(
            title=f"Dispositif {n}",
            slug=f"dispositif-{n}",
            description="Dispositif du banc d’essai.",
            budget_line=line,
            state_aid_regime=StateAidRegime.DE_MINIMIS,
            opens_on=datetime.date(2030, 1, 1),
            ceiling_amount=Decimal("200000.00"),
            is_published=True,
        )
        for n, line in enumerate(lines)
    ]
    earlier = CouncilSession.objects.create(title="Conseil de Bordeaux Métropole", sits_on=datetime.date(2029, 6, 1))
    session = CouncilSession.objects.create(title="Conseil de Bordeaux Métropole", sits_on=datetime.date(2030, 6, 1))
    for n in range(count):
        actor = Actor.objects.create(
            name=f"Structure de l’ESS n° {n + 1}",
            siret=fictitious_siret(n + 1),
            legal_form=LegalForm.ASSOCIATION,
            commune=communes[n % len(communes)],
            address=f"{n + 1} rue de l’Économie solidaire",
        )
        Agrement.objects.create(actor=actor, kind=AgrementKind.ESUS)
        scheme = schemes[n % len(schemes)]
        amount = Decimal(5000 + 1000 * n)
        previous = Application.objects.create(
            actor=actor,
            scheme=scheme,
            title="Projet précédent",
            requested_amount=Decimal("4000.00"),
            status=ApplicationStatus.APPROVED,
            council_session=earlier,
        )
        Decision.objects.create(
            application=previous,
            council_session=earlier,
            deliberation_number=f"2029-{n + 1}",
            decided_on=earlier.sits_on,
            is_approved=True,
            granted_amount=Decimal("4000.00"),
        )
        application = Application.objects.create(
            actor=actor,
            scheme=scheme,
            title=f"Développement des activités solidaires – volet {n + 1}",
            summary="Le projet consolide l’activité de la structure et crée deux emplois en insertion. " * 4,
            requested_amount=amount,
            proposed_amount=amount,
            status=ApplicationStatus.PROPOSED,
            council_session=session,
            opinion="Avis favorable : projet cohérent avec le plan ESS. " * 3,
        )
        FinancingLine.objects.bulk_create(
            [
                FinancingLine(
                    application=application, side=FinancingSide.EXPENSE, label=label, amount=part, position=p
                )
                for p, (label, part) in enumerate([("Salaires et charges", amount), ("Achats et équipement", amount)])
            ]
            + [FinancingLine(application=application, side=FinancingSide.RESOURCE, label="Région", amount=amount)]
        )
    return session


def timed_job(request, **kwargs):
    # dev settings run Celery eagerly: the job may already have run when `request` returns; execute_job is
    # then a no-op. Either way the timing covers the whole rendering.
    start = time.perf_counter()
    job = request(**kwargs)
    execute_job(job_id=job.pk)
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_message
    return elapsed, job.result_file.size, peak_rss_mb()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=50)
    args = parser.parse_args()

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    session = build_session(args.applications)
    user = User.objects.create_user("bench-dossiers@example.org")
    print(f"setup (migrate, reference, {args.applications} applications)   {time.perf_counter() - start:8.2f} s")
    print(f"peak RSS after setup                          {peak_rss_mb():8.1f} MB")

    first, second = Application.objects.filter(council_session=session).order_by("pk")[:2]
    for label, application in (("(cold: imports, fonts)", first), ("(warm worker)", second)):
        seconds, size, peak = timed_job(pdf_jobs.request_application_dossier, application=application, by=user)
        print(f"one dossier {label:33} {seconds:8.2f} s  {size / 1024:7.0f} KB  peak RSS {peak:6.1f} MB")
    seconds, size, peak = timed_job(pdf_jobs.request_session_dossier, session=session, by=user)
    print(
        f"session dossier, {args.applications} applications              "
        f"{seconds:8.2f} s  {size / 1024:7.0f} KB  peak RSS {peak:6.1f} MB"
    )


if __name__ == "__main__":
    main()
