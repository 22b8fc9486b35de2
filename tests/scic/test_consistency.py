"""The cross-cutting rules of tests/test_consistency.py, applied to the scic app (until the integrator adds "scic"
to its PROJECT_APPS)."""

import pytest
from django.apps import apps
from django.contrib import admin

from tests.test_consistency import test_verbose_names_start_in_lower_case as _lower_case

SCIC_MODELS = [
    model for model in apps.get_app_config("scic").get_models() if not model.__name__.startswith("Historical")
]


@pytest.mark.parametrize("model", SCIC_MODELS, ids=lambda model: model._meta.label)
def test_every_scic_model_is_in_the_admin_with_lower_case_verbose_names_and_a_str(model):
    assert admin.site.is_registered(model)
    _lower_case(model)
    assert "__str__" in model.__dict__
