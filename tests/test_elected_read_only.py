"""Elected officials read everything they may see and change nothing.

On the demo data, every form found on the pages that the ESS service, the buyers and the elected officials reach
by following links is submitted as is by an elected official: each answer is a refusal, and no row of the domain
changes. The only forms they may use are their own account's and the requests of the council dossiers in PDF
(producing a document from the data, as a read)."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.urls import resolve

from accounts.enums import Role
from accounts.models import User
from tests.test_crawl import crawl

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
INPUT = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.I)

# What an elected official may post: their session and account, and the PDF dossiers they read.
ALLOWED = {
    "accounts:logout",
    "accounts:profile",
    "accounts:password_change",
    "funding:application_dossier_request",
    "funding:session_dossier_request",
    "events:calendar_subscription",  # their own private calendar link, a personal setting like the profile
}
# Rows that may change because of the allowed forms above (sessions, their jobs, history of their account).
NOT_DOMAIN = {
    "jobs.job",
    "accounts.user",
    "accounts.historicaluser",
    "sessions.session",
    "events.calendartoken",
    "events.historicalcalendartoken",
}
DOMAIN_APPS = (
    "accounts",
    "actors",
    "filieres",
    "funding",
    "procurement",
    "programme",
    "quadripartite",
    "scic",
    "fonciere",
    "events",
    "jobs",
)


def domain_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label_lower not in NOT_DOMAIN
    }


def post_forms(html: str, page_url: str):
    """(action URL, data) of each POST form of the page, with the values it would send unchanged."""
    for attributes, body in FORM.findall(html):
        attrs = dict(ATTRIBUTE.findall(attributes))
        if attrs.get("method", "get").lower() != "post":
            continue
        data = {}
        for _, field in INPUT.findall(body):
            field_attrs = dict(ATTRIBUTE.findall(field))
            if "name" in field_attrs and field_attrs.get("type") not in ("submit", "file"):
                data[field_attrs["name"]] = unescape(field_attrs.get("value", ""))
        yield urljoin(page_url, unescape(attrs.get("action", "")) or page_url), data


def demo_user(role):
    return User.objects.with_role(role).get(email__endswith="@demo.ess-bordeaux.fr")


def forms_seen_by(client, role) -> dict:
    client.force_login(demo_user(role))
    seen, errors = crawl(client)
    assert errors == []
    forms = {}
    for url in sorted(seen):
        response = client.get(url)
        if response.streaming:
            for close in response._resource_closers:
                close()
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for action, data in post_forms(response.content.decode(), url):
            forms.setdefault(urlsplit(action).path, data)
    client.logout()
    return forms


@pytest.mark.django_db
def test_elected_officials_cannot_change_anything(client, demo_db):
    forms = {}
    for role in (Role.STAFF, Role.PROCUREMENT, Role.ELECTED):
        for path, data in forms_seen_by(client, role).items():
            forms.setdefault(path, data)
    assert len(forms) >= 30, "the crawl should find the service's forms (instruction, plan, indicators…)"

    client.force_login(demo_user(Role.ELECTED))
    before = domain_counts()
    refused = []
    for path, data in sorted(forms.items()):
        name = resolve(path).view_name
        if name in ALLOWED:
            continue
        response = client.post(path, data)
        assert response.status_code in (403, 405), f"{name} ({path}) answered {response.status_code} to an elected"
        refused.append(name)
    assert domain_counts() == before
    assert {"funding:session_decide", "programme:action_update", "procurement:contract_create"} <= set(refused)


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    from home.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
