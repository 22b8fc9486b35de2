"""Job kinds used by the tests only (also imported by the worker subprocess with `-I tests.jobs.kinds`)."""

import os
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile

from ess_portal.jobs.registry import JobFailed, TransientJobError, register

OK = "test_ok"
TRANSIENT = "test_transient"
BROKEN = "test_broken"
REFUSED = "test_refused"
SLOW = "test_slow"
TOO_LONG = "test_too_long"


@register(OK)
def produce_a_file(job):
    job.set_progress(50, "Moitié")
    return ContentFile(f"job {job.pk}".encode(), name=f"resultat-{job.pk}.txt")


@register(TRANSIENT)
def always_hit_a_transient_error(job):
    raise TransientJobError("service distant indisponible")


@register(BROKEN)
def hit_a_bug(job):
    raise ZeroDivisionError("division by zero")


@register(REFUSED)
def refuse_with_a_message(job):
    raise JobFailed("Le fichier importé ne contient aucune ligne.")


@register(TOO_LONG)
def exceed_the_time_limit(job):
    raise SoftTimeLimitExceeded()


@register(SLOW)
def work_slowly(job):
    """Sleeps in small steps, beating; logs each start and each completed run in the file `parameters["log"]`."""
    log = job.parameters["log"]
    with open(log, "a") as handle:
        handle.write(f"start {os.getpid()} attempt {job.attempts}\n")
    steps = job.parameters.get("steps", 20)
    for step in range(steps):
        time.sleep(job.parameters.get("step_seconds", 0.2))
        job.set_progress(int(100 * (step + 1) / steps) - 1, f"Étape {step + 1} sur {steps}")
    with open(log, "a") as handle:
        handle.write(f"finish {os.getpid()}\n")
    return ContentFile(b"slow result", name=f"lent-{job.pk}.txt")
