import pytest

from accounts.enums import Role
from tests.accounts.factories import UserFactory

pytest_plugins = ["tests.fixtures_reference"]


@pytest.fixture
def staff_user(db):
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def applicant_user(db):
    return UserFactory(role=Role.APPLICANT)


@pytest.fixture
def elected_user(db):
    return UserFactory(role=Role.ELECTED)


@pytest.fixture
def procurement_user(db):
    return UserFactory(role=Role.PROCUREMENT)


@pytest.fixture
def partner_user(db):
    return UserFactory(role=Role.PARTNER)


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def user_with_role(db):
    """`user_with_role(Role.X)` builds a user holding that role."""
    return lambda role, **kwargs: UserFactory(role=role, **kwargs)
