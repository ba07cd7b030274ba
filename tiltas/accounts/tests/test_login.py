"""Sign-in with password and second factor (AN-01, AN-03, AN-05), logout (SE-03, SE-04)."""

import re
import time
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiltas.accounts.middleware import PUBLIC_PATH_PREFIXES
from tiltas.accounts.models import Organisation, User
from tiltas.accounts.services import user_create
from tiltas.accounts.testing import TEST_PASSWORD, persona, verified_client
from tiltas.accounts.views import SECOND_FACTOR_ATTEMPTS
from tiltas.audit.models import AuditEntry

LOGIN_URL = "/accounts/login/"
SECOND_FACTOR_URL = "/accounts/second-factor/"
LOGOUT_URL = "/accounts/logout/"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
EMPTY_SESSION_KEY = ""


def home_url() -> str:
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def totp_code(device: TOTPDevice, *, steps: int = 0) -> str:
    """The code the user's app would show `steps` time steps from now. Waits out the last
    seconds of a time step so that the server checks the code in the same step."""
    if device.step - time.time() % device.step < 3:
        time.sleep(device.step - time.time() % device.step + 0.1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def device_of(user: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.get(user=user)
    return device


def sign_in_with_password(
    client: Client, username: str, password: str = TEST_PASSWORD, *, address: str = "127.0.0.1"
):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def sign_in(client: Client, user: User) -> None:
    """Password, then the current code of the user's authenticator."""
    response = sign_in_with_password(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == SECOND_FACTOR_URL
    response = client.post(SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(user))})
    assert response.status_code == 302, response.content.decode()


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def caseworker(lt_profile: None) -> User:
    return persona("LT-LCPB", "caseworker", username="jonas")


@pytest.fixture
def demo_user(lt_profile: None) -> User:
    return user_create(
        username="demo-ngo",
        organisation=Organisation.objects.get(code="LT-NGO-CARITAS"),
        roles=["caseworker"],
        password=TEST_PASSWORD,
        is_demo=True,
    )


# Pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_binds_labels_and_autocomplete_to_inputs(client: Client) -> None:
    body = client.get(LOGIN_URL).content.decode()
    assert '<label for="id_username">' in body
    assert '<label for="id_password">' in body
    assert 'autocomplete="username"' in body
    assert 'autocomplete="current-password"' in body
    assert "style=" not in body
    assert "<script>" not in body


@pytest.mark.django_db
def test_second_factor_page_asks_for_a_password_first(client: Client) -> None:
    response = client.get(SECOND_FACTOR_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


# AN-01: a password alone opens nothing ------------------------------------------------------


def _sample_paths(patterns: list[URLPattern | URLResolver], prefix: str = "/") -> Iterator[str]:
    sample = str(uuid.uuid4())
    for pattern in patterns:
        text = str(pattern.pattern)
        text = re.sub(r"<[^>]+>", sample, text)  # path() converters
        text = re.sub(r"\(\?P<[^>]+>[^)]*\)", sample, text)  # re_path() groups
        text = text.lstrip("^").rstrip("$").replace("\\", "")
        text = re.sub(r"[?*+]|\[[^\]]*\]", "", text)
        if isinstance(pattern, URLResolver):
            yield from _sample_paths(pattern.url_patterns, prefix + text)
        else:
            yield prefix + text


def test_route_sampler_finds_the_main_pages() -> None:
    paths = set(_sample_paths(get_resolver().url_patterns))
    assert {"/", LOGIN_URL, "/people/", "/audit/"} <= paths


def test_password_only_session_reaches_no_route_but_sign_in_pages(
    client: Client, caseworker: User
) -> None:
    sign_in_with_password(client, caseworker.username)
    protected = [
        path
        for path in _sample_paths(get_resolver().url_patterns)
        if not path.startswith(PUBLIC_PATH_PREFIXES)
    ]
    assert "/" in protected and "/people/" in protected
    for path in protected:
        for method in (client.get, client.post):
            response = method(path)
            if path.startswith("/api/"):
                assert response.status_code == 401, path
            else:
                assert response.status_code == 302, path
                assert response["Location"] == SECOND_FACTOR_URL, path
    # Pages under /accounts/ that need the second factor guard themselves.
    response = client.get(reverse("accounts:password_change"))
    assert response["Location"] == SECOND_FACTOR_URL


def test_password_only_session_gets_401_from_the_api(client: Client, caseworker: User) -> None:
    sign_in_with_password(client, caseworker.username)
    response = client.get("/api/v1/persons/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Second factor required."}


# Full sign-in and the code checks (AN-03) ----------------------------------------------------


def test_sign_in_with_password_and_totp_opens_the_home_page(
    client: Client, caseworker: User
) -> None:
    client.get(LOGIN_URL)
    response = sign_in_with_password(client, caseworker.username)
    assert response["Location"] == SECOND_FACTOR_URL
    after_password = session_key(client)
    body = client.get(SECOND_FACTOR_URL).content.decode()
    assert 'autocomplete="one-time-code"' in body
    assert 'inputmode="numeric"' in body
    assert "<svg" not in body  # a user with a device is never shown a new secret

    response = client.post(SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(caseworker))})
    assert response.status_code == 302
    assert response["Location"] == home_url()
    assert session_key(client) != after_password  # new session id on step-up (SE-01)
    assert client.session[DEVICE_ID_SESSION_KEY] == device_of(caseworker).persistent_id
    assert client.get(home_url()).status_code == 200
    login = AuditEntry.objects.get(action="login")
    assert login.actor_username == "jonas"
    assert login.detail == {"factor": "totp"}


