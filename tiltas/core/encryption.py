"""The project's key ring, loaded once from outside the database (see tiltas.lib.crypto)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Model

from tiltas.lib.crypto import Keyring


@cache
def _keyring_at(path: str) -> Keyring:
    return Keyring.load_or_create(Path(path))


def keyring() -> Keyring:
    """The key ring named by settings.DATA_KEYRING_FILE (generated on first use in development)."""
    return _keyring_at(str(settings.DATA_KEYRING_FILE))


def reload_keyring() -> None:
    """Forget the cached key ring, after a rotation wrote a new one."""
    _keyring_at.cache_clear()


def seal_json(value: dict[str, Any], associated_data: str) -> str:
    return keyring().encrypt(
        json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"), associated_data
    )


def open_json(ciphertext: str, associated_data: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(keyring().decrypt(ciphertext, associated_data))
    return result


@dataclass(frozen=True)
class EncryptedField:
    """A model field that holds a sealed JSON value; `reindex` rebuilds the record's blind
    indexes from the opened value after the index key changed."""

    model: type[Model]
    field: str
    associated_data: Callable[[Any], str]
    reindex: Callable[[Any, dict[str, Any]], None] | None = None


_ENCRYPTED_FIELDS: list[EncryptedField] = []


def register_encrypted_field(entry: EncryptedField) -> None:
    """Declare an encrypted field, so key rotation re-encrypts it (called from AppConfig.ready)."""
    if entry not in _ENCRYPTED_FIELDS:
        _ENCRYPTED_FIELDS.append(entry)


def encrypted_fields() -> list[EncryptedField]:
    return list(_ENCRYPTED_FIELDS)
