import pytest

import tests.jobs.kinds  # noqa: F401  (registers the test-only job kinds)
from ess_portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def broker_down():
    """Celery publishing for real (not eagerly) to a closed port, as when Redis is down."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    celery_app.close()
    conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    yield
    celery_app.close()
    conf.update(broker_url=saved[0], task_always_eager=saved[1])
