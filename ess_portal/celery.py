"""The Celery app. Background work goes through `ess_portal.jobs` (a Job row first, then a message).

Queues: each job kind names its queue in `ess_portal.jobs.registry` and `dispatch_job` publishes there:
"default" for most jobs, "reports" for long reports and PDFs. Run one worker per queue, e.g.
    celery -A ess_portal worker -Q default
    celery -A ess_portal worker -Q reports --concurrency 2
    celery -A ess_portal beat            # the "sweep-jobs" entry republishes jobs lost by Redis or a dead worker
"""

import os

from celery import Celery
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_portal.settings.dev")

app = Celery("ess_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def send_on_commit(task_name: str, *args, **options) -> None:
    """Publish the task registered as `task_name` once the current transaction commits.

    Services name the task they enqueue instead of importing it: tasks import services, never the reverse.
    Every app's `AppConfig.ready()` imports its `tasks` module, so the name is known in the web process too;
    eager mode (dev, tests) runs the task at commit, as `delay_on_commit` would.
    """
    transaction.on_commit(lambda: app.tasks[task_name].apply_async(args=args, **options))
