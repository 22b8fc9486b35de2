"""Benchmark of the grants pages on a large database (issue 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ess_bench .venv/bin/python bench/grants.py --applications 5000

Prepares the database if needed (migrate, reference data, 500 fake actors, then --applications applications over
the plan's 5 years, bulk-inserted with their decisions and commitments, the committed totals of the lines
updated in SQL), then prints p50/p95 of the budget execution page (each year) and of the instruction queue
(`/financements/instruction/`, when it exists) with a few filters. Target: p95 ≤ 200 ms.
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
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["LOG_LEVEL"] = "WARNING"

BENCH_PREFIX = "[bench] "
YEARS = [2022, 2023, 2024, 2025, 2026]
QUEUE_QUERIES = ["", "?etat=submitted", "?etat=in_review", "?page=3", "?etat=proposed"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def generate(count: int) -> None:
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from actors.models import Actor
    from funding.enums import ApplicationStatus as S
    from funding.enums import StateAidRegime
    from funding.models import Application, BudgetLine, Commitment, CouncilSession, Decision, SupportScheme

    existing = Application.objects.filter(title__startswith=BENCH_PREFIX).count()
    if existing >= count:
        return
    rng = random.Random(4)
    actor_ids = list(Actor.objects.values_list("pk", flat=True)[:2000])
    with transaction.atomic():
        lines = list(BudgetLine.objects.filter(year__in=YEARS, voted_amount__gte=20000))
        schemes = []
        for line in lines:
            scheme, _ = SupportScheme.objects.get_or_create(
                slug=f"bench-{line.year}-{line.code}"[:200],
                defaults={
                    "title": f"{BENCH_PREFIX}{line.label} {line.year}",
                    "description": "Dispositif de test de charge.",
                    "budget_line": line,
                    "state_aid_regime": StateAidRegime.DE_MINIMIS,
                    "opens_on": datetime.date(line.year, 1, 1),
                    "closes_on": datetime.date(line.year, 12, 31),
                    "ceiling_amount": Decimal("50000"),
                    "is_published": True,
                },
            )
            schemes.append(scheme)
        sessions = {
            year: [
                CouncilSession.objects.get_or_create(
                    sits_on=datetime.date(year, month, 15), defaults={"title": "Conseil"}
                )[0]
                for month in (3, 6, 10, 12)
            ]
            for year in YEARS
        }
        statuses = [S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.PROPOSED, S.APPROVED, S.REJECTED, S.PAID, S.CLOSED]
        weights = [10, 10, 3, 5, 20, 10, 20, 22]
        applications = []
        for n in range(existing, count):
            scheme = rng.choice(schemes)
            status = rng.choices(statuses, weights)[0]
            year = scheme.budget_line.year
            applications.append(
                Application(
                    actor_id=rng.choice(actor_ids),
                    scheme=scheme,
                    title=f"{BENCH_PREFIX}Projet {n}",
                    requested_amount=Decimal(rng.randrange(1000, 4000)),
                    # Small enough that every line's commitments stay within its voted amount (about 250 per line).
                    proposed_amount=(scheme.budget_line.voted_amount / 400 * Decimal(rng.uniform(0.5, 1))).quantize(
                        Decimal("0.01")
                    ),
                    status=status,
                    starts_on=datetime.date(year, 3, 1),
                    ends_on=datetime.date(year, 12, 31),
                    council_session=rng.choice(sessions[year]) if status not in (S.SUBMITTED, S.IN_REVIEW) else None,
                    submitted_at=timezone.make_aware(
                        datetime.datetime(year, 1, 1) + datetime.timedelta(days=rng.randrange(300))
                    ),
                )
            )
        applications = Application.objects.bulk_create(applications, batch_size=1000)
        decided = [a for a in applications if a.status in (S.APPROVED, S.REJECTED, S.PAID, S.CLOSED)]
        Decision.objects.bulk_create(
            [
                Decision(
                    application=a,
                    council_session=a.council_session,
                    deliberation_number=f"B-{a.pk}",
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
        Commitment.objects.bulk_create(
            [
                Commitment(
                    application=a,
                    budget_line_id=a.scheme.budget_line_id,
                    amount=a.proposed_amount,
                    paid_amount=a.proposed_amount if a.status in (S.PAID, S.CLOSED) else Decimal("0"),
                    idempotency_key=f"bench-{a.pk}",
                    legal_commitment_number=f"EJ-B-{a.pk}",
                )
                for a in approved
            ],
            batch_size=1000,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE funding_budgetline SET committed_amount = COALESCE("
                "(SELECT SUM(amount) FROM funding_commitment WHERE budget_line_id = funding_budgetline.id), 0)"
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, urls, rounds):
    timings = []
    for _ in range(rounds):
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), percentile(timings, 0.95), len(timings)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accounts.enums import Role
    from accounts.models import User
    from actors.models import Actor
    from funding.models import Application
    from tests.accounts.factories import UserFactory

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))
    if Actor.objects.count() < 500:
        call_command("generate_fake_actors", 500 - Actor.objects.count(), stdout=open(os.devnull, "w"))
    start = time.perf_counter()
    generate(args.applications)
    print(f"applications: {Application.objects.count()} (prepared in {time.perf_counter() - start:.1f} s)")

    user = User.objects.with_role(Role.STAFF).first() or UserFactory(role=Role.STAFF, email="bench@exemple.fr")
    client = Client()
    client.force_login(user)
    urls = [reverse("funding:budget_execution", args=[year]) for year in YEARS]
    client.get(urls[0])  # warm-up
    p50, p95, n = measure(client, urls, args.rounds)
    print(f"budget execution page: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {n} requests (target p95 ≤ 200 ms)")
    try:
        queue = reverse("funding:queue")
    except NoReverseMatch:
        print("instruction queue: not found (funding:queue)")
        return
    client.get(queue)
    p50, p95, n = measure(client, [queue + query for query in QUEUE_QUERIES], args.rounds)
    print(f"instruction queue: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {n} requests (target p95 ≤ 200 ms)")


if __name__ == "__main__":
    main()
