"""The reference data of the 2022–2026 plan as a pytest fixture (registered in tests/conftest.py)."""

import pytest

from home.reference import load_reference


@pytest.fixture
def reference_data(db):
    """Loads the 28 communes, 4 filières and their segments, 4 partners, the plan and its budget lines."""
    return load_reference()
