"""Benchmark of the actor registry on a large database (issue 3).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ess_bench .venv/bin/python bench/actor_registry.py --actors 200000

Prepares the database if needed (migrate, reference data, `generate_fake_actors` up to --actors), then prints:
p50/p95 of a filtered staff list page and of a text search (Django test client, full request/response cycle),
and the time and peak RSS of the full CSV export (streamed view) and of the full XLSX export (background job
handler), each export measured in a fresh child process so that its peak RSS is its own.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_portal.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.setdefault("MEDIA_ROOT", "/tmp/ess-bench-media")

LIST_QUERIES = [
    "?commune=33063&tri=nom",
    "?forme=scic&filiere=economie-circulaire",
    "?etp_min=10&etp_max=50&tri=-etp",
    "?filiere=logistique-zero-carbone&page=3",
    "?agrement=siae",
]
SEARCH_QUERIES = ["?q=ressourcerie", "?q=velo+garonne", "?q=Économie", "?q=atelier+solidaire&commune=33318", "?q=9700"]


def setup_django():
    import django

    django.setup()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def staff_client():
    from django.test import Client

    from accounts.enums import Role
    from accounts.models import User
    from tests.accounts.factories import UserFactory

    user = User.objects.with_role(Role.STAFF).first() or UserFactory(role=Role.STAFF, email="bench@exemple.fr")
    client = Client()
    client.force_login(user)
    return client


def measure(client, urls, rounds):
    timings = []
    for url in urls:
        client.get(url)  # warm-up
    for _ in range(rounds):
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), percentile(timings, 0.95), len(timings)


def peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM, reset by exec, unlike ru_maxrss which a child inherits)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def export_child(kind):
    """Run in a child process: one full export; prints elapsed seconds and rows."""
    setup_django()
    from actors.models import Actor

    client = staff_client()
    start = time.perf_counter()
    if kind == "csv":
        response = client.get("/acteurs/export/csv/")
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        from ess_portal.jobs.enums import JobKind
        from ess_portal.jobs.models import Job
        from ess_portal.jobs.registry import get_job_type

        job = Job.objects.create(kind=JobKind.ACTOR_EXPORT, parameters={"filters": {}, "format": kind})
        result = get_job_type(JobKind.ACTOR_EXPORT).handler(job)
        result.seek(0, os.SEEK_END)
        size = result.tell()
        result.close()
        job.delete()
    elapsed = time.perf_counter() - start
    peak_kb = peak_rss_kb()
    print(f"{elapsed:.2f} {size} {Actor.objects.filter(is_archived=False).count()} {peak_kb}")


def run_export(kind):
    output = subprocess.run(
        [sys.executable, __file__, "--child-export", kind], capture_output=True, text=True, check=True, env=os.environ
    ).stdout.split()
    elapsed, size, rows, peak_kb = float(output[-4]), int(output[-3]), int(output[-2]), int(output[-1])
    return elapsed, size, rows, peak_kb / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--child-export")
    args = parser.parse_args()
    if args.child_export:
        export_child(args.child_export)
        return

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from actors.models import Actor

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))
    missing = args.actors - Actor.objects.count()
    if missing > 0:
        call_command("generate_fake_actors", missing, stdout=open(os.devnull, "w"))
    total = Actor.objects.count()
    print(f"database: {connection.vendor}, {total} actors")

    client = staff_client()
    for label, queries in (("filtered list page", LIST_QUERIES), ("text search", SEARCH_QUERIES)):
        p50, p95, n = measure(client, [f"/acteurs/{query}" for query in queries], args.rounds)
        print(f"{label:24} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({n} requests)")
    for kind in ("csv", "xlsx"):
        elapsed, size, rows, peak_mb = run_export(kind)
        print(
            f"full {kind.upper()} export{'':11} {elapsed:7.1f} s    peak RSS {peak_mb:6.0f} MB   "
            f"{rows} rows, {size / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
