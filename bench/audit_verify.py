"""Audit trail: time to append N entries and to verify the whole chain (AU-06 goal: 1,000,000
entries verified in under 60 s), beside the floor set by merely reading the same rows.

    .venv/bin/python bench/audit_verify.py [--entries N]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._setup import django_for_benchmark


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=200_000)
    args = parser.parse_args()
    django_for_benchmark()

    from django.db import connection, transaction

    from tiltas.audit.chain import HASHED_FIELDS
    from tiltas.audit.models import AuditEntry
    from tiltas.audit.services import AuditEvent, audit_record_many, system_actor
    from tiltas.audit.verify import audit_chain_verify

    actor = system_actor(organisation_code="BENCH", channel="cli")
    started = time.perf_counter()
    batch = 10_000
    for offset in range(0, args.entries, batch):
        events = [
            AuditEvent("read", "people.person", f"{offset + i:012d}", "benchmark")
            for i in range(min(batch, args.entries - offset))
        ]
        with transaction.atomic():
            audit_record_many(actor=actor, events=events)
    append_seconds = time.perf_counter() - started

    started = time.perf_counter()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in (*HASHED_FIELDS, "previous_hash", "entry_hash"))
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(AuditEntry._meta.db_table)} ORDER BY 1"  # noqa: S608
        )
        while cursor.fetchmany(5000):
            pass
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    result = audit_chain_verify()
    verify_seconds = time.perf_counter() - started
    assert result.ok and result.entries == args.entries, result

    per_million = verify_seconds / args.entries * 1_000_000
    print(f"entries                         {args.entries:>12,}")
    print(f"append (ours)                   {append_seconds:>10.1f} s")
    print(f"verify (ours)                   {verify_seconds:>10.1f} s")
    print(f"  per million entries           {per_million:>10.1f} s  (goal: under 60)")
    print(f"plain SELECT of the rows (floor){read_seconds:>10.1f} s")
    print(f"verify / floor                  {verify_seconds / read_seconds:>10.2f} x")


if __name__ == "__main__":
    main()
