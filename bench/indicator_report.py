"""Benchmark of the periodic indicator report (PDF + XLSX of the `indicator_report` job) on the dashboard's data.

    .venv/bin/python bench/indicator_report.py            # DATABASE_URL defaults to postgres://…/ess_bench_dashboard
    .venv/bin/python bench/indicator_report.py --rounds 5

Uses the database of bench/dashboard.py and prepares it the same way when it is missing or incomplete (migrate,
reference data, 500 fake actors, --per-year applications for each of the plan's 5 years with their decisions,
commitments and payments, milestones, indicator targets and measurements: bench/dashboard.py's own functions).
Then, for the year 2025 and its 4th quarter, prints the median and max over --rounds runs (after one warm-up run,
whose SQL queries are counted) of each step of the job, in this process: refreshing the computed measurements,
gathering the report's figures (`report_content`), the PDF's HTML (template and charts), the whole PDF
(`render_pdf`, WeasyPrint) and the XLSX (`write_workbook`); the PDF's pages (pdfinfo) and sizes. Last, for each
period, the job handler `build_indicator_report` end to end in a fresh child process, with a Job and an
IndicatorReport row like those of `request_indicator_report`: its time and the child's peak RSS. The rows and files
the benchmark makes (MEDIA_ROOT under /tmp) are deleted at the end, and at the start if a previous run crashed.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_portal.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ess_bench_dashboard")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.setdefault("MEDIA_ROOT", "/tmp/ess-bench-media")

from bench.actor_registry import peak_rss_kb, setup_django  # noqa: E402
from bench.dashboard import BENCH_PREFIX, YEARS, ensure_database, generate, generate_plan_and_indicators  # noqa: E402

# The rows made by the benchmark are those requested by this user: easy to find and delete.
BENCH_EMAIL = "bench-rapports@exemple.fr"
PERIOD_KINDS = ["annual", "quarterly"]


def period(kind: str):
    """The last full year of the plan with data, or its last quarter."""
    from programme.reports import quarter, year_containing

    return year_containing(datetime.date(2025, 1, 1)) if kind == "annual" else quarter(2025, 4)


def prepare(per_year: int) -> None:
    """The dashboard benchmark's data, as bench/dashboard.py's main() prepares it (skipped when already there)."""
    from django.core.management import call_command

    from actors.models import Actor
    from funding.models import Application

    ensure_database()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))
    if Actor.objects.count() < 500:
        call_command("generate_fake_actors", 500 - Actor.objects.count(), stdout=open(os.devnull, "w"))
    if Application.objects.filter(title__startswith=BENCH_PREFIX).count() < per_year * len(YEARS):
        generate(per_year)
    generate_plan_and_indicators()


def bench_user():
    from accounts.enums import Role
    from accounts.models import User
    from tests.accounts.factories import UserFactory

    return User.objects.filter(email=BENCH_EMAIL).first() or UserFactory(role=Role.STAFF, email=BENCH_EMAIL)


def delete_bench_reports() -> None:
    """The reports requested by the bench user, their jobs and their files."""
    from ess_portal.jobs.models import Job
    from programme.models import IndicatorReport

    for report in IndicatorReport.objects.filter(requested_by__email=BENCH_EMAIL):
        report.pdf_file.delete(save=False)
        report.xlsx_file.delete(save=False)
        report.delete()
        Job.objects.filter(pk=report.job_id).delete()


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, (time.perf_counter() - start) * 1000


def pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def measure_in_process(kind: str, rounds: int) -> None:
    """Each step of the job for the period, on an unsaved report (the steps only read its period and title)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ess_portal.pdf import render_pdf, render_pdf_html
    from programme.job_handlers import REPORT_TEMPLATE
    from programme.models import IndicatorReport
    from programme.report_content import pdf_context, report_content, write_workbook
    from programme.services import refresh_computed_measurements

    chosen = period(kind)
    report = IndicatorReport(
        period_kind=chosen.kind, starts_on=chosen.starts_on, ends_on=chosen.ends_on, title=chosen.title
    )

    def html_of(content):  # pdf_context draws the charts: part of the PDF's cost
        return render_pdf_html(REPORT_TEMPLATE, pdf_context(content))

    def pdf_of(content):
        return render_pdf(REPORT_TEMPLATE, pdf_context(content))

    timings = {"refresh": [], "data": [], "html": [], "pdf": [], "xlsx": []}
    for round_number in range(rounds + 1):  # round 0 is the warm-up (WeasyPrint import, fonts, templates)
        _, refresh_ms = timed(refresh_computed_measurements, chosen.year)
        with CaptureQueriesContext(connection) as queries:
            content, data_ms = timed(report_content, report)
        _, html_ms = timed(html_of, content)
        pdf, pdf_ms = timed(pdf_of, content)
        xlsx, xlsx_ms = timed(write_workbook, content)
        with xlsx:
            xlsx_size = xlsx.seek(0, os.SEEK_END)
        if round_number == 0:
            query_count = len(queries)
            continue
        for name, value in zip(timings, (refresh_ms, data_ms, html_ms, pdf_ms, xlsx_ms), strict=True):
            timings[name].append(value)

    print(f"{chosen.label} ({chosen.dates}), {rounds} rounds:")
    labels = {
        "refresh": "refresh computed measurements",
        "data": f"report data ({query_count} queries)",
        "html": "PDF HTML (template + charts)",
        "pdf": "PDF (HTML + WeasyPrint layout)",
        "xlsx": "XLSX workbook",
    }
    for name, values in timings.items():
        print(f"  {labels[name]:34} median {statistics.median(values):8.1f} ms   max {max(values):8.1f} ms")
    print(f"  PDF: {pdf_pages(pdf)} pages, {len(pdf) / 1024:.0f} kB; XLSX: {xlsx_size / 1024:.0f} kB")


