"""Verifying the audit chain: every entry's hash, the links, the gapless sequence, the head row
and the checkpoint kept outside the database (AU-04)."""

from dataclasses import dataclass

from django.db import connection, transaction

from tiltas.audit.chain import GENESIS_HASH, HASHED_FIELDS, checkpoint_read, digest_values
from tiltas.audit.models import AuditEntry, AuditHead


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    problem: str = ""
    first_bad_sequence: int | None = None


def audit_chain_verify(*, batch_size: int = 5000) -> VerifyResult:
    """Walk the chain in order and report the first entry that does not check out."""
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    count = 0
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in (*HASHED_FIELDS, "previous_hash", "entry_hash"))
    query = (
        f"SELECT {columns} FROM {quote(AuditEntry._meta.db_table)} "  # noqa: S608 - fixed names
        f"ORDER BY {quote('sequence')}"
    )
    # Raw rows through a server-side cursor: verification reads the whole table, and the ORM's
    # per-row conversions would double its time.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(query)
        while rows := cursor.fetchmany(batch_size):
            for row in rows:
                values = list(row[: len(HASHED_FIELDS)])
                stored_previous, stored_hash = row[-2], row[-1]
                sequence = values[0]
                if sequence != expected_sequence:
                    kind = "missing" if sequence > expected_sequence else "duplicated or reordered"
                    return VerifyResult(
                        False,
                        count,
                        f"entry #{expected_sequence} is {kind} (found #{sequence})",
                        expected_sequence,
                    )
                if stored_previous != previous_hash:
                    return VerifyResult(
                        False,
                        count,
                        f"entry #{sequence} does not link to the entry before it",
                        sequence,
                    )
                if digest_values(previous_hash, values) != stored_hash:
                    return VerifyResult(False, count, f"entry #{sequence} was altered", sequence)
                previous_hash = stored_hash
                expected_sequence += 1
                count += 1

    last_sequence = expected_sequence - 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence, head.entry_hash) != (last_sequence, previous_hash):
        return VerifyResult(
            False,
            count,
            f"the chain ends at #{last_sequence} but its head records #{head.sequence}",
            min(head.sequence, last_sequence) + 1,
        )
    checkpoint = checkpoint_read()
    checkpoint_sequence = int(checkpoint["sequence"]) if checkpoint else 0
    if checkpoint_sequence > last_sequence:
        return VerifyResult(
            False,
            count,
            f"entries after #{last_sequence} were cut: the checkpoint records "
            f"#{checkpoint_sequence}",
            last_sequence + 1,
        )
    # Every commit moves the checkpoint, so entries beyond it were not written by Tiltas.
    if checkpoint_sequence < last_sequence:
        return VerifyResult(
            False,
            count,
            f"entries #{checkpoint_sequence + 1} to #{last_sequence} are not covered by the "
            "checkpoint kept outside the database",
            checkpoint_sequence + 1,
        )
    if checkpoint is not None and checkpoint_sequence > 0:
        at_checkpoint = AuditEntry.objects.filter(sequence=checkpoint_sequence).first()
        if at_checkpoint is None or at_checkpoint.entry_hash != checkpoint["entry_hash"]:
            return VerifyResult(
                False,
                count,
                f"entry #{checkpoint_sequence} differs from the checkpoint kept outside the "
                "database",
                checkpoint_sequence,
            )
    return VerifyResult(True, count)
