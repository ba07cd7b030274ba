"""Personas and logged-in clients for tests of every domain (police officer, NGO caseworker...)."""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiltas.accounts.middleware import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY
from tiltas.accounts.models import Organisation, User
from tiltas.accounts.services import organisations_load, user_create
from tiltas.reference.services import profile_read, reference_load


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with a small memory cost, for tests only: the production parameters take a
    noticeable fraction of a second per hash, and the permission matrix creates many users."""

    memory_cost = 1024
    time_cost = 1


TEST_PASSWORD_HASHERS = ["tiltas.accounts.testing.FastArgon2PasswordHasher"]

TEST_PASSWORD = "correct horse battery staple 42"  # noqa: S105 - test-only credential


def load_test_profile(name: str = "lt") -> None:
    """Load a country profile into the test database (idempotent)."""
    profile = profile_read(name)
    reference_load(profile=profile)
    organisations_load(profile=profile)


def persona(
    organisation_code: str,
    *roles: str,
    username: str | None = None,
    with_totp: bool = True,
) -> User:
    """A user of the given organisation with the given roles and, by default, a confirmed TOTP
    device (the key is readable in tests as user.totp_device)."""
    organisation = Organisation.objects.get(code=organisation_code)
    name = username or f"{organisation_code.lower()}-{'-'.join(roles) or 'none'}"
    user = user_create(
        username=name,
        organisation=organisation,
        roles=roles or ("caseworker",),
        password=TEST_PASSWORD,
    )
    if with_totp:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def verified_client(user: User, client: Client | None = None) -> Client:
    """A test client logged in as `user` with the second factor already verified."""
    client = client or Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = client.session
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    assert session.get(SESSION_KEY) and session.get(BACKEND_SESSION_KEY)  # noqa: S101
    assert session.get(HASH_SESSION_KEY)  # noqa: S101
    session.pop(SESSION_STARTED_KEY, None)
    session.pop(SESSION_LAST_SEEN_KEY, None)
    session.save()
    return client
