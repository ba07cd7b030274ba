"""The password policy table (AN-06), through the user service and the password-change page."""

import pytest
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tiltas.accounts.models import Organisation, User
from tiltas.accounts.services import user_create
from tiltas.accounts.testing import TEST_PASSWORD, persona, verified_client
from tiltas.accounts.tests.test_login import (
    LOGIN_URL,
    SECOND_FACTOR_URL,
    device_of,
    home_url,
    sign_in_with_password,
    totp_code,
)
from tiltas.audit.models import AuditEntry

PASSWORD_CHANGE_URL = "/accounts/password/"
COMMON_LONG_PASSWORD = "1q2w3e4r5t6y7u8i9o0p"  # 20 characters, in Django's common list

# (case, password, accepted, error code). No composition rule: lower case only, no digit, spaces
# and any alphabet are fine.
POLICY_TABLE = [
    ("14 characters", "a" * 7 + "b" * 7, False, "password_too_short"),
    ("15 characters", "ąžuolas auga lė", True, None),
    ("64 characters", ("vėjas pučia nuo jūros " * 3)[:64], True, None),
    ("128 characters", ("kelias per tiltą " * 8)[:128], True, None),
    ("129 characters", ("kelias per tiltą " * 8)[:128] + "x", False, "password_too_long"),
    ("common password", COMMON_LONG_PASSWORD, False, "password_too_common"),
    ("like the username", "ausra.kazlauskiene", False, "password_too_similar"),
    ("emoji", "🌉 per upę 🌊 naktį 🌙 žvaigždės", True, None),
    ("Cyrillic", "мост через реку ночью", True, None),
    ("Greek and CJK", "γέφυρα 橋 над рекой 다리", True, None),
    ("lower case only, no digit", "tylus rytas prie ezero", True, None),
]


def _create(username: str, password: str) -> User:
    return user_create(
        username=username,
        organisation=Organisation.objects.get(code="LT-VMSA"),
        roles=["caseworker"],
        password=password,
    )


@pytest.mark.parametrize(
    ("case", "password", "accepted", "code"), POLICY_TABLE, ids=[row[0] for row in POLICY_TABLE]
)
def test_password_policy_through_user_create(
    lt_profile: None, case: str, password: str, accepted: bool, code: str | None
) -> None:
    if accepted:
        user = _create("ausra.kazlauskiene", password)
        assert user.check_password(password)
        return
    with pytest.raises(ValidationError) as raised:
        _create("ausra.kazlauskiene", password)
    assert code in {error.code for error in raised.value.error_list}
    assert not User.objects.filter(username="ausra.kazlauskiene").exists()


def test_policy_table_lengths_are_what_they_claim() -> None:
    lengths = {case: len(password) for case, password, _accepted, _code in POLICY_TABLE}
    assert lengths["14 characters"] == 14
    assert lengths["15 characters"] == 15
    assert lengths["64 characters"] == 64
    assert lengths["128 characters"] == 128
    assert lengths["129 characters"] == 129


def test_no_composition_rule_is_configured() -> None:
    names = {type(validator).__name__ for validator in get_default_password_validators()}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "MaximumLengthValidator",
        "ContextWordsValidator",
    }


def test_passwords_are_stored_with_argon2(lt_profile: None) -> None:
    user = _create("ausra.kazlauskiene", TEST_PASSWORD)
    assert user.password.startswith("argon2$argon2id$")


# The password-change page --------------------------------------------------------------------


@pytest.fixture
def worker(lt_profile: None) -> User:
    return persona("LT-VMSA", "caseworker", username="ausra.kazlauskiene")


def _change(client: Client, current: str, new: str, again: str | None = None):
    return client.post(
        PASSWORD_CHANGE_URL,
        {
            "current_password": current,
            "new_password": new,
            "new_password_again": new if again is None else again,
        },
    )


@pytest.mark.parametrize(
    ("case", "password", "accepted", "code"), POLICY_TABLE, ids=[row[0] for row in POLICY_TABLE]
)
def test_password_policy_through_the_change_page(
    worker: User, case: str, password: str, accepted: bool, code: str | None
) -> None:
    client = verified_client(worker)
    response = _change(client, TEST_PASSWORD, password)
    worker.refresh_from_db()
    if accepted:
        assert response.status_code == 302
        assert worker.check_password(password)
    else:
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="id_new_password_error"' in body
        assert "New password:" in body  # the error summary names the field
        assert worker.check_password(TEST_PASSWORD)


def test_password_change_page_is_accessible(worker: User) -> None:
    body = verified_client(worker).get(PASSWORD_CHANGE_URL).content.decode()
    assert body.count('autocomplete="new-password"') == 2
    assert 'autocomplete="current-password"' in body
    assert 'aria-describedby="id_new_password_helptext"' in body
    assert "style=" not in body


def test_password_change_needs_the_current_password(worker: User) -> None:
    client = verified_client(worker)
    response = _change(client, "not my password at all", "a brand new long passphrase")
    assert "Current password: This is not your current password." in response.content.decode()
    worker.refresh_from_db()
    assert worker.check_password(TEST_PASSWORD)


def test_password_change_needs_the_same_new_password_twice(worker: User) -> None:
    client = verified_client(worker)
    response = _change(
        client, TEST_PASSWORD, "a brand new long passphrase", "a brand new long passphrasf"
    )
    assert "New password again: The two new passwords differ." in response.content.decode()
    worker.refresh_from_db()
    assert worker.check_password(TEST_PASSWORD)


def test_password_change_needs_the_second_factor(client: Client, worker: User) -> None:
    sign_in_with_password(client, worker.username)
    response = _change(client, TEST_PASSWORD, "a brand new long passphrase")
    assert response.status_code == 302
    assert response["Location"] == SECOND_FACTOR_URL
    worker.refresh_from_db()
    assert worker.check_password(TEST_PASSWORD)


def test_password_change_page_needs_a_sign_in(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_changed_password_ends_other_sessions_and_works_at_next_sign_in(worker: User) -> None:
    here, elsewhere = verified_client(worker), verified_client(worker)
    new_password = "šalta žiema ilgas vakaras"
    assert _change(here, TEST_PASSWORD, new_password).status_code == 302
    assert here.get(home_url()).status_code == 200  # this session stays
    assert elsewhere.get(home_url())["Location"].startswith(LOGIN_URL)
    assert AuditEntry.objects.filter(action="password_change").count() == 1

    fresh = Client()
    assert sign_in_with_password(fresh, worker.username).status_code == 200  # old one refused
    response = sign_in_with_password(fresh, worker.username, new_password)
    assert response["Location"] == SECOND_FACTOR_URL
    response = fresh.post(SECOND_FACTOR_URL, {"otp_token": totp_code(device_of(worker))})
    assert response.status_code == 302
