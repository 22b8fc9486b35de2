"""Test suite: SQLite in memory unless DATABASE_URL is set (CI sets PostgreSQL and a Redis broker)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("SITE_URL", "http://testserver")
# The suite runs tasks eagerly; tests marked `redis` start a real worker against CELERY_BROKER_URL.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from ess_portal.settings.base import *  # noqa: E402, F403

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")  # noqa: F405
AXES_IPWARE_PROXY_COUNT = 0
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["axes"]["level"] = "WARNING"  # noqa: F405
# Tests never reach the network: the offline geocoder finds nothing (commune centroid fallback);
# tests of the BAN geocoder itself replay a recorded answer.
GEOCODER_CLASS = "actors.geocoding.OfflineGeocoder"
