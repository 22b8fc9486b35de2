"""Benchmark of the ASR buyer directory and its exports on a large database (issue 6).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ess_bench .venv/bin/python bench/asr_directory.py --listings 200000

Prepares the database if needed (migrate, reference data, `generate_fake_actors`, then one published ASR listing
per actor with CPV codes and communes served, bulk-inserted), then prints: p50/p95 of directory searches (Django
test client, full request/response cycle) and, for a full export of every published listing in each format
(CSV through the streamed view, XLSX and ODS through the background job handler), the time and the peak RSS of a
fresh child process — so that the figure is the export's own. Targets: CSV ≤ 30 s, peak RSS < 200 MB, search
p95 ≤ 150 ms.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_portal.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.setdefault("MEDIA_ROOT", "/tmp/ess-bench-media")

from bench.actor_registry import peak_rss_kb, percentile, setup_django  # noqa: E402

SEARCHES = [
    "?q=nettoyage",
    "?cpv=90",
    "?cpv=9051&commune=33063",
    "?q=traiteur&article=L2113-13",
    "?filiere=economie-circulaire&etp_min=5",
    "?q=logistique+velo",
    "?commune=33318&page=4",
]
OFFERS = [
    "Nettoyage de locaux et entretien des espaces verts",
    "Collecte, tri et réemploi de déchets, ressourcerie",
    "Traiteur solidaire, restauration collective et plateaux-repas",
    "Logistique du dernier kilomètre à vélo cargo, livraisons urbaines",
    "Second œuvre du bâtiment, peinture, petites réparations",
    "Impression, reprographie et façonnage",
    "Reconditionnement de matériel informatique, reprise de parc",
    "Blanchisserie, repassage, entretien du linge",
]


def buyer_client():
    from django.test import Client

    from accounts.enums import Role
    from accounts.models import User
    from tests.accounts.factories import UserFactory

    user = User.objects.with_role(Role.PROCUREMENT).first() or UserFactory(
        role=Role.PROCUREMENT, email="acheteur-bench@exemple.fr"
    )
    client = Client()
    client.force_login(user)
    return client


def create_listings(wanted: int) -> None:
    """One published listing per actor without one, up to `wanted`, in batches (bulk inserts)."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from actors.models import Actor, Commune
    from procurement.asr.models import AsrListing
    from procurement.cpv.models import CpvCode
    from procurement.enums import ListingStatus

    missing_actors = wanted - Actor.objects.count()
    if missing_actors > 0:
        call_command("generate_fake_actors", missing_actors, stdout=open(os.devnull, "w"))
    random.seed(6)
    cpv_ids = list(CpvCode.objects.values_list("pk", "code", "label"))
    commune_ids = list(Commune.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    actors = Actor.objects.filter(asr_listing__isnull=True).values_list("pk", "name", "siret")
    cpv_through = AsrListing.cpv_codes.through
    commune_through = AsrListing.communes.through
    batch = []

    def flush():
        with transaction.atomic():
            created = AsrListing.objects.bulk_create(batch)
            cpv_links, commune_links = [], []
            for listing in created:
                for pk, _, _ in listing.bench_cpv:
                    cpv_links.append(cpv_through(asrlisting_id=listing.pk, cpvcode_id=pk))
                for pk in listing.bench_communes:
                    commune_links.append(commune_through(asrlisting_id=listing.pk, commune_id=pk))
            cpv_through.objects.bulk_create(cpv_links)
            commune_through.objects.bulk_create(commune_links)
        batch.clear()

    from actors.models import normalize_search_text

    for actor_pk, name, siret in actors.iterator(chunk_size=5000):
        offers = random.choice(OFFERS)
        cpv = random.sample(cpv_ids, 3)
        whole = random.random() < 0.3
        communes = [] if whole else random.sample(commune_ids, random.randint(1, 4))
        listing = AsrListing(
            actor_id=actor_pk,
            offers=offers,
            serves_whole_metropole=whole,
            status=ListingStatus.PUBLISHED,
            last_verified_on=today - timedelta(days=random.randint(0, 300)),
            search_text=normalize_search_text(
                f"{name} {siret or ''} {offers} " + " ".join(f"{c} {lb}" for _, c, lb in cpv)
            ),
        )
        listing.bench_cpv = cpv
        listing.bench_communes = communes
        batch.append(listing)
        if len(batch) >= 5000:
            flush()
    if batch:
        flush()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def export_child(kind: str) -> None:
    """Run in a child process: one full export of the directory; prints seconds, bytes, rows, peak RSS (kB)."""
    setup_django()
    from django.utils import timezone

    from procurement.asr.models import AsrListing

    rows = AsrListing.objects.published(timezone.localdate()).count()
    client = buyer_client()
    start = time.perf_counter()
    if kind == "csv":
        response = client.get("/achats/annuaire/export/?format=csv")
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        from ess_portal.jobs.enums import JobKind
        from ess_portal.jobs.models import Job
        from ess_portal.jobs.registry import get_job_type

        job = Job.objects.create(kind=JobKind.ASR_EXPORT, parameters={"filters": {}, "columns": [], "format": kind})
        result = get_job_type(JobKind.ASR_EXPORT).handler(job)
        result.seek(0, os.SEEK_END)
        size = result.tell()
        result.close()
        job.delete()
    elapsed = time.perf_counter() - start
    print(f"{elapsed:.2f} {size} {rows} {peak_rss_kb()}")


def run_export(kind: str):
    output = subprocess.run(
        [sys.executable, __file__, "--child-export", kind], capture_output=True, text=True, check=True, env=os.environ
    ).stdout.split()
    elapsed, size, rows, peak_kb = float(output[-4]), int(output[-3]), int(output[-2]), int(output[-1])
    return elapsed, size, rows, peak_kb / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--formats", default="csv,xlsx,ods")
    parser.add_argument("--child-export")
    args = parser.parse_args()
    if args.child_export:
        export_child(args.child_export)
        return

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from procurement.asr.models import AsrListing

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))
    if AsrListing.objects.count() < args.listings:
        create_listings(args.listings)
    published = AsrListing.objects.published(timezone.localdate()).count()
    print(f"database: {connection.vendor}, {published} published listings")

    client = buyer_client()
    timings = []
    per_search = {query: [] for query in SEARCHES}
    for query in SEARCHES:
        client.get(f"/achats/annuaire/{query}")  # warm-up
    for _ in range(args.rounds):
        for query in SEARCHES:
            url = f"/achats/annuaire/{query}"
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            timings.append(elapsed)
            per_search[query].append(elapsed)
            assert response.status_code == 200, (url, response.status_code)
    for query, values in per_search.items():
        print(f"  {query:42} p50 {statistics.median(values):7.1f} ms   max {max(values):7.1f} ms")
    print(
        f"directory search        p50 {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms"
        f"   ({len(timings)} requests)"
    )
    for kind in filter(None, args.formats.split(",")):
        elapsed, size, rows, peak_mb = run_export(kind)
        print(
            f"full {kind.upper():4} export        {elapsed:7.1f} s    peak RSS {peak_mb:6.0f} MB   "
            f"{rows} rows, {size / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
