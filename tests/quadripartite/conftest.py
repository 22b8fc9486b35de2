# The root conftest registers this plugin for the whole suite; importing it here keeps the folder self-sufficient.
from tests.fixtures_reference import reference_data  # noqa: F401
