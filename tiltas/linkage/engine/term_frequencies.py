"""Term frequencies of names within their citizenship (no Django).

Splink's term-frequency adjustment weighs agreement on a name by how common that name is, and
weighs agreement on citizenship by how common that citizenship is, as if the two were
independent. They are not: nearly every Jamshedzoda is Tajik. Counted over the whole file, two
Tajik records of a Jamshedzoda agree on a rare name and on a rare citizenship, and the two
weights together made them the same person with a probability of 0.9998, while among the
country's two thousand Tajiks the name is common. Counting a name's frequency among the records
of the same citizenship keeps the product of the two adjustments the true one: the share of
records with that name and that citizenship.

Splink looks a frequency up by the value of a column: the name and the citizenship together
make that column (`<name>_within`), and its lookup table, registered with every linker that
scores pairs, gives the name's frequency within the citizenship. A record without a
citizenship gets its name's frequency over the whole file. The frequency is also a column of
each record (`<name>_frequency`), so that a comparison can tell a rare name from a common one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type hints
from splink import Linker
from splink.internals.database_api import DatabaseAPISubClass

from .backends import table_register

# A citizenship's frequencies are shrunk towards the whole file's as if this many records of
# the whole file were among its own. In a small group a name's count is mostly the records of
# the one person whose records are being compared (three records of Olena Kovalenko among five
# Ukrainians would make the name count for nothing); in a group of thousands the group's own
# count decides. Records, not a share: what makes a count trustworthy is how many it counts.
PSEUDO_RECORDS = 1_000
_SEPARATOR = "\x1f"


def frequency_column(name: str) -> str:
    """The column of a name's frequency within its record's citizenship (a number)."""
    return f"{name}_frequency"


def within(name: str) -> str:
    """The column of a name and its record's citizenship, on which Splink looks up the
    name's frequency."""
    return f"{name}_within"


@dataclass(frozen=True)
class NameFrequencies:
    """The `<name>_within` columns to add to the records, and for each its lookup table
    (the column's values and Splink's `tf_<column>`)."""

    columns: dict[str, pa.Array]
    lookups: dict[str, pa.Table]


def _frequencies_sql(name: str, condition: str) -> str:
    # Window counts over the records that have the name: within the record's citizenship when
    # it has one (shrunk towards the whole file's), else over the whole file. A record without
    # the name has no value.
    overall = f'count(*) OVER (PARTITION BY "{name}")::DOUBLE / count("{name}") OVER ()'
    # Column names of the engine's own, never a value of the records.
    return f"""
        SELECT
            CASE WHEN "{name}" IS NOT NULL
                THEN "{name}" || '{_SEPARATOR}' || coalesce("{condition}", '')
            END AS value,
            CASE
                WHEN "{name}" IS NULL THEN NULL
                WHEN "{condition}" IS NULL THEN {overall}
                ELSE (
                    count(*) OVER (PARTITION BY "{name}", "{condition}")
                    + {PSEUDO_RECORDS} * {overall}
                ) / (count("{name}") OVER (PARTITION BY "{condition}") + {PSEUDO_RECORDS})
            END AS frequency
        FROM records
        ORDER BY row_in_file
    """  # noqa: S608


def frequencies_within(
    columns: Mapping[str, Sequence[Any] | pa.Array], *, names: Sequence[str], condition: str
) -> NameFrequencies:
    """The `<name>_within` column of each of `names` and the frequency of each of its
    values: the name counted among the records of its `condition` (citizenship) column."""
    records = pa.table({column: columns[column] for column in (*names, condition)})
    # The values are read back in file order, which a window query does not keep.
    records = records.append_column("row_in_file", pa.array(range(records.num_rows)))
    connection = duckdb.connect()
    added: dict[str, pa.Array] = {}
    lookups: dict[str, pa.Table] = {}
    try:
        connection.register("records", records)
        for name in names:
            column = within(name)
            result = connection.sql(_frequencies_sql(name, condition)).to_arrow_table()
            added[column] = result.column("value").combine_chunks()
            added[frequency_column(name)] = result.column("frequency").combine_chunks()
            connection.register("frequencies", result)
            lookups[column] = connection.sql(
                f'SELECT DISTINCT value AS "{column}", frequency AS "tf_{column}" '  # noqa: S608 - column names of our own
                "FROM frequencies WHERE value IS NOT NULL"
            ).to_arrow_table()
            connection.unregister("frequencies")
    finally:
        connection.close()
    return NameFrequencies(added, lookups)


def lookups_register(
    linker: Linker, db_api: DatabaseAPISubClass, lookups: Mapping[str, pa.Table]
) -> None:
    """Give `linker` the names' frequencies within their citizenship, in place of those it
    would count itself over the whole file (only for the columns its model looks up)."""
    wanted = {
        level["tf_adjustment_column"]
        for comparison in linker.misc.save_model_to_json()["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    }
    for column, lookup in lookups.items():
        if column in wanted:
            linker.table_management.register_term_frequency_lookup(
                table_register(db_api, lookup), column
            )
