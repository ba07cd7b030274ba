"""`tiltas user create|list|reset-second-factor`."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiltas.accounts.models import Organisation, User
from tiltas.accounts.services import user_create
from tiltas.accounts.testing import TEST_PASSWORD, persona
from tiltas.audit.models import AuditEntry

NEW_PASSWORD = "rytinė migla virš Nemuno"


def run(*args: str) -> str:
    out = StringIO()
    call_command("user", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def new_password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TILTAS_NEW_PASSWORD", NEW_PASSWORD)
    return NEW_PASSWORD


def test_create_user_with_two_roles(lt_profile: None, new_password: str) -> None:
    output = run(
        "create", "petras", "--organisation", "LT-SBGS", "--role", "caseworker", "--role",
        "supervisor",
    )  # fmt: skip
    user = User.objects.get(username="petras")
    assert user.organisation is not None and user.organisation.code == "LT-SBGS"
    assert user.role_codes() == {"caseworker", "supervisor"}
    assert user.check_password(new_password)
    assert not user.is_demo
    assert "Created user petras in LT-SBGS" in output
    entry = AuditEntry.objects.get(action="user_create")
    assert entry.channel == "cli"
    assert entry.object_id == str(user.pk)
    assert new_password not in str(entry.detail)


def _error(*args: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert raised.value.returncode == 1
    return raised.value


def test_unknown_organisation_is_named(lt_profile: None, new_password: str) -> None:
    error = _error("create", "petras", "--organisation", "LT-NOPE", "--role", "caseworker")
    assert str(error).startswith("organisation: unknown organisation code 'LT-NOPE'")
    assert not User.objects.filter(username="petras").exists()


def test_unknown_role_is_named(lt_profile: None, new_password: str) -> None:
    error = _error("create", "petras", "--organisation", "LT-SBGS", "--role", "boss")
    assert str(error).startswith("role: unknown role(s) boss")
    assert not User.objects.filter(username="petras").exists()


def test_organisation_and_role_errors_are_reported_together(
    lt_profile: None, new_password: str
) -> None:
    error = str(_error("create", "petras", "--organisation", "LT-NOPE", "--role", "boss"))
    assert "organisation:" in error and "role:" in error


def test_short_password_is_refused_and_nothing_is_written(
    lt_profile: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILTAS_NEW_PASSWORD", "too short 14ch")
    error = _error("create", "petras", "--organisation", "LT-SBGS", "--role", "caseworker")
    assert str(error).startswith("password: This password is too short.")
    assert not User.objects.filter(username="petras").exists()
    assert not AuditEntry.objects.filter(action="user_create").exists()


def test_common_password_is_refused(lt_profile: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILTAS_NEW_PASSWORD", "1q2w3e4r5t6y7u8i9o0p")
    error = _error("create", "petras", "--organisation", "LT-SBGS", "--role", "caseworker")
    assert "password: This password is too common." in str(error)


def test_existing_username_is_refused(lt_profile: None, new_password: str) -> None:
    persona("LT-SBGS", "caseworker", username="petras")
    error = _error("create", "petras", "--organisation", "LT-SBGS", "--role", "analyst")
    assert str(error) == "username: a user named 'petras' already exists"


def test_invalid_username_is_named(lt_profile: None, new_password: str) -> None:
    error = _error("create", "petras jonaitis", "--organisation", "LT-SBGS", "--role", "analyst")
    assert str(error).startswith("username: ")


def test_without_the_variable_and_without_a_terminal_the_password_is_asked_for(
    lt_profile: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TILTAS_NEW_PASSWORD", raising=False)
    with mock.patch("sys.stdin") as stdin:
        stdin.isatty.return_value = False
        error = _error("create", "petras", "--organisation", "LT-SBGS", "--role", "caseworker")
    assert str(error).startswith("password: set TILTAS_NEW_PASSWORD")


def test_password_typed_in_the_terminal_twice(
    lt_profile: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TILTAS_NEW_PASSWORD", raising=False)
    with (
        mock.patch("sys.stdin") as stdin,
        mock.patch("getpass.getpass", side_effect=[NEW_PASSWORD, NEW_PASSWORD]),
    ):
        stdin.isatty.return_value = True
        run("create", "petras", "--organisation", "LT-SBGS", "--role", "caseworker")
    assert User.objects.get(username="petras").check_password(NEW_PASSWORD)


def test_password_typed_differently_twice_is_refused(
    lt_profile: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TILTAS_NEW_PASSWORD", raising=False)
    with (
        mock.patch("sys.stdin") as stdin,
        mock.patch("getpass.getpass", side_effect=[NEW_PASSWORD, NEW_PASSWORD + "!"]),
    ):
        stdin.isatty.return_value = True
        error = _error("create", "petras", "--organisation", "LT-SBGS", "--role", "caseworker")
    assert str(error) == "password: the two entries differ"
    assert not User.objects.filter(username="petras").exists()


def test_list_shows_organisation_roles_and_second_factor(lt_profile: None) -> None:
    persona("LT-SBGS", "caseworker", "supervisor", username="petras")
    persona("LT-HOTLINE", "caseworker", username="ona", with_totp=False)
    persona("LT-NR", "rapporteur", username="rita")
    user_create(
        username="demo",
        organisation=Organisation.objects.get(code="LT-NR"),
        roles=["rapporteur"],
        password=TEST_PASSWORD,
        is_demo=True,
    )
    lines = run("list").splitlines()
    assert lines == [
        "demo\tLT-NR\trapporteur\tdemo (none)",
        "ona\tLT-HOTLINE\tcaseworker\tnot set up",
        "petras\tLT-SBGS\tcaseworker,supervisor\ttotp",
        "rita\tLT-NR\trapporteur\ttotp",
    ]
    assert run("list", "--organisation", "LT-HOTLINE").splitlines() == [
        "ona\tLT-HOTLINE\tcaseworker\tnot set up"
    ]


def test_reset_second_factor_removes_the_authenticator(lt_profile: None) -> None:
    user = persona("LT-SBGS", "caseworker", username="petras")
    output = run("reset-second-factor", "petras")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert "Removed 1 authenticator(s) of petras" in output
    assert AuditEntry.objects.get(action="second_factor_reset").object_id == str(user.pk)


def test_reset_second_factor_of_unknown_user_is_refused(lt_profile: None) -> None:
    error = _error("reset-second-factor", "nobody")
    assert str(error) == "username: no user named 'nobody'"