def test_code_typed_with_a_space_is_accepted(client: Client, caseworker: User) -> None:
    sign_in_with_password(client, caseworker.username)
    code = totp_code(device_of(caseworker))
    response = client.post(SECOND_FACTOR_URL, {"otp_token": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert response["Location"] == home_url()


def test_the_page_asked_for_is_opened_after_the_second_factor(
    client: Client, caseworker: User
) -> None:
    client.post(f"{LOGIN_URL}?next=/people/", {"username": "jonas", "password": TEST_PASSWORD})
    response = client.post(SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(caseworker))})
    assert response["Location"] == "/people/"


def test_a_next_url_to_another_site_is_ignored(client: Client, caseworker: User) -> None:
    client.post(
        LOGIN_URL,
        {"username": "jonas", "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    response = client.post(SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(caseworker))})
    assert response["Location"] == home_url()


def test_a_used_code_cannot_be_replayed(client: Client, caseworker: User) -> None:
    sign_in_with_password(client, caseworker.username)
    code = totp_code(device_of(caseworker))
    assert client.post(SECOND_FACTOR_URL, {"otp_token": code}).status_code == 302
    client.post(LOGOUT_URL)

    sign_in_with_password(client, caseworker.username)
    response = client.post(SECOND_FACTOR_URL, {"otp_token": code})
    assert response.status_code == 200
    assert "Authentication code: this code is not valid now or was already used" in (
        response.content.decode()
    )
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("steps", [-2, 2])
def test_a_code_two_time_steps_off_is_rejected(
    client: Client, caseworker: User, steps: int
) -> None:
    sign_in_with_password(client, caseworker.username)
    response = client.post(
        SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(caseworker), steps=steps)}
    )
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_code_one_time_step_old_is_accepted(client: Client, caseworker: User) -> None:
    sign_in_with_password(client, caseworker.username)
    response = client.post(
        SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(caseworker), steps=-1)}
    )
    assert response.status_code == 302


def test_a_wrong_code_is_explained_next_to_the_field(client: Client, caseworker: User) -> None:
    sign_in_with_password(client, caseworker.username)
    right = totp_code(device_of(caseworker))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    body = client.post(SECOND_FACTOR_URL, {"otp_token": wrong}).content.decode()
    assert '<ul class="errorlist" id="id_otp_token_error">' in body
    assert "Authentication code: this code is not valid now" in body
    assert re.search(r'aria-describedby="[^"]*id_otp_token_error', body)
    assert 'aria-invalid="true"' in body


def test_a_code_that_is_not_six_digits_is_explained(client: Client, caseworker: User) -> None:
    sign_in_with_password(client, caseworker.username)
    body = client.post(SECOND_FACTOR_URL, {"otp_token": "12ab"}).content.decode()
    assert "Authentication code: enter exactly 6 digits." in body


def test_repeated_wrong_codes_end_the_session(client: Client, caseworker: User) -> None:
    sign_in_with_password(client, caseworker.username)
    right = totp_code(device_of(caseworker))
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    for _ in range(SECOND_FACTOR_ATTEMPTS - 1):
        assert client.post(SECOND_FACTOR_URL, {"otp_token": wrong}).status_code == 200
    response = client.post(SECOND_FACTOR_URL, {"otp_token": wrong}, follow=True)
    assert response.redirect_chain[0] == (LOGIN_URL, 302)
    assert "Too many wrong authentication codes" in response.content.decode()
    assert client.get(SECOND_FACTOR_URL)["Location"].startswith(LOGIN_URL)
    assert (
        AuditEntry.objects.filter(action="second_factor_check", outcome="denied").count()
        == SECOND_FACTOR_ATTEMPTS
    )


