"""Blocking rules sized to the file: on a large file, the blocks of a rule that hold more records
than MAX_BLOCK_RECORDS are left out of that rule (no Django).

A block is the set of records sharing a rule's keys. Its pairs grow with the square of its size,
and a key that hundreds of records share (a common given and family name in a million records)
says little about any two of them: such a pair is scored only when another, sharper rule (one
with a date) brings it. On the demo generator's 1,000,000 records the rules make 478 million
candidate pairs (counting a pair once per rule), 49 million with the cap, for a blocking recall
of 0.807 instead of 0.978: the true pairs lost are mostly of common names with birth years
alone and unequal, which the model does not link among hundreds of namesakes anyway. Small
files keep every pair: no block of the 1,504-record test sample reaches the cap.

The cap is a guard column per rule (1 for a record of a block within the cap, else NULL), so
that the rule stays a conjunction of equalities, which both DuckDB and Spark join on directly.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type hints

# Measured on the demo generator's 1,000,000 records: 64 keeps every block of the rules on a
# name and a full date or a day and month (the largest holds 63 records) and on name prefixes
# with the birth year (52), and caps those on names alone, on a name and the birth year (up to
# 1,099 records) and on date and sex (78).
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


def pairs_agreeing(table: pa.Table, columns: Sequence[str]) -> int:
    """How many record pairs of `table` agree (non-null) on all `columns`."""
    keys = ", ".join(columns)
    known = " AND ".join(f"{column} IS NOT NULL" for column in columns)
    connection = duckdb.connect()
    connection.register("records", table.select(list(columns)))
    [(pairs,)] = connection.execute(
        "SELECT sum(n * (n - 1) // 2) "  # noqa: S608 - column names of our rules
        f"FROM (SELECT count(*) AS n FROM records WHERE {known} GROUP BY {keys})"
    ).fetchall()
    connection.close()
    return int(pairs or 0)


def blocking_capped(
    records: pa.Table,
    rules: Sequence[BlockingRule],
    *,
    max_block: int = MAX_BLOCK_RECORDS,
) -> tuple[dict[str, pa.Array], list[str]]:
    """The guard columns to add to the table of `records` and the SQL of each rule: unchanged
    where no block of the rule holds more than `max_block` records, else with its guard; a
    rule left with no pair at all is left out."""
    used = sorted({left for rule in rules for left, _ in rule if _block_columns(rule)})
    table = records.select(used).append_column(
        "ordinal", pa.array(range(records.num_rows), pa.int64())
    )
    connection = duckdb.connect()
    connection.register("records", table)
    guards: dict[str, pa.Array] = {}
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
        result = connection.sql(
            f"SELECT CAST(CASE WHEN {known} AND count(*) OVER (PARTITION BY {keys}) <= {max_block} "  # noqa: S608 - column names of our rules
            "THEN 1 END AS TINYINT) AS guard FROM records ORDER BY ordinal"  # the window reorders
        ).to_arrow_table()
        guards[guard] = result.column("guard").combine_chunks()
        rules_sql.append(f"{sql} AND l.{guard} = r.{guard}")
    connection.close()
    return guards, rules_sql
