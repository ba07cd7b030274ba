"""Writes to organisations, users and API tokens."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from tiltas.accounts.models import ApiToken, Organisation, User, UserRole
from tiltas.accounts.roles import Role
from tiltas.reference.models import Municipality, OrganisationType

API_TOKEN_PREFIX_LENGTH = 8


@transaction.atomic
def organisations_load(*, profile: dict[str, Any]) -> list[Organisation]:
    """Create or update the organisations a country profile names (idempotent)."""
    loaded = []
    for entry in profile.get("organisations", []):
        municipality = None
        if entry.get("municipality"):
            municipality = Municipality.objects.get(code=entry["municipality"])
        organisation, _ = Organisation.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "name_local": entry.get("name_local", ""),
                "type": OrganisationType.objects.get(code=entry["type"]),
                "municipality": municipality,
            },
        )
        loaded.append(organisation)
    return loaded


@transaction.atomic
def user_create(
    *,
    username: str,
    organisation: Organisation,
    roles: Iterable[str],
    password: str,
    is_demo: bool = False,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a user in one organisation with one or more roles; the password must pass the
    password policy."""
    role_list = sorted(set(roles))
    if not role_list:
        raise ValueError("roles: a user needs at least one role")
    unknown = [role for role in role_list if role not in Role.values]
    if unknown:
        raise ValueError(f"roles: unknown role(s) {', '.join(unknown)}")
    user = User(
        username=username,
        organisation=organisation,
        is_demo=is_demo,
        first_name=first_name,
        last_name=last_name,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in role_list])
    return user


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for a machine client; the secret is returned once and never stored."""
    secret = secrets.token_urlsafe(32)
    # A secret (and so its prefix) starting with "-" reads as an option on the command line
    # (`tiltas api_token revoke PREFIX`): draw again, one draw in 64.
    while secret.startswith("-"):
        secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_prefix=secret[:API_TOKEN_PREFIX_LENGTH],
        key_hash=_hash_token(secret),
        expires_at=expires_at,
    )
    return token, secret


def api_token_find(*, secret: str) -> ApiToken | None:
    """The live token with this secret, if any."""
    token = (
        ApiToken.objects.select_related("user", "user__organisation__type")
        .filter(key_hash=_hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token