def test_the_device_slows_down_guessing_across_sessions(client: Client, caseworker: User) -> None:
    # The device's clock is frozen so that its pause (1, 2, 4... seconds after each wrong code)
    # has not run out, however slow the test machine.
    frozen = SimpleNamespace(now=mock.Mock(return_value=timezone.now()))
    with mock.patch("django_otp.models.timezone", frozen):
        sign_in_with_password(client, caseworker.username)
        wrong = f"{(int(totp_code(device_of(caseworker))) + 500_000) % 1_000_000:06d}"
        for _ in range(2):
            client.post(SECOND_FACTOR_URL, {"otp_token": wrong})
        # A fresh password login does not reset the device's pause after wrong codes.
        other = Client()
        sign_in_with_password(other, caseworker.username)
        response = other.post(SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(caseworker))})
    assert response.status_code == 200
    assert "after too many wrong codes in a row" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in other.session


def test_a_lost_factor_reset_takes_effect_at_once(caseworker: User) -> None:
    client = verified_client(caseworker)
    assert client.get(home_url()).status_code == 200
    call_command("user", "reset-second-factor", caseworker.username, stdout=None)
    response = client.get(home_url())
    assert response.status_code == 302
    assert response["Location"] == SECOND_FACTOR_URL


# Enrolment -----------------------------------------------------------------------------------


@pytest.fixture
def newcomer(lt_profile: None) -> User:
    return persona("LT-SLI", "caseworker", username="ieva", with_totp=False)


