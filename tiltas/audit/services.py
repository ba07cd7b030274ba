"""Writing audit entries: always inside the caller's transaction, so a change and its audit
entry are committed together or not at all (AU-02)."""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from tiltas.audit.chain import HASHED_FIELDS, checkpoint_write, entry_digest
from tiltas.audit.models import AuditEntry, AuditHead, Channel


@dataclass(frozen=True)
class AuditActor:
    """Who acts: a user through a channel, or the system on behalf of an organisation."""

    channel: str
    user_id: str = ""
    username: str = ""
    organisation_code: str = ""
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditEvent:
    action: str
    object_type: str = ""
    object_id: str = ""
    purpose: str = ""
    outcome: str = "ok"
    detail: dict[str, Any] = field(default_factory=dict)


def actor_for_user(user: Any, *, channel: str) -> AuditActor:
    """The audit identity of a logged-in user (any object with the User attributes)."""
    organisation = getattr(user, "organisation", None)
    return AuditActor(
        channel=channel,
        user_id=str(user.pk),
        username=user.get_username(),
        organisation_code=organisation.code if organisation is not None else "",
        roles=tuple(sorted(user.role_codes())),
    )


def system_actor(*, organisation_code: str = "", channel: str = Channel.SYSTEM) -> AuditActor:
    """A system process (an import from the command line, the demo generator)."""
    return AuditActor(channel=channel, username="system", organisation_code=organisation_code)


def _insert_sql() -> str:
    quote = connection.ops.quote_name
    columns = (*HASHED_FIELDS, "previous_hash", "entry_hash")
    return (
        f"INSERT INTO {quote(AuditEntry._meta.db_table)} "  # noqa: S608 - fixed identifiers only
        f"({', '.join(quote(column) for column in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )


def audit_record(*, actor: AuditActor, event: AuditEvent) -> AuditEntry:
    """Append one entry to the chain."""
    return audit_record_many(actor=actor, events=[event])[0]


def audit_record_many(*, actor: AuditActor, events: Sequence[AuditEvent]) -> list[AuditEntry]:
    """Append several entries under one lock of the chain head (bulk reads, imports)."""
    if not events:
        return []
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        now = timezone.now()
        sequence, previous_hash = head.sequence, head.entry_hash
        entries = []
        rows: list[tuple[Any, ...]] = []
        stored_time = connection.ops.adapt_datetimefield_value(now)
        for event in events:
            sequence += 1
            fields = {
                "sequence": sequence,
                "occurred_at": now,
                "actor_id": actor.user_id,
                "actor_username": actor.username,
                "organisation_code": actor.organisation_code,
                "roles": ",".join(actor.roles),
                "channel": actor.channel,
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "purpose": event.purpose,
                "outcome": event.outcome,
                "detail": event.detail,
            }
            entry_hash = entry_digest(previous_hash, fields)
            entries.append(AuditEntry(previous_hash=previous_hash, entry_hash=entry_hash, **fields))
            row: list[Any] = [fields[name] for name in HASHED_FIELDS]
            row[HASHED_FIELDS.index("occurred_at")] = stored_time
            row[HASHED_FIELDS.index("detail")] = json.dumps(event.detail, ensure_ascii=False)
            rows.append((*row, previous_hash, entry_hash))
            previous_hash = entry_hash
        # A plain parameterised INSERT: the ORM's bulk_create costs ten times more per row, and
        # imports write one entry per record.
        with connection.cursor() as cursor:
            cursor.executemany(_insert_sql(), rows)
        head.sequence, head.entry_hash = sequence, previous_hash
        head.save(update_fields=["sequence", "entry_hash"])
        final_sequence, final_hash = sequence, previous_hash
        transaction.on_commit(lambda: checkpoint_write(final_sequence, final_hash))
    return entries
