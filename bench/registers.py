"""Benchmark of the SCIC register and the foncière solidaire (issue 12).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ess_bench12 .venv/bin/python bench/registers.py [--rounds 200]

Prepares the database once (migrate, reference data, 500 fake actors, then 500 SCIC with their capital over time,
other collectivities' holdings, 2 representatives and 10 share movements each — 6 subscriptions committed on the SCIC
fund line of their year, 3 paying-ups, 1 redemption — and 200 properties with 10 leases each, 2,000 in all, every
property's leases fitting its surface on every day), bulk-inserted where the services would be too slow, the fund
lines' committed totals updated in SQL (the check constraint keeps them within the voted amount). Then requests each
page --rounds times as a staff user (the register's and the property register's pages, 20 SCIC and 20 properties,
the fund's years in turn) and prints p50/p95 and the SQL queries of one request, side by side. Target: p95 ≤ 150 ms.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import warnings
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_portal.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["LOG_LEVEL"] = "WARNING"
# WhiteNoise's warning when collectstatic has not run: the pages measured here serve no static file.
warnings.filterwarnings("ignore", message="No directory at")

BENCH_PREFIX = "[bench-registers] "
SCIC_COUNT = 500
PROPERTY_COUNT = 200
LEASES_PER_PROPERTY = 10
FUND_YEARS = [2023, 2024, 2025, 2026]
# The order of each SCIC's ten movements: S subscription, P paying-up of the previous subscription, R redemption.
MOVEMENT_PATTERN = "SPSSPSRSPS"
TARGET_P95_MS = 150


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def bench_siret(number: int) -> str:
    """A fictitious SIRET (prefix 96, apart from generate_fake_actors' 97) that passes the Luhn check."""
    from stdnum import luhn

    siren = f"96{number:06d}"
    siren += luhn.calc_check_digit(siren)
    siret = f"{siren}0001"
    return siret + luhn.calc_check_digit(siret)


def random_dates(rng, count, start, end):
    span = (end - start).days
    return sorted(start + datetime.timedelta(days=day) for day in rng.sample(range(span), count))


def generate_scic(rng) -> None:
    from django.db import connection, transaction

    from actors.enums import LegalForm, LocationPrecision
    from actors.models import Actor, Commune, normalize_search_text
    from funding.enums import CommitmentKind
    from funding.models import BudgetLine, Commitment
    from scic.enums import Body, CollectivityKind, MovementKind
    from scic.models import CapitalRecord, PublicHolding, Representative, Scic, ShareMovement
    from scic.services import SCIC_FUND_LINE_CODE

    if Scic.objects.filter(actor__name__startswith=BENCH_PREFIX).exists():
        return
    communes = list(Commune.objects.all())
    fund_lines = {line.year: line for line in BudgetLine.objects.filter(code=SCIC_FUND_LINE_CODE)}
    today = datetime.date.today()
    with transaction.atomic():
        actors = []
        for n in range(SCIC_COUNT):
            commune = rng.choice(communes)
            name = (
                f"{BENCH_PREFIX}SCIC {rng.choice(['Énergie', 'Habitat', 'Mobilité', 'Alimentation', 'Réemploi'])} {n}"
            )
            siret = bench_siret(n)
            description = "SCIC fictive (mesures de performance)."
            actors.append(
                Actor(
                    name=name,
                    siret=siret,
                    legal_form=LegalForm.SCIC,
                    commune=commune,
                    address=f"{rng.randint(1, 200)} cours de l’Essai",
                    postal_code="33000",
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    location_precision=LocationPrecision.MANUAL,
                    description=description,
                    search_text=normalize_search_text(f"{name} {siret} {description}"),
                )
            )
        actors = Actor.objects.bulk_create(actors, batch_size=1000)
        scics = Scic.objects.bulk_create(
            [
                Scic(
                    actor=actor,
                    framework_deliberation_number=f"2023-{n:04d}",
                    framework_deliberation_on=datetime.date(2023, 1, 27),
                    idempotency_key=f"bench-scic-{n}",
                )
                for n, actor in enumerate(actors)
            ],
            batch_size=1000,
        )
        capital_records, holdings, representatives, movements, commitments = [], [], [], [], []
        for scic in scics:
            base_capital = Decimal(rng.randrange(20, 200) * 1000)
            capital_records.append(
                CapitalRecord(scic=scic, recorded_on=datetime.date(2023, 1, 1), amount=base_capital, source="Bilan")
            )
            # Other collectivities hold at most 30 % of the first capital: with the Métropole's few hundred euros
            # the public share stays far below the 50 % cap.
            for h in range(rng.choice([0, 1, 1, 2])):
                holdings.append(
                    PublicHolding(
                        scic=scic,
                        holder_name=f"Commune test {h}",
                        holder_kind=CollectivityKind.COMMUNE,
                        amount=(base_capital * Decimal(rng.randint(5, 15)) / 100).quantize(Decimal("0.01")),
                        held_from=datetime.date(2022, rng.randint(1, 12), 1),
                        idempotency_key=f"bench-holding-{scic.pk}-{h}",
                    )
                )
            for r, body in enumerate([Body.GENERAL_MEETING, Body.BOARD]):
                start = datetime.date(2023, rng.randint(1, 12), 1)
                representatives.append(
                    Representative(
                        scic=scic,
                        person_name=f"Élu·e test {scic.pk}-{r}",
                        body=body,
                        mandate_start_on=start,
                        mandate_end_on=today + datetime.timedelta(days=rng.randint(-200, 1200)),
                        idempotency_key=f"bench-representative-{scic.pk}-{r}",
                    )
                )
            nominal = Decimal(25)
            dates = random_dates(rng, len(MOVEMENT_PATTERN), datetime.date(2023, 1, 15), today)
            held, last_subscription = 0, 0
            for m, (kind, moved_on) in enumerate(zip(MOVEMENT_PATTERN, dates, strict=True)):
                key = f"bench-movement-{scic.pk}-{m}"
                if kind == "S":
                    shares = rng.randint(1, 7)
                    held, last_subscription = held + shares, shares
                    commitment = Commitment(
                        kind=CommitmentKind.SCIC_SHARES,
                        budget_line=fund_lines[moved_on.year],
                        label=f"Souscription de {shares} parts de la SCIC {scic.actor.name}"[:200],
                        beneficiary=scic.actor,
                        deliberation_number=f"{moved_on.year}-{m:04d}",
                        deliberation_on=moved_on,
                        amount=shares * nominal,
                        legal_commitment_number=f"EJ-B12-{scic.pk:04d}-{m}",
                        idempotency_key=f"scic:{key}",
                    )
                    commitments.append(commitment)
                    movement_kind = MovementKind.SUBSCRIPTION
                elif kind == "P":
                    shares, commitment, movement_kind = last_subscription, None, MovementKind.PAYING_UP
                else:
                    shares, commitment, movement_kind = 1, None, MovementKind.REDEMPTION
                    held -= 1
                movements.append(
                    ShareMovement(
                        scic=scic,
                        kind=movement_kind,
                        moved_on=moved_on,
                        shares=shares,
                        nominal=nominal,
                        amount=shares * nominal,
                        deliberation_number=f"{moved_on.year}-{m:04d}",
                        deliberation_on=moved_on,
                        commitment=commitment,
                        idempotency_key=key,
                    )
                )
        CapitalRecord.objects.bulk_create(capital_records, batch_size=2000)
        PublicHolding.objects.bulk_create(holdings, batch_size=2000)
        Representative.objects.bulk_create(representatives, batch_size=2000)
        Commitment.objects.bulk_create(commitments, batch_size=2000)
        ShareMovement.objects.bulk_create(movements, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE funding_budgetline SET committed_amount = COALESCE("
                "(SELECT SUM(amount) FROM funding_commitment WHERE budget_line_id = funding_budgetline.id), 0) "
                "WHERE code = %s",
                [SCIC_FUND_LINE_CODE],
            )


def generate_fonciere(rng) -> None:
    from django.db import transaction

    from actors.models import Actor, Commune
    from fonciere.enums import PropertyUse, Tenure
    from fonciere.models import Lease, Property

    if Property.objects.filter(name__startswith=BENCH_PREFIX).exists():
        return
    communes = list(Commune.objects.all())
    occupant_ids = list(Actor.objects.exclude(name__startswith=BENCH_PREFIX).values_list("pk", flat=True)[:2000])
    with transaction.atomic():
        properties = Property.objects.bulk_create(
            [
                Property(
                    name=f"{BENCH_PREFIX}Bien {n}",
                    address=f"{n} quai des Essais",
                    commune=rng.choice(communes),
                    surface=Decimal(rng.randrange(800, 3000)),
                    use=rng.choice(PropertyUse.values),
                    tenure=rng.choice(Tenure.values),
                    acquisition_price=Decimal(rng.randrange(500, 5000) * 1000),
                )
                for n in range(PROPERTY_COUNT)
            ],
            batch_size=1000,
        )
        leases = []
        for property in properties:
            # Each lease takes at most a tenth of the property: ten leases never let more than its surface.
            for _ in range(LEASES_PER_PROPERTY):
                starts_on = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randrange(4 * 365 + 150))
                ends_on = None if rng.random() < 0.2 else starts_on + datetime.timedelta(days=rng.randrange(180, 1460))
                market_rent = Decimal(rng.randrange(80, 200))
                leases.append(
                    Lease(
                        property=property,
                        occupant_id=rng.choice(occupant_ids),
                        surface=(property.surface * Decimal(rng.randint(3, 10)) / 100).quantize(Decimal("0.01")),
                        starts_on=starts_on,
                        ends_on=ends_on,
                        rent=(market_rent * Decimal(rng.randint(40, 90)) / 100).quantize(Decimal("0.01")),
                        market_rent=market_rent,
                        signed_on=None if rng.random() < 0.1 else starts_on - datetime.timedelta(days=15),
                    )
                )
        Lease.objects.bulk_create(leases, batch_size=2000)


def request_once(client, url) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)
    else:
        response.content  # noqa: B018 (already rendered; kept symmetrical with the streamed export)


