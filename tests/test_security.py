"""The security baseline: production settings pass Django's deploy checks, the CSP forbids inline
scripts, every page is private unless marked public, and security headers are sent."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import Context, Template
from django.urls import path, reverse
from pytest_django.asserts import assertRedirects

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(tmp_path, **overrides):
    """The environment of a production server: secrets set, nothing from the dev or test overlays."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "ess_portal.settings.base",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60)[:60],
        "DJANGO_ALLOWED_HOSTS": "ess.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "EMAIL_URL": "smtp://mail.example.org:587",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run_manage(args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = run_manage(["check"], production_env(tmp_path, DJANGO_SECRET_KEY=None))

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_are_not_in_debug(tmp_path):
    code = "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.split() == ["False", "True", "True"], result.stderr


@login_not_required
def page_with_a_script(request):
    # A bare template: the site's context processors need the site's URLs, absent from this test URLconf.
    template = Template(
        '<!doctype html><title>t</title><script src="/static/js/x.js" nonce="{{ request.csp_nonce }}"></script>'
    )
    return HttpResponse(template.render(Context({"request": request})))


urlpatterns = [path("page-avec-script/", page_with_a_script)]


def csp_directives(response):
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_html_pages_carry_a_csp_without_inline_scripts(client):
    response = client.get(reverse("accounts:login"))

    directives = csp_directives(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"][0] == "'self'"


@pytest.mark.django_db
@pytest.mark.urls("tests.test_security")
def test_a_page_with_a_script_gets_a_nonce_in_its_script_src(client):
    response = client.get("/page-avec-script/")

    script_src = csp_directives(response)["script-src"]
    nonces = [source for source in script_src if source.startswith("'nonce-")]
    assert len(nonces) == 1
    assert f'nonce="{nonces[0][7:-1]}"' in response.content.decode()
    assert "'unsafe-inline'" not in script_src


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get(reverse("accounts:login"))

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_protected_in_production():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


@pytest.mark.django_db
def test_pages_are_private_by_default(client):
    response = client.get(reverse("staff_home"))

    login_url = f"{reverse('accounts:login')}?next={reverse('staff_home')}"
    assertRedirects(response, login_url, fetch_redirect_response=False)


@pytest.mark.django_db
def test_the_api_answers_anonymous_requests_with_403_not_a_redirect(client):
    response = client.get(reverse("api:schema"))

    assert response.status_code in (401, 403)


@pytest.mark.django_db
def test_passwords_need_12_characters_and_are_checked_against_common_ones():
    from django.contrib.auth.password_validation import get_default_password_validators

    validators = {type(validator).__name__: validator for validator in get_default_password_validators()}
    assert validators["MinimumLengthValidator"].min_length == 12
    assert {"CommonPasswordValidator", "UserAttributeSimilarityValidator"} <= set(validators)
