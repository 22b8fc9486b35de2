"""Benchmark of the foundation: page latency and SQL queries per role home page, and the reference export job.

Run with `make bench` (or `.venv/bin/python bench/run.py [--requests N]`). It builds a throw-away SQLite
database in a temporary folder, loads the reference and demo data, then prints one line per measure.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="ess-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{workdir}/media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_portal.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402

ROLE_PAGES = {
    Role.STAFF: "/espace/agent/",
    Role.APPLICANT: "/espace/porteur/",
    Role.ELECTED: "/espace/elu/",
    Role.PROCUREMENT: "/espace/achats/",
    Role.PARTNER: "/espace/partenaire/",
    Role.ADMIN: "/espace/administration/",
}


def measure_page(client, url, requests):
    client.get(url)  # warm caches and templates
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)
    print(f"setup (migrate + reference + demo)          {time.perf_counter() - start:8.2f} s")

    print(f"{'page':42} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for role, url in ROLE_PAGES.items():
        user = User.objects.with_role(role).first()
        client = Client()
        client.force_login(user)
        p50, p95, queries = measure_page(client, url, args.requests)
        print(f"{role.label + ' ' + url:42} {p50:8.1f} {p95:8.1f} {queries:8d}")
    p50, p95, queries = measure_page(Client(), "/", args.requests)
    print(f"{'Anonyme /':42} {p50:8.1f} {p95:8.1f} {queries:8d}")

    from ess_portal.jobs.enums import JobKind
    from ess_portal.jobs.services import request_job

    admin = User.objects.with_role(Role.ADMIN).first()
    tracemalloc.start()
    start = time.perf_counter()
    job = request_job(kind=JobKind.REFERENCE_EXPORT, parameters={}, requested_by=admin)
    job.refresh_from_db()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    label = f"reference export job ({job.get_status_display()})"
    print(f"{label:42} {elapsed * 1000:8.1f} ms, peak {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
