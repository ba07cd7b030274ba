"""Session lifetime (SE-02) and new session ids at each sign-in step (SE-01)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tiltas.accounts import middleware
from tiltas.accounts.models import User
from tiltas.accounts.testing import persona, verified_client
from tiltas.accounts.tests.test_login import (
    LOGIN_URL,
    SECOND_FACTOR_URL,
    device_of,
    home_url,
    session_key,
    sign_in_with_password,
    totp_code,
)


class Clock:
    """The session middleware's clock, moved by hand; the rest of the system keeps real time."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@contextmanager
def session_clock() -> Iterator[Clock]:
    clock = Clock()
    with mock.patch.object(middleware, "timezone", SimpleNamespace(now=lambda: clock.now)):
        yield clock


@pytest.fixture
def caseworker(lt_profile: None) -> User:
    return persona("LT-CSAC", "caseworker", username="aiste")


def assert_sent_to_login(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={path}"


def test_fifteen_idle_minutes_are_allowed(caseworker: User) -> None:
    client = verified_client(caseworker)
    with session_clock() as clock:
        assert client.get(home_url()).status_code == 200
        clock.advance(minutes=14, seconds=59)
        assert client.get(home_url()).status_code == 200


def test_session_ends_after_fifteen_idle_minutes(caseworker: User) -> None:
    client = verified_client(caseworker)
    with session_clock() as clock:
        assert client.get(home_url()).status_code == 200
        clock.advance(minutes=15, seconds=1)
        assert_sent_to_login(client, home_url())
        # Logged out for good, not just redirected once.
        clock.advance(seconds=1)
        assert client.get(SECOND_FACTOR_URL)["Location"].startswith(LOGIN_URL)


def test_idle_api_session_answers_401(caseworker: User) -> None:
    client = verified_client(caseworker)
    with session_clock() as clock:
        client.get(home_url())
        clock.advance(minutes=15, seconds=1)
        response = client.get("/api/v1/persons/")
        assert response.status_code == 401
        assert response.json() == {"detail": "Session expired."}


def test_activity_keeps_a_session_alive_within_twelve_hours(caseworker: User) -> None:
    client = verified_client(caseworker)
    with session_clock() as clock:
        client.get(home_url())
        for _ in range(6 * 11):  # every ten minutes for eleven hours
            clock.advance(minutes=10)
            assert client.get(home_url()).status_code == 200


def test_session_ends_twelve_hours_after_sign_in_even_when_active(caseworker: User) -> None:
    client = Client()
    with session_clock() as clock:
        sign_in_with_password(client, caseworker.username)
        client.post(SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(caseworker))})
        assert client.get(home_url()).status_code == 200
        # A request every 14:59, just under the idle limit: 48 of them reach 11:59:12.
        for _ in range(48):
            clock.advance(minutes=14, seconds=59)
            assert client.get(home_url()).status_code == 200
        clock.advance(minutes=14, seconds=59)
        assert clock.now - _started(client) > timedelta(hours=12)
        assert_sent_to_login(client, home_url())


def test_absolute_limit_counts_from_the_password_not_from_the_second_factor(
    caseworker: User,
) -> None:
    client = Client()
    with session_clock() as clock:
        sign_in_with_password(client, caseworker.username)
        started = _started(client)
        clock.advance(minutes=10)
        client.post(SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(caseworker))})
        assert _started(client) == started


def test_each_sign_in_step_gets_a_new_session_id(client: Client, caseworker: User) -> None:
    client.get(LOGIN_URL)
    client.cookies[settings.SESSION_COOKIE_NAME] = "planted-by-an-attacker"
    sign_in_with_password(client, caseworker.username)
    after_password = session_key(client)
    assert after_password != "planted-by-an-attacker"
    client.post(SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(caseworker))})
    assert session_key(client) not in (after_password, "planted-by-an-attacker")
    # The id used before the second factor no longer opens anything.
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = after_password
    assert stale.get(home_url())["Location"].startswith(LOGIN_URL)


def _started(client: Client) -> datetime:
    return datetime.fromisoformat(client.session[middleware.SESSION_STARTED_KEY])
