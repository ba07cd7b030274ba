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


def entry_digest(previous_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of the entry's fields."""
    occurred_at = fields["occurred_at"]
    canonical = dict(fields)
    canonical["occurred_at"] = occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    payload = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((previous_hash + payload).encode("utf-8")).hexdigest()


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
