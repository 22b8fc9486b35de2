import pytest

# The root conftest registers this plugin for the whole suite; importing it here keeps the folder self-sufficient.
from tests.fixtures_reference import reference_data  # noqa: F401


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    """Uploaded documents of each test go to its own temporary folder, removed by pytest."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
