"""Every page reachable by following links, for every role, on the demo data: no server error, ever."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from accounts.enums import Role
from accounts.models import User
from home.demo import load_demo

LINK = re.compile(r'href="([^"#]+)"')
SKIPPED_PREFIXES = ("/static/", "/gestion/", "/api/v1/docs", "/api/v1/redoc", "/comptes/deconnexion")
MAX_PAGES = 250


def crawl(client, start="/"):
    seen, queue, errors = {start}, deque([start]), []
    while queue and len(seen) <= MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.streaming:
            # A download (export) holds its file open until the server closes the response; response.close()
            # would also fire request_finished, which closes the test's database connection on PostgreSQL.
            for close in response._resource_closers:
                close()
        if response.status_code >= 500:
            errors.append((url, response.status_code))
            continue
        if response.status_code in (301, 302):
            target = urlsplit(response.url)
            if not target.netloc and target.path not in seen:
                seen.add(response.url)
                queue.append(response.url)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            href = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(href)
            if parts.netloc or parts.scheme in ("mailto", "tel") or href.startswith(SKIPPED_PREFIXES):
                continue
            if href not in seen:
                seen.add(href)
                queue.append(href)
    return seen, errors


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("role", [None, *Role])
def test_no_page_reachable_by_links_answers_a_server_error(client, demo_db, db, role):
    if role is not None:
        client.force_login(User.objects.with_role(role).get(email__endswith="@demo.ess-bordeaux.fr"))
    seen, errors = crawl(client)
    assert len(seen) > 5
    assert errors == []
