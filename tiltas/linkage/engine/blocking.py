"""Blocking rules sized to the file: on a large file, the blocks of a rule that hold more records
than MAX_BLOCK_RECORDS are left out of that rule (no Django).

A block is the set of records sharing a rule's keys. Its pairs grow with the square of its size,
and a key that hundreds of records share (a common given and family name in a million records)
says little about any two of them: such a pair is scored only when another, sharper rule (one
with a date) brings it. On the demo generator's 1,000,000 records the rules make 478 million
candidate pairs, 87 million with the cap; no block of persons-20k or of the 10,000 demo records
reaches the cap, so small files keep every pair.

The cap is a guard column per rule (1 for a record of a block within the cap, else NULL), so
that the rule stays a conjunction of equalities, which both DuckDB and Spark join on directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type hints

# Measured on the demo generator's files (bench/linkage_scale.py): 64 keeps every block of the
# rules with a full date or a day and month at 1,000,000 records (the largest holds 78 records
# of one date and sex), and caps the rules on names alone and on a name and the birth year.
MAX_BLOCK_RECORDS = 64
GUARD_PREFIX = "block_within_cap_"

BlockingRule = tuple[tuple[str, str], ...]


def blocking_rule_sql(rule: BlockingRule) -> str:
    """The Splink SQL condition of a blocking rule."""
    return " AND ".join(f"l.{left} = r.{right}" for left, right in rule)


def _block_columns(rule: BlockingRule) -> tuple[str, ...] | None:
    """The columns of a rule made of equalities of a column with itself; None for a rule
    across columns (a block there is not a set of records sharing keys)."""
    if any(left != right for left, right in rule):
        return None
    return tuple(left for left, _ in rule)


def blocking_capped(
    columns: Mapping[str, Sequence[Any]],
    rules: Sequence[BlockingRule],
    *,
    max_block: int = MAX_BLOCK_RECORDS,
) -> tuple[dict[str, list[int | None]], list[str]]:
    """The guard columns to add to the table and the SQL of each rule: unchanged where no block
    of the rule holds more than `max_block` records, else with its guard; a rule left with no
    pair at all is left out."""
    used = sorted({left for rule in rules for left, _ in rule if _block_columns(rule)})
    count = len(next(iter(columns.values()), []))
    table = pa.table(
        {"ordinal": pa.array(range(count), pa.int64())}
        | {name: pa.array(columns[name]) for name in used}
    )
    connection = duckdb.connect()
    connection.register("records", table)
    guards: dict[str, list[int | None]] = {}
    rules_sql: list[str] = []
    for index, rule in enumerate(rules):
        block = _block_columns(rule)
        sql = blocking_rule_sql(rule)
        if block is None:
            rules_sql.append(sql)
            continue
        keys = ", ".join(block)
        known = " AND ".join(f"{column} IS NOT NULL" for column in block)
        [(largest, within)] = connection.execute(
            f"SELECT max(n), count(*) FILTER (WHERE n BETWEEN 2 AND {max_block}) "  # noqa: S608 - column names of our rules
            f"FROM (SELECT count(*) AS n FROM records WHERE {known} GROUP BY {keys})"
        ).fetchall()
        if largest is None or largest <= max_block:
            rules_sql.append(sql)
            continue
        if not within:
            continue
        guard = f"{GUARD_PREFIX}{index}"
        rows = connection.execute(
            f"SELECT CASE WHEN {known} AND count(*) OVER (PARTITION BY {keys}) <= {max_block} "  # noqa: S608 - column names of our rules
            "THEN 1 END FROM records ORDER BY ordinal"  # the window reorders rows
        ).fetchall()
        guards[guard] = [row[0] for row in rows]
        rules_sql.append(f"{sql} AND l.{guard} = r.{guard}")
    connection.close()
    return guards, rules_sql
