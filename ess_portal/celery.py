"""The Celery app. Background work goes through `ess_portal.jobs` (a Job row first, then a message).

Queues: each job kind names its queue in `ess_portal.jobs.registry` and `dispatch_job` publishes there:
"default" for most jobs, "reports" for long reports and PDFs. Run one worker per queue, e.g.
    celery -A ess_portal worker -Q default
    celery -A ess_portal worker -Q reports --concurrency 2
    celery -A ess_portal beat            # the "sweep-jobs" entry republishes jobs lost by Redis or a dead worker
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_portal.settings.dev")

app = Celery("ess_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
