"""Hashing of audit entries and the checkpoint of the chain head kept outside the database."""

import fcntl
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

GENESIS_HASH = "0" * 64


# The fields an entry's hash covers, in hashing order.
HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_username",
    "organisation_code",
    "roles",
    "channel",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "outcome",
    "detail",
)
_OCCURRED_AT = HASHED_FIELDS.index("occurred_at")
_DETAIL = HASHED_FIELDS.index("detail")


def canonical_time(value: datetime | str) -> str:
    """UTC, microseconds: the same text whatever form the database returns the time in."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def digest_values(previous_hash: str, values: list[Any]) -> str:
    """SHA-256 over the previous hash and one JSON array of the HASHED_FIELDS values (a JSON
    array, so no content can slide from one field into the next)."""
    values[_OCCURRED_AT] = canonical_time(values[_OCCURRED_AT])
    detail = values[_DETAIL]
    if isinstance(detail, str):
        values[_DETAIL] = json.loads(detail)
    payload = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((previous_hash + payload).encode("utf-8")).hexdigest()


def entry_digest(previous_hash: str, fields: dict[str, Any]) -> str:
    """The hash of an entry given as a mapping of HASHED_FIELDS."""
    return digest_values(previous_hash, [fields[name] for name in HASHED_FIELDS])


def _database_identity() -> str:
    """Which database the checkpoint belongs to, so test and development databases, or
    SQLite and PostgreSQL, never compare against each other's checkpoints."""
    settings_dict = connection.settings_dict
    ident = f"{settings_dict['ENGINE']}|{settings_dict.get('HOST', '')}|{settings_dict['NAME']}"
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()[:16]


def checkpoint_path() -> Path:
    base = Path(settings.AUDIT_CHECKPOINT_FILE)
    return base.with_name(f"{base.stem}-{_database_identity()}{base.suffix}")


def checkpoint_read() -> dict[str, Any] | None:
    path = checkpoint_path()
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def checkpoint_write(sequence: int, entry_hash: str) -> None:
    """Record the head after a commit; a lagging writer never moves the checkpoint back."""
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_suffix(".lock")
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = checkpoint_read()
        if current is not None and current.get("sequence", 0) >= sequence:
            return
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps(
                {
                    "sequence": sequence,
                    "entry_hash": entry_hash,
                    "written_at": datetime.now(UTC).isoformat(),
                }
            ),
            encoding="utf-8",
        )
        os.replace(tmp, path)


def checkpoint_reset() -> None:
    """Forget the checkpoint (used when a database is created afresh, e.g. `demo --replace`)."""
    checkpoint_path().unlink(missing_ok=True)
