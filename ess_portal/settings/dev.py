"""Embedded default for `manage.py` and `make demo`: SQLite, eager Celery, console e-mail, no variable needed."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
_BASE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
os.environ.setdefault("DATABASE_URL", "sqlite:///" + os.path.join(_BASE_DIR, "db.sqlite3"))
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")

from ess_portal.settings.base import *  # noqa: E402, F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
AXES_IPWARE_PROXY_COUNT = 0
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tasks run inline here: geocoding every address of a large import would hold the request for minutes.
# Imported actors keep their commune's centre (flagged) until edited; production geocodes them in the workers.
ACTOR_IMPORT_GEOCODE = False