def test_first_sign_in_enrols_an_authenticator(client: Client, newcomer: User) -> None:
    sign_in_with_password(client, newcomer.username)
    body = client.get(SECOND_FACTOR_URL).content.decode()
    device = TOTPDevice.objects.get(user=newcomer)
    assert not device.confirmed
    assert "<svg" in body and "<?xml" not in body
    assert "style=" not in body
    assert "<script>" not in body
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', body)
    assert secret is not None
    assert secret.group(1).replace(" ", "") in device.config_url
    assert client.get(home_url())["Location"] == SECOND_FACTOR_URL

    response = client.post(SECOND_FACTOR_URL, {"otp_token": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"] == home_url()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(home_url()).status_code == 200
    assert list(
        AuditEntry.objects.filter(actor_username="ieva").values_list("action", flat=True)
    ) == ["second_factor_enrol", "login"]


def test_enrolment_keeps_its_secret_while_the_page_is_reloaded(
    client: Client, newcomer: User
) -> None:
    sign_in_with_password(client, newcomer.username)
    client.get(SECOND_FACTOR_URL)
    first = TOTPDevice.objects.get(user=newcomer).key
    client.get(SECOND_FACTOR_URL)
    assert TOTPDevice.objects.get(user=newcomer).key == first


def test_a_secret_shown_in_another_session_is_never_reused(newcomer: User) -> None:
    # Someone holding only the password saw a secret: the owner's enrolment gets a new one.
    intruder, owner = Client(), Client()
    sign_in_with_password(intruder, newcomer.username)
    intruder.get(SECOND_FACTOR_URL)
    seen_by_intruder = TOTPDevice.objects.get(user=newcomer)
    sign_in_with_password(owner, newcomer.username)
    owner.get(SECOND_FACTOR_URL)
    device = TOTPDevice.objects.get(user=newcomer)
    assert device.key != seen_by_intruder.key
    response = intruder.post(SECOND_FACTOR_URL, {"otp_token": totp_code(seen_by_intruder)})
    assert response.status_code == 200
    assert "started again" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()


def test_a_wrong_code_does_not_confirm_the_enrolment(client: Client, newcomer: User) -> None:
    sign_in_with_password(client, newcomer.username)
    client.get(SECOND_FACTOR_URL)
    device = TOTPDevice.objects.get(user=newcomer)
    wrong = f"{(int(totp_code(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(SECOND_FACTOR_URL, {"otp_token": wrong})
    assert response.status_code == 200
    assert "<svg" in response.content.decode()  # still enrolling, same secret
    device.refresh_from_db()
    assert not device.confirmed


# Demo accounts -------------------------------------------------------------------------------


def test_demo_account_signs_in_without_a_second_factor(client: Client, demo_user: User) -> None:
    response = sign_in_with_password(client, demo_user.username)
    assert response.status_code == 302
    assert response["Location"] == home_url()
    assert client.get(home_url()).status_code == 200
    assert not TOTPDevice.objects.filter(user=demo_user).exists()
    assert AuditEntry.objects.get(action="login").detail == {"factor": "none (demo account)"}


# AN-05: unknown and known usernames look the same --------------------------------------------


def _failed_login_counting_hashes(username: str) -> tuple[int, bytes, int]:
    original_verify, original_encode = Argon2PasswordHasher.verify, Argon2PasswordHasher.encode
    with (
        mock.patch.object(
            Argon2PasswordHasher, "verify", autospec=True, side_effect=original_verify
        ) as verify,
        mock.patch.object(
            Argon2PasswordHasher, "encode", autospec=True, side_effect=original_encode
        ) as encode,
    ):
        response = Client().post(
            LOGIN_URL, {"username": username, "password": "not the password at all"}
        )
    body = CSRF_INPUT.sub(b"", response.content)
    return response.status_code, body, verify.call_count + encode.call_count


def test_unknown_and_known_usernames_get_identical_answers(lt_profile: None) -> None:
    unknown_status, unknown_body, unknown_hashes = _failed_login_counting_hashes("ruta")
    persona("LT-CPS", "caseworker", username="ruta")
    known_status, known_body, known_hashes = _failed_login_counting_hashes("ruta")

    assert unknown_status == known_status == 200
    assert unknown_body == known_body
    assert b"The username or the password is not correct." in known_body
    # The password is hashed whether or not the account exists, so timing does not tell.
    assert unknown_hashes == known_hashes == 1


@pytest.mark.django_db
def test_failed_login_message_is_linked_to_both_inputs(client: Client) -> None:
    body = client.post(LOGIN_URL, {"username": "x", "password": "y"}).content.decode()
    assert 'id="login-error"' in body
    assert body.count('aria-describedby="login-error"') == 2


def test_empty_fields_are_named(client: Client, db: None) -> None:
    body = client.post(LOGIN_URL, {"username": "", "password": ""}).content.decode()
    assert 'id="id_username_error"' in body
    assert 'id="id_password_error"' in body


# AN-04: throttling ---------------------------------------------------------------------------


def _fail(client: Client, username: str, times: int, address: str = "192.0.2.10") -> int:
    status = 0
    for _ in range(times):
        status = sign_in_with_password(
            client, username, "wrong password for sure", address=address
        ).status_code
    return status


@pytest.mark.slow  # ten Argon2 hashes and more
def test_ten_failures_lock_that_username_from_that_address_only(
    client: Client, caseworker: User
) -> None:
    from axes.models import AccessAttempt

    assert _fail(client, "jonas", settings.AXES_FAILURE_LIMIT - 1) == 200
    assert _fail(client, "jonas", 1) == 429
    response = sign_in_with_password(client, "jonas", address="192.0.2.10")
    assert response.status_code == 429
    body = response.content.decode()
    assert "tiltas axes_reset_username" in body
    assert "style=" not in body
    attempt = AccessAttempt.objects.get(username="jonas")
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
    assert "wrong password for sure" not in attempt.post_data  # logged without the password

    # The caseworker's own device elsewhere is not locked out by someone else's guessing.
    other = Client()
    response = sign_in_with_password(other, "jonas", address="198.51.100.7")
    assert response.status_code == 302
    assert response["Location"] == SECOND_FACTOR_URL


@override_settings(AXES_FAILURE_LIMIT=3)  # fewer slow Argon2 hashes; the limit itself is above
def test_lockout_page_is_the_same_for_unknown_usernames(client: Client, caseworker: User) -> None:
    _fail(client, "jonas", 3)
    _fail(client, "nobody-here", 3)
    known = sign_in_with_password(client, "jonas", address="192.0.2.10")
    unknown = sign_in_with_password(client, "nobody-here", address="192.0.2.10")
    assert known.status_code == unknown.status_code == 429
    assert CSRF_INPUT.sub(b"", known.content) == CSRF_INPUT.sub(b"", unknown.content)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_administrator_can_lift_a_lockout(client: Client, caseworker: User) -> None:
    assert _fail(client, "jonas", 3) == 429
    call_command("axes_reset_username", "jonas", stdout=None)
    response = sign_in_with_password(client, "jonas", address="192.0.2.10")
    assert response.status_code == 302


# Logout (SE-03, SE-04) -----------------------------------------------------------------------


def test_logout_refuses_get(caseworker: User) -> None:
    client = verified_client(caseworker)
    assert client.get(LOGOUT_URL).status_code == 405
    assert client.get(home_url()).status_code == 200


def test_logout_needs_the_csrf_token(caseworker: User) -> None:
    client = verified_client(caseworker, Client(enforce_csrf_checks=True))
    assert client.post(LOGOUT_URL).status_code == 403
    assert client.get(home_url()).status_code == 200


def test_old_session_cookie_opens_nothing_after_logout(client: Client, caseworker: User) -> None:
    sign_in(client, caseworker)
    old_key = session_key(client)
    assert client.get(home_url()).status_code == 200

    response = client.post(LOGOUT_URL)
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert not SessionStore(session_key=old_key).exists(old_key)

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert replay.get(home_url()).status_code == 302
    assert replay.get(home_url())["Location"].startswith(LOGIN_URL)
    assert AuditEntry.objects.filter(action="logout", actor_username="jonas").count() == 1


def test_session_cookie_is_http_only_and_same_site(client: Client, caseworker: User) -> None:
    sign_in_with_password(client, caseworker.username)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert session_key(client) != EMPTY_SESSION_KEY
