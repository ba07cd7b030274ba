"""Blocking rules sized to the file: on a large file, the blocks of a rule that hold more records
than MAX_BLOCK_RECORDS are left out of that rule (no Django).

A block is the set of records sharing a rule's keys. Its pairs grow with the square of its size,
and a key that many records share (a common given and family name in a million records) says
little about any two of them: such a pair is scored only when another, sharper rule (one with a
date) brings it. On the demo generator's 1,000,000 records the rules make 478 million candidate
pairs (a pair counted once per rule that finds it), 29 million with the cap; blocking keeps
0.781 of the true pairs instead of 0.978, mostly losing pairs of common names whose birth years
alone are known and differ, which the model mostly linked wrongly: on the first 100,000 records
the cap takes the clusters' pairwise precision from 0.838 to 0.858 and their recall from 0.745
to 0.744 (F1 0.789 -> 0.797). persons-20k keeps every pair: its largest block holds 34 records.

The cap is a guard column per rule (1 for a record of a block within the cap, else NULL), so
that the rule stays a conjunction of equalities, which both DuckDB and Spark join on directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type hints

# Above the largest block of persons-20k (34 records), and few enough pairs at 1,000,000 demo
# records for two cores (29 million; 49 million at 64, 22.5 million at 32).
MAX_BLOCK_RECORDS = 40
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


def model_uncapped(model: Mapping[str, Any]) -> dict[str, Any]:
    """A saved Splink model with its blocking rules as written, without the block caps: a table
    built without the guard columns (incremental linking of a few new records) can use it."""
    guard = re.compile(rf" AND l\.{GUARD_PREFIX}\d+ = r\.{GUARD_PREFIX}\d+")
    rules = [
        dict(rule, blocking_rule=guard.sub("", rule["blocking_rule"]))
        for rule in model.get("blocking_rules_to_generate_predictions", [])
    ]
    return dict(model, blocking_rules_to_generate_predictions=rules)
