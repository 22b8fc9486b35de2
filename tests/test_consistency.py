"""Cross-cutting rules that every app must follow."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin

from ess_portal.celery import app as celery_app

PROJECT_APPS = {
    "accounts",
    "actors",
    "filieres",
    "funding",
    "procurement",
    "quadripartite",
    "programme",
    "scic",
    "fonciere",
    "events",
    "jobs",
}


def project_models():
    """Our models, without the history tables that django-simple-history generates."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model.__name__.startswith("Historical")
    ]


def test_every_beat_entry_names_a_registered_task():
    celery_app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, f"beat entry {name!r} names an unknown task {entry['task']!r}"


@pytest.mark.parametrize("model", project_models(), ids=lambda model: model._meta.label)
def test_every_model_is_in_the_admin(model):
    assert admin.site.is_registered(model), f"{model._meta.label} is not registered in the admin"


@pytest.mark.parametrize("model", project_models(), ids=lambda model: model._meta.label)
def test_verbose_names_start_in_lower_case(model):
    """Django capitalises them where needed; acronyms (SIRET, ESS, ETP) keep their capitals."""

    def starts_lower(text):
        first_word = str(text).split()[0]
        return first_word[0].islower() or first_word.isupper()

    assert starts_lower(model._meta.verbose_name)
    assert starts_lower(model._meta.verbose_name_plural)
    for field in model._meta.get_fields():
        verbose_name = getattr(field, "verbose_name", None)
        if verbose_name and not field.auto_created:
            assert starts_lower(verbose_name), f"{model._meta.label}.{field.name}: {verbose_name!r}"


@pytest.mark.parametrize("model", project_models(), ids=lambda model: model._meta.label)
def test_every_model_has_a_readable_str(model):
    assert "__str__" in model.__dict__ or any(
        "__str__" in base.__dict__
        for base in model.__mro__[1:]
        if base._meta.app_label in PROJECT_APPS
        if hasattr(base, "_meta")
    ), f"{model._meta.label} has no __str__"
