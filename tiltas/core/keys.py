"""Key rotation: a new data key for new ciphertexts, re-encryption of every registered field in
resumable batches, retirement of a key nobody uses any more (CR-04)."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from tiltas.audit.services import AuditEvent, audit_record, system_actor
from tiltas.core.encryption import encrypted_fields, keyring, open_json, reload_keyring, seal_json


@dataclass(frozen=True)
class KeyUsage:
    key_id: str
    ciphertexts: int
    active: bool


def _keyring_path() -> Path:
    return Path(settings.DATA_KEYRING_FILE)


def keys_usage() -> list[KeyUsage]:
    """How many stored ciphertexts each key of the ring still seals."""
    ring = keyring()
    usage = []
    for key_id in sorted(ring.data_keys):
        count = sum(
            entry.model._default_manager.filter(
                **{f"{entry.field}__startswith": f"v1:{key_id}:"}
            ).count()
            for entry in encrypted_fields()
        )
        usage.append(KeyUsage(key_id, count, key_id == ring.active_key_id))
    return usage


def keys_rotate(*, index_key: bool = False) -> str:
    """Make a new data key active (and optionally a new blind-index key); returns its id."""
    ring = keyring().with_new_data_key()
    if index_key:
        ring = ring.with_new_index_key()
    ring.save(_keyring_path())
    reload_keyring()
    with transaction.atomic():
        audit_record(
            actor=system_actor(channel="cli"),
            event=AuditEvent(
                "keys_rotate", detail={"active_key": ring.active_key_id, "index_key": index_key}
            ),
        )
    return ring.active_key_id


def records_reencrypt(*, batch_size: int = 500, reindex: bool = False) -> int:
    """Re-seal every ciphertext not under the active key, one committed batch at a time, so a
    killed run resumes where it stopped. With `reindex`, rebuild blind indexes of every record."""
    ring = keyring()
    prefix = f"v1:{ring.active_key_id}:"
    total = 0
    for entry in encrypted_fields():
        manager = entry.model._default_manager
        if reindex:
            pending = manager.order_by("pk")
        else:
            pending = manager.exclude(**{f"{entry.field}__startswith": prefix}).order_by("pk")
        last_pk = None
        while True:
            batch_query = pending if last_pk is None else pending.filter(pk__gt=last_pk)
            batch = list(batch_query[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                for record in batch:
                    associated = entry.associated_data(record)
                    value = open_json(getattr(record, entry.field), associated)
                    setattr(record, entry.field, seal_json(value, associated))
                    if reindex and entry.reindex is not None:
                        entry.reindex(record, value)
                manager.bulk_update(batch, [entry.field])
            last_pk = batch[-1].pk
            total += len(batch)
    with transaction.atomic():
        audit_record(
            actor=system_actor(channel="cli"),
            event=AuditEvent(
                "keys_reencrypt",
                detail={"records": total, "active_key": ring.active_key_id, "reindex": reindex},
            ),
        )
    return total


class KeyInUseError(Exception):
    pass


def key_retire(*, key_id: str) -> None:
    """Remove a data key from the ring; refused while any ciphertext still needs it."""
    ring = keyring()
    if key_id == ring.active_key_id:
        raise KeyInUseError(f"{key_id} is the active key; rotate first")
    if key_id not in ring.data_keys:
        raise KeyInUseError(f"{key_id} is not in the key ring")
    usage = {item.key_id: item.ciphertexts for item in keys_usage()}
    if usage.get(key_id):
        raise KeyInUseError(
            f"{usage[key_id]} ciphertexts still use {key_id}; run `tiltas keys reencrypt` first"
        )
    ring.without_keys_except(set(ring.data_keys) - {key_id}).save(_keyring_path())
    reload_keyring()
    with transaction.atomic():
        audit_record(
            actor=system_actor(channel="cli"),
            event=AuditEvent("keys_retire", detail={"key": key_id}),
        )
