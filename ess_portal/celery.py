import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_portal.settings.dev")

app = Celery("ess_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
