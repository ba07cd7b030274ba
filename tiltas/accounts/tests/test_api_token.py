"""`tiltas api_token`: tokens are created with an expiry, shown once, listed and revoked from the
command line; each step is audited and takes effect on the API at once."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from tiltas.accounts.models import ApiToken, User
from tiltas.accounts.testing import persona
from tiltas.audit.models import AuditEntry

pytestmark = pytest.mark.usefixtures("lt_profile")

PERSONS = "/api/v1/persons/"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def _secret(output: str) -> str:
    [secret] = [line for line in output.splitlines() if re.fullmatch(r"[\w-]{40,}", line)]
    return secret


@pytest.fixture
def officer():
    return persona("LT-LCPB", "caseworker")


def test_create_prints_a_working_secret_once_and_stores_only_its_hash(officer):
    output = _run("create", officer.username, "case-system sync")
    secret = _secret(output)
    token = ApiToken.objects.get(user=officer)
    assert token.name == "case-system sync"
    assert secret.startswith(token.key_prefix)
    assert secret not in token.key_hash
    response = Client(headers={"authorization": f"Token {secret}"}).get(PERSONS)
    assert response.status_code == 200
    assert secret not in _run("list", officer.username)


def test_create_sets_a_90_day_expiry_by_default(officer):
    _run("create", officer.username, "sync")
    token = ApiToken.objects.get(user=officer)
    assert token.expires_at is not None
    remaining = token.expires_at - timezone.now()
    assert timedelta(days=89) < remaining <= timedelta(days=90)


def test_create_with_expires_days(officer):
    _run("create", officer.username, "sync", "--expires-days", "7")
    token = ApiToken.objects.get(user=officer)
    assert token.expires_at is not None
    assert token.expires_at - timezone.now() <= timedelta(days=7)


def test_create_is_audited_without_the_secret(officer):
    secret = _secret(_run("create", officer.username, "sync"))
    entry = AuditEntry.objects.get(action="api_token_create")
    assert entry.channel == "cli"
    assert entry.organisation_code == "LT-LCPB"
    assert entry.detail["user_id"] == str(officer.pk)
    assert secret not in str(entry.detail)


@pytest.mark.parametrize(
    "args, message",
    [
        (("create", "nobody", "sync"), "username: no user named 'nobody'"),
        (("create", "{user}", "  "), "name: give the token a name"),
        (("create", "{user}", "x" * 101), "name: at most 100 characters"),
        (("create", "{user}", "sync", "--expires-days", "0"), "--expires-days"),
        (("create", "{user}", "sync", "--expires-days", "1000"), "--expires-days"),
    ],
)
def test_create_refuses_bad_input_naming_the_argument(officer, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        _run(*(arg.format(user=officer.username) for arg in args))
    assert not ApiToken.objects.exists()


def test_create_refuses_a_deactivated_user(officer):
    User.objects.filter(pk=officer.pk).update(is_active=False)
    with pytest.raises(CommandError, match="deactivated"):
        _run("create", officer.username, "sync")


def test_list_shows_prefix_name_and_state(officer):
    _run("create", officer.username, "first")
    _run("create", officer.username, "second")
    first = ApiToken.objects.get(name="first")
    first.revoked_at = timezone.now()
    first.save()
    lines = _run("list", officer.username).splitlines()
    assert lines[0].split("\t") == ["prefix", "name", "created", "expires", "last used", "state"]
    rows = {line.split("\t")[1]: line.split("\t") for line in lines[1:]}
    assert rows["first"][0] == first.key_prefix
    assert rows["first"][5].startswith("revoked")
    assert rows["second"][5] == "active"
    assert rows["second"][4] == "never"


def test_list_of_a_user_without_tokens(officer):
    assert "no API tokens" in _run("list", officer.username)


def test_revoke_stops_the_token_at_once_and_is_audited(officer):
    secret = _secret(_run("create", officer.username, "sync"))
    client = Client(headers={"authorization": f"Token {secret}"})
    assert client.get(PERSONS).status_code == 200
    output = _run("revoke", secret[:8])
    assert "Revoked" in output
    assert client.get(PERSONS).status_code == 401
    assert AuditEntry.objects.filter(action="api_token_revoke").count() == 1
    assert "expired" not in _run("list", officer.username)


def test_revoke_an_unknown_or_already_revoked_prefix(officer):
    secret = _secret(_run("create", officer.username, "sync"))
    _run("revoke", secret[:8])
    with pytest.raises(CommandError, match="no live token"):
        _run("revoke", secret[:8])


def test_revoke_refuses_an_ambiguous_prefix_unless_the_user_is_named(officer):
    ngo = persona("LT-NGO-CARITAS", "caseworker")
    _run("create", officer.username, "sync")
    _run("create", ngo.username, "sync")
    # Eight random characters rarely collide; make them.
    ApiToken.objects.update(key_prefix="SAMEPREF")
    with pytest.raises(CommandError, match="2 live tokens"):
        _run("revoke", "SAMEPREF")
    _run("revoke", "SAMEPREF", "--username", ngo.username)
    assert ApiToken.objects.get(user=ngo).revoked_at is not None
    assert ApiToken.objects.get(user=officer).revoked_at is None


def test_no_secret_starts_with_a_dash_so_its_prefix_works_on_the_command_line(officer):
    from tiltas.accounts.services import api_token_create

    secrets_made = [api_token_create(user=officer, name=f"t{i}")[1] for i in range(300)]
    assert not [secret for secret in secrets_made if secret.startswith("-")]
