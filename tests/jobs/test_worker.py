"""End to end with a real Redis and a real `celery worker` subprocess, on PostgreSQL.

Run with:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ess_jobs CELERY_BROKER_URL=redis://127.0.0.1:6379/5 \
    pytest tests/jobs
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from openpyxl import load_workbook

from ess_portal.celery import app as celery_app
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import request_job, sweep_jobs
from tests.jobs import kinds
from tests.jobs.conftest import publishing_for_real
from tests.jobs.factories import CommuneFactory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"),
        reason="needs a Redis broker and a Celery worker: set CELERY_BROKER_URL (and DATABASE_URL to PostgreSQL)",
    ),
]

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
WAIT_SECONDS = 60


class Workers:
    """Starts `celery -A ess_portal worker` subprocesses on a queue of their own, against the test database."""

    def __init__(self, *, queue: str, log_dir: Path):
        self.queue = queue
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []
        db = django_settings.DATABASES["default"]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ess_portal.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_DEFAULT_QUEUE": queue,
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "JOBS_HEARTBEAT_TIMEOUT": "3",
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        }

    def start(self) -> subprocess.Popen:
        number = len(self.processes) + 1
        log = open(self.log_dir / f"worker-{number}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ess_portal",
                "worker",
                "--pool=solo",
                "--queues",
                self.queue,
                "--include",
                "tests.jobs.kinds",
                "--hostname",
                f"test-{number}-{self.queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        process.log.close()

    def kill_all(self) -> None:
        for process in self.processes:
            self.kill(process)

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.log_dir.glob("worker-*.log")))


@pytest.fixture
def workers(transactional_db, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the worker subprocess needs a database it can share with the test: set DATABASE_URL to PostgreSQL"
        )
    queue = f"test-jobs-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    settings.JOBS_HEARTBEAT_TIMEOUT = 3
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    pool = Workers(queue=queue, log_dir=log_dir)
    with publishing_for_real():
        try:
            yield pool
        finally:
            pool.kill_all()
            _forget_queue(queue)


def _forget_queue(queue: str) -> None:
    """Leave nothing of this run in Redis: the queue, its bindings, the killed worker's unacknowledged message."""
    with celery_app.connection_for_write() as conn:
        client = conn.default_channel.client
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        for tag, payload in client.hgetall("unacked").items():
            if queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


def wait_for(job: Job, condition, *, workers: Workers, while_waiting=None) -> Job:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return job
        if while_waiting:
            while_waiting()
        time.sleep(0.3)
    pytest.fail(f"job {job.pk} still {job.status} ({job.progress} %) after {WAIT_SECONDS} s\n{workers.logs()}")


def test_a_worker_produces_a_requested_job_end_to_end(workers, staff_user):
    CommuneFactory.create_batch(28)
    workers.start()

    job = request_job(kind=JobKind.REFERENCE_EXPORT, requested_by=staff_user)

    job = wait_for(job, lambda job: job.status in (JobStatus.DONE, JobStatus.FAILED), workers=workers)
    assert job.status == JobStatus.DONE, job.error_details
    assert job.attempts == 1
    with job.result_file.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True)
        assert len(list(workbook["Communes"].iter_rows(values_only=True))) == 1 + 28
        workbook.close()


def test_a_job_whose_worker_is_killed_midway_completes_exactly_once(workers, staff_user, tmp_path):
    side_effects = tmp_path / "side-effects.log"
    first_worker = workers.start()
    job = request_job(
        kind=kinds.SLOW,
        parameters={"log": str(side_effects), "steps": 25, "step_seconds": 0.2},
        requested_by=staff_user,
    )
    wait_for(job, lambda job: job.status == JobStatus.RUNNING and job.progress >= 20, workers=workers)

    workers.kill(first_worker)  # SIGKILL: no acknowledgement, no cleanup, the job row stays « running »

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    workers.start()
    # The broker hands the unacknowledged message back after its visibility timeout, and the sweeper (run by
    # beat every minute in production) publishes the job again once its heartbeat is stale: whichever comes
    # first runs it, the other finds nothing to claim.
    job = wait_for(job, lambda job: not job.is_active, workers=workers, while_waiting=sweep_jobs)
    time.sleep(6)  # let the redelivered message arrive too: it must not run the job again

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_details
    assert job.attempts == 2
    lines = side_effects.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["start", "start", "finish"]
    assert len(list((Path(django_settings.MEDIA_ROOT) / "jobs").rglob("*.txt"))) == 1
    with job.result_file.open("rb") as handle:
        assert handle.read() == b"slow result"
