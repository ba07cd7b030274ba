"""Production mode: refuses unsafe starts (missing/default secret, demo accounts), passes
`check --deploy` (CF-01) and sends the security headers (CF-02)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tiltas.accounts.models import Organisation
from tiltas.accounts.services import user_create
from tiltas.accounts.testing import TEST_PASSWORD
from tiltas.config.startup import assert_production_ready

REPO = Path(__file__).resolve().parents[2]


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TILTAS_ENV="production",
        TILTAS_SECRET_KEY=secrets.token_urlsafe(64),
        TILTAS_ALLOWED_HOSTS="tiltas.example.gov",
        TILTAS_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_SETTINGS_MODULE="tiltas.config.settings",
    )
    env.update(extra)
    return env


def _tiltas(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tiltas", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.nodb
def test_deploy_checks_pass_in_production_mode(tmp_path):
    result = _tiltas(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.nodb
@pytest.mark.parametrize("secret", ["", "change-me", "django-insecure-abc", "short-secret"])
def test_production_refuses_a_missing_or_default_secret(tmp_path, secret):
    result = _tiltas(_production_env(tmp_path, TILTAS_SECRET_KEY=secret), "check")
    assert result.returncode != 0
    assert "refuses to start in production" in result.stderr
    assert "TILTAS_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_production_refuses_to_start_while_a_demo_account_exists(lt_profile):
    user_create(
        username="demo-police-caseworker",
        organisation=Organisation.objects.get(code="LT-LCPB"),
        roles=["caseworker"],
        password=TEST_PASSWORD,
        is_demo=True,
    )
    with override_settings(PRODUCTION=True), pytest.raises(ImproperlyConfigured, match="demo"):
        assert_production_ready()
    with override_settings(PRODUCTION=False):
        assert_production_ready()


HEADER_PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="tiltas.example.gov")
out = {}
for path in ("/health", "/accounts/login/", "/no-such-page", "/api/schema/"):
    response = client.get(path, secure=True)
    out[path] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {
            name: {key: str(morsel[key]) for key in ("secure", "httponly", "samesite", "path")}
            for name, morsel in response.cookies.items()
        },
    }
from django.conf import settings
out["session_cookie"] = {
    "name": settings.SESSION_COOKIE_NAME, "secure": settings.SESSION_COOKIE_SECURE,
    "httponly": settings.SESSION_COOKIE_HTTPONLY, "samesite": settings.SESSION_COOKIE_SAMESITE,
}
print(json.dumps(out))
"""


@pytest.mark.nodb
def test_security_headers_on_pages_api_and_errors(tmp_path):
    env = _production_env(tmp_path)
    migrate = _tiltas(env, "migrate", "-v0")
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "-c", HEADER_PROBE],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    responses = json.loads(result.stdout.strip().splitlines()[-1])
    # SE-04: cookies bound to the host, HTTPS-only, out of reach of scripts, same-site.
    assert responses.pop("session_cookie") == {
        "name": "__Host-sessionid",
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
    }
    csrf = responses["/accounts/login/"]["cookies"]["__Host-csrftoken"]
    assert csrf == {"secure": "True", "httponly": "True", "samesite": "Lax", "path": "/"}
    for path, response in responses.items():
        headers = {key.lower(): value for key, value in response["headers"].items()}
        assert "max-age=31536000" in headers["strict-transport-security"], path
        assert "includeSubDomains" in headers["strict-transport-security"], path
        csp = headers["content-security-policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, (path, directive)
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        assert headers["cross-origin-opener-policy"] == "same-origin", path
        assert "server" not in headers, path
    assert responses["/no-such-page"]["status"] == 404


@pytest.mark.django_db
def test_authenticated_answers_are_never_cached(lt_profile):
    from tiltas.accounts.testing import persona, verified_client

    client = verified_client(persona("LT-LCPB", "caseworker"))
    for path in ("/", "/people/", "/api/v1/persons/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store", path
