"""Benchmark of the elected officials' dashboard (issue 5): 5 years × 1,000 applications on PostgreSQL.

    .venv/bin/python bench/dashboard.py            # DATABASE_URL defaults to postgres://…/ess_bench_dashboard
    .venv/bin/python bench/dashboard.py --per-year 1000 --rounds 30

Prepares the database once (migrate, reference data, 500 fake actors spread over the 28 communes, then
--per-year applications for each of the plan's 5 years, over the 4 filières, with their decisions, commitments on
the year's budget lines and payments, the lines' committed totals updated in SQL; milestones on every action; a
target and a measurement per year for each active indicator) and reuses it on the next run. Then prints p50/p95 of
`/plan/tableau-de-bord/?annee=…` for an elected official over --rounds requests per year, and the number of SQL
queries per request. Target: p95 ≤ 300 ms.
"""

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_portal.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ess_bench_dashboard")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["LOG_LEVEL"] = "WARNING"

BENCH_PREFIX = "[bench-dashboard] "
YEARS = [2022, 2023, 2024, 2025, 2026]
TARGET_P95_MS = 300


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def ensure_database() -> None:
    """Create the benchmark database on the PostgreSQL server if it does not exist yet."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    import psycopg

    params = settings.DATABASES["default"]
    conninfo = {
        "host": params.get("HOST") or "127.0.0.1",
        "port": params.get("PORT") or 5432,
        "user": params.get("USER") or "postgres",
        "password": params.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{params["NAME"]}"')


def generate(per_year: int, *, seed: int = 5) -> None:
    """Applications of the bench for each year, up to `per_year` (idempotent: only the missing ones are added)."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from actors.models import Actor
    from filieres.models import Filiere
    from funding.enums import ApplicationStatus as S
    from funding.enums import PaymentKind, StateAidRegime
    from funding.models import Application, BudgetLine, Commitment, CouncilSession, Decision, Payment, SupportScheme

    rng = random.Random(seed)
    actor_ids = list(Actor.objects.values_list("pk", flat=True)[:2000])
    filiere_ids = list(Filiere.objects.values_list("pk", flat=True)) + [None]
    statuses = [S.SUBMITTED, S.IN_REVIEW, S.PROPOSED, S.APPROVED, S.REJECTED, S.AGREEMENT_SIGNED, S.PAID, S.CLOSED]
    weights = [8, 8, 4, 15, 10, 15, 20, 20]
    for year in YEARS:
        existing = Application.objects.filter(title__startswith=f"{BENCH_PREFIX}{year} ").count()
        if existing >= per_year:
            continue
        with transaction.atomic():
            lines = list(BudgetLine.objects.filter(year=year, voted_amount__gte=20000))
            schemes = [
                SupportScheme.objects.get_or_create(
                    slug=f"bench-dashboard-{year}-{line.code}"[:200],
                    defaults={
                        "title": f"{BENCH_PREFIX}{line.label} {year}",
                        "description": "Dispositif de test de charge du tableau de bord.",
                        "budget_line": line,
                        "state_aid_regime": StateAidRegime.DE_MINIMIS,
                        "opens_on": datetime.date(year, 1, 1),
                        "closes_on": datetime.date(year, 12, 31),
                        "ceiling_amount": Decimal("50000"),
                        "is_published": True,
                    },
                )[0]
                for line in lines
            ]
            # Each line receives about per_year / len(lines) aids; their sum stays below its voted amount.
            share = Decimal(len(lines)) / Decimal(per_year) / Decimal("1.6")
            sessions = [
                CouncilSession.objects.get_or_create(
                    sits_on=datetime.date(year, month, 15), defaults={"title": "Conseil"}
                )[0]
                for month in (3, 6, 10, 12)
            ]
            applications = []
            for n in range(existing, per_year):
                scheme = rng.choice(schemes)
                status = rng.choices(statuses, weights)[0]
                applications.append(
                    Application(
                        actor_id=rng.choice(actor_ids),
                        scheme=scheme,
                        filiere_id=rng.choices(filiere_ids, [3, 3, 3, 3, 1])[0],
                        title=f"{BENCH_PREFIX}{year} projet {n}",
                        requested_amount=Decimal(rng.randrange(1000, 40000)),
                        proposed_amount=(
                            scheme.budget_line.voted_amount * share * Decimal(rng.uniform(0.5, 1))
                        ).quantize(Decimal("0.01")),
                        status=status,
                        starts_on=datetime.date(year, 3, 1),
                        ends_on=datetime.date(year, 12, 31),
                        council_session=None if status in (S.SUBMITTED, S.IN_REVIEW) else rng.choice(sessions),
                        submitted_at=timezone.make_aware(
                            datetime.datetime(year, 1, 1) + datetime.timedelta(days=rng.randrange(300))
                        ),
                    )
                )
            applications = Application.objects.bulk_create(applications, batch_size=1000)
            decided = [a for a in applications if a.status not in (S.SUBMITTED, S.IN_REVIEW, S.PROPOSED)]
            Decision.objects.bulk_create(
                [
                    Decision(
                        application=a,
                        council_session=a.council_session,
                        deliberation_number=f"BD-{a.pk}",
                        decided_on=a.council_session.sits_on,
                        is_approved=a.status != S.REJECTED,
                        granted_amount=a.proposed_amount if a.status != S.REJECTED else None,
                        refusal_reason="" if a.status != S.REJECTED else "Hors champ.",
                    )
                    for a in decided
                ],
                batch_size=1000,
            )
            approved = [a for a in decided if a.status != S.REJECTED]
            paid_share = {S.APPROVED: Decimal(0), S.AGREEMENT_SIGNED: Decimal("0.5"), S.PAID: Decimal(1)}
            commitments = Commitment.objects.bulk_create(
                [
                    Commitment(
                        application=a,
                        budget_line_id=a.scheme.budget_line_id,
                        amount=a.proposed_amount,
                        paid_amount=(a.proposed_amount * paid_share.get(a.status, Decimal(1))).quantize(
                            Decimal("0.01")
                        ),
                        idempotency_key=f"bench-dashboard-{a.pk}",
                        legal_commitment_number=f"EJ-BD-{a.pk}",
                    )
                    for a in approved
                ],
                batch_size=1000,
            )
            Payment.objects.bulk_create(
                [
                    Payment(
                        commitment=c,
                        kind=PaymentKind.SINGLE if c.paid_amount == c.amount else PaymentKind.ADVANCE,
                        amount=c.paid_amount,
                        due_on=datetime.date(year, 6, 30),
                        paid_on=datetime.date(year, 7, 15),
                        payment_order_number=f"M-BD-{c.pk}",
                    )
                    for c in commitments
                    if c.paid_amount > 0
                ],
                batch_size=1000,
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE funding_budgetline SET committed_amount = COALESCE("
                "(SELECT SUM(amount) FROM funding_commitment WHERE budget_line_id = funding_budgetline.id), 0)"
            )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def generate_plan_and_indicators(*, seed: int = 6) -> None:
    """Milestones on each action (some overdue) and, for each active indicator, a target and a measurement a year."""
    import datetime

    from django.utils import timezone

    from programme.enums import IndicatorKind, MeasurementSource
    from programme.models import Action, Indicator, IndicatorTarget, Measurement, Milestone

    rng = random.Random(seed)
    if not Milestone.objects.filter(title__startswith=BENCH_PREFIX).exists():
        Milestone.objects.bulk_create(
            [
                Milestone(
                    action=action,
                    title=f"{BENCH_PREFIX}jalon {n}",
                    due_on=datetime.date(rng.choice(YEARS), rng.randrange(1, 13), 1),
                    done_on=datetime.date(2022, 1, 1) if rng.random() < 0.5 else None,
                )
                for action in Action.objects.all()
                for n in range(4)
            ]
        )
    if not Indicator.objects.active().exists():
        Indicator.objects.bulk_create(
            [
                Indicator(
                    code=f"bench-{n}",
                    name=f"{BENCH_PREFIX}indicateur {n}",
                    kind=list(IndicatorKind)[n % 3],
                    unit="€" if n % 2 else "structures",
                    position=n,
                )
                for n in range(15)
            ]
        )
    today = timezone.localdate()
    for indicator in Indicator.objects.active():
        for year in YEARS:
            IndicatorTarget.objects.get_or_create(
                indicator=indicator, year=year, defaults={"value": Decimal(rng.randrange(10, 200) * 1000)}
            )
            Measurement.objects.get_or_create(
                indicator=indicator,
                year=year,
                breakdown="",
                defaults={
                    "value": Decimal(rng.randrange(5, 250) * 1000),
                    "source": MeasurementSource.ENTERED,
                    "measured_on": today,
                },
            )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-year", type=int, default=1000, help="applications per year of the plan (default 1000)")
    parser.add_argument("--rounds", type=int, default=30, help="requests per year (default 30)")
    args = parser.parse_args()
    import django

    django.setup()
    ensure_database()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.enums import Role
    from accounts.models import User
    from actors.models import Actor
    from funding.models import Application, Commitment
    from tests.accounts.factories import UserFactory

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))
    if Actor.objects.count() < 500:
        call_command("generate_fake_actors", 500 - Actor.objects.count(), stdout=open(os.devnull, "w"))
    start = time.perf_counter()
    generate(args.per_year)
    generate_plan_and_indicators()
    print(
        f"applications: {Application.objects.count()}, commitments: {Commitment.objects.count()} "
        f"(prepared in {time.perf_counter() - start:.1f} s)"
    )

    user = User.objects.with_role(Role.ELECTED).first() or UserFactory(role=Role.ELECTED, email="bench-elu@exemple.fr")
    client = Client()
    client.force_login(user)
    url = reverse("programme:dashboard")
    client.get(url)  # warm-up: templates, first connection
    timings, cpu_timings, per_year = [], [], {}
    load_before = os.getloadavg()[0]
    for year in YEARS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{url}?annee={year}")
        assert response.status_code == 200, response.status_code
        assert f"Tableau de bord ESS {year}" in response.content.decode(), year
        per_year[year] = {"queries": len(queries), "timings": []}
    for _ in range(args.rounds):
        for year in YEARS:
            start, cpu_start = time.perf_counter(), time.process_time()
            response = client.get(f"{url}?annee={year}")
            elapsed = (time.perf_counter() - start) * 1000
            cpu_timings.append((time.process_time() - cpu_start) * 1000)
            assert response.status_code == 200, response.status_code
            timings.append(elapsed)
            per_year[year]["timings"].append(elapsed)
    for year, figures in per_year.items():
        print(
            f"  {year}: p50 {statistics.median(figures['timings']):.1f} ms, "
            f"p95 {percentile(figures['timings'], 0.95):.1f} ms, {figures['queries']} queries"
        )
    p95 = percentile(timings, 0.95)
    # On a shared machine the wall time includes waiting for the CPU; the Django process's own CPU time and the
    # load average tell how much of it is the page's work.
    print(
        f"Django process CPU time per request: p50 {statistics.median(cpu_timings):.1f} ms, "
        f"p95 {percentile(cpu_timings, 0.95):.1f} ms; load average {load_before:.1f} → {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    print(
        f"dashboard page: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms over {len(timings)} requests "
        f"(target p95 ≤ {TARGET_P95_MS} ms: {'met' if p95 <= TARGET_P95_MS else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