def count_queries(client, url) -> int:
    """The SQL queries of one request, the streamed ones included (counted as they run, not from the debug log,
    which the test client's `request_started` signal empties)."""
    from django.db import connection

    queries = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        request_once(client, url)
    return len(queries)


def measure(client, urls, rounds):
    """p50, p95, the Django process's own CPU time p95 (ms), the SQL queries of one request to the first URL and the
    requests made: `rounds` requests in all, the URLs in turn (pages of a register, several SCIC or properties), so
    no single row stays hot."""
    request_once(client, urls[0])  # warm-up
    queries = count_queries(client, urls[0])
    timings, cpu_timings = [], []
    for n in range(rounds):
        start, cpu_start = time.perf_counter(), time.process_time()
        request_once(client, urls[n % len(urls)])
        timings.append((time.perf_counter() - start) * 1000)
        cpu_timings.append((time.process_time() - cpu_start) * 1000)
    return (
        statistics.median(timings),
        percentile(timings, 0.95),
        percentile(cpu_timings, 0.95),
        queries,
        len(timings),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200, help="requests per page (default 200)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.enums import Role
    from accounts.models import User
    from actors.models import Actor
    from fonciere.models import Lease, Property
    from scic.models import Scic, ShareMovement
    from tests.accounts.factories import UserFactory

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))
    if Actor.objects.count() < 500:
        call_command("generate_fake_actors", 500 - Actor.objects.count(), stdout=open(os.devnull, "w"))
    start = time.perf_counter()
    rng = random.Random(12)
    generate_scic(rng)
    generate_fonciere(rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"SCIC: {Scic.objects.count()}, share movements: {ShareMovement.objects.count()}, "
        f"properties: {Property.objects.count()}, leases: {Lease.objects.count()} "
        f"(prepared in {time.perf_counter() - start:.1f} s)"
    )

    user = User.objects.with_role(Role.STAFF).first() or UserFactory(role=Role.STAFF, email="bench-agent@exemple.fr")
    client = Client()
    client.force_login(user)
    scic_ids = list(Scic.objects.order_by("?").values_list("pk", flat=True)[:20])
    property_ids = list(Property.objects.order_by("?").values_list("pk", flat=True)[:20])
    scic_pages = -(-Scic.objects.count() // 50)
    property_pages = -(-Property.objects.count() // 50)
    pages = [
        ("SCIC register /scic/", [f"{reverse('scic:register')}?page={n}" for n in range(1, scic_pages + 1)]),
        ("a SCIC page /scic/<pk>/", [reverse("scic:detail", args=[pk]) for pk in scic_ids]),
        ("SCIC fund /scic/fonds/<year>/", [reverse("scic:fund", args=[year]) for year in FUND_YEARS]),
        (
            "property register /fonciere/biens/",
            [f"{reverse('fonciere:property_list')}?page={n}" for n in range(1, property_pages + 1)],
        ),
        (
            "a property page /fonciere/biens/<pk>/",
            [reverse("fonciere:property_detail", args=[pk]) for pk in property_ids],
        ),
        ("leases CSV /fonciere/baux/export.csv", [reverse("fonciere:lease_export")]),
    ]
    load_before = os.getloadavg()[0]
    # On a shared machine the wall time includes waiting for a CPU; the process's CPU time is the page's own work
    # in Python (the database server's time is in the wall time only).
    print(f"{'page':42} {'p50 ms':>8} {'p95 ms':>8} {'CPU p95':>8} {'queries':>8} {'requests':>9}")
    slow = []
    for label, urls in pages:
        p50, p95, cpu_p95, queries, count = measure(client, urls, args.rounds)
        print(f"{label:42} {p50:8.1f} {p95:8.1f} {cpu_p95:8.1f} {queries:8d} {count:9d}")
        if p95 > TARGET_P95_MS:
            slow.append(label)
    print(
        f"load average {load_before:.1f} → {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
        f"target p95 ≤ {TARGET_P95_MS} ms: " + (f"above it: {', '.join(slow)}" if slow else "every page within it")
    )


if __name__ == "__main__":
    main()