def job_child(kind: str) -> None:
    """Run in a child process: the job handler once, on rows made like `request_indicator_report` makes them (not
    dispatched: in dev Celery is eager and would run the job at commit). Prints seconds and peak RSS (kB)."""
    setup_django()
    from django.db import transaction

    from accounts.models import User
    from ess_portal.jobs.enums import JobKind
    from ess_portal.jobs.models import Job
    from ess_portal.jobs.registry import get_job_type
    from programme.job_handlers import build_indicator_report
    from programme.models import IndicatorReport
    from programme.reports import report_idempotency_key

    chosen = period(kind)
    user = User.objects.get(email=BENCH_EMAIL)
    with transaction.atomic():
        job = Job.objects.create(
            kind=JobKind.INDICATOR_REPORT,
            parameters={
                "starts_on": chosen.starts_on.isoformat(),
                "ends_on": chosen.ends_on.isoformat(),
                "period_kind": kind,
            },
            requested_by=user,
            idempotency_key=report_idempotency_key(chosen.starts_on, chosen.ends_on),
            max_attempts=get_job_type(JobKind.INDICATOR_REPORT).max_attempts,
        )
        report = IndicatorReport.objects.create(
            period_kind=kind,
            starts_on=chosen.starts_on,
            ends_on=chosen.ends_on,
            title=chosen.title,
            job=job,
            requested_by=user,
        )
    job = Job.objects.claim(job.pk)  # running, as a worker takes it: its progress updates then reach the row
    try:
        start = time.perf_counter()
        build_indicator_report(job).close()
        elapsed = time.perf_counter() - start
        report.refresh_from_db()
        assert report.pdf_file and report.xlsx_file and report.generated_at, "the report was not stored"
    finally:
        delete_bench_reports()
    print(f"{elapsed:.2f} {peak_rss_kb()}")


def run_job_child(kind: str):
    start = time.perf_counter()
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind], capture_output=True, text=True, check=True, env=os.environ
    ).stdout.split()
    return float(output[-2]), time.perf_counter() - start, int(output[-1]) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-year", type=int, default=1000, help="applications per year of the plan (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="in-process runs of each step (default 3)")
    parser.add_argument("--child", choices=PERIOD_KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        job_child(args.child)
        return

    setup_django()
    from django.db import connection

    from funding.models import Application, Commitment

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    start = time.perf_counter()
    prepare(args.per_year)
    print(
        f"applications: {Application.objects.count()}, commitments: {Commitment.objects.count()} "
        f"(prepared in {time.perf_counter() - start:.1f} s)"
    )
    bench_user()
    delete_bench_reports()  # left by a crashed run

    load_before = os.getloadavg()[0]
    for kind in PERIOD_KINDS:
        measure_in_process(kind, args.rounds)
    for kind in PERIOD_KINDS:
        elapsed, process_total, peak_mb = run_job_child(kind)
        print(
            f"job build_indicator_report, {period(kind).label:18} {elapsed:6.1f} s   peak RSS {peak_mb:5.0f} MB   "
            f"(fresh process, {process_total:.1f} s with Django start-up)"
        )
    print(f"load average {load_before:.1f} → {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
