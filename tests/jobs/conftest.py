import contextlib
import os

import pytest

import tests.jobs.kinds  # noqa: F401  (registers the test-only job kinds)
from ess_portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _forget_broker_connections():
    # The app pools its broker connections: drop them so that the next publish uses the current broker_url.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def publishing_for_real(*, broker_url: str | None = None):
    """Celery publishes to the broker instead of running tasks eagerly, optionally to another broker."""
    conf = celery_app.conf
    saved_url, saved_eager, saved_env = conf.broker_url, conf.task_always_eager, os.environ.get("CELERY_BROKER_URL")
    _forget_broker_connections()
    if broker_url:
        # Celery reads the CELERY_BROKER_URL variable before its configuration.
        os.environ["CELERY_BROKER_URL"] = broker_url
        conf.broker_url = broker_url
    conf.task_always_eager = False
    try:
        yield
    finally:
        _forget_broker_connections()
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        conf.broker_url = saved_url
        conf.task_always_eager = saved_eager


@pytest.fixture
def broker_down():
    """Celery publishing for real to a closed port, as when Redis is down."""
    with publishing_for_real(broker_url="redis://127.0.0.1:1/0"):
        yield
