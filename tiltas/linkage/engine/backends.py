"""The databases Splink runs the linkage on: DuckDB inside the process (the default), or Apache
Spark when one machine is not enough (the active Spark session, else a local one)."""

from __future__ import annotations

import os
import shutil
import tempfile
import typing
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type hints
from splink.backends.duckdb import DuckDBAPI
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from .standardise import StandardRecord

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_ARROW_TYPES = {str: pa.string(), int: pa.int64(), bool: pa.bool_()}
# DuckDB's own default is 80 % of the machine's memory: a large linkage would take it all, and
# the budget for 1,000,000 records is 6 GB in all, the records in Python included. Past
# this limit DuckDB spills its joins and sorts to a temporary directory of the run's own.
DUCKDB_MEMORY_LIMIT = "3GB"

# Jaro-Winkler on Spark exactly as DuckDB computes it (its figures are the ones the model is
# tuned on), so that both backends put every pair in the same comparison level. Splink's jar for
# Spark differs in two ways: it halves the transpositions as a fraction, as textbooks do, where
# DuckDB halves them as a whole number, as Winkler's strcmp95 did; and DuckDB adds the prefix
# bonus with one rounding (a fused multiply-add, Math.fma here). Each character of t, in order,
# takes the leftmost free equal character of p within the window: `w` is p with the characters
# taken blanked out, `tm` the matching characters of t. aggregate(array(x), ...) names a value.
# (Our keys are ASCII, where DuckDB's bytes and Spark's characters are the same.)
_JARO_WINDOW = "(greatest(length(p), length(t)) div 2 - 1)"
_JARO_FREE = f"locate(substr(t, j + 1, 1), acc.w, greatest(0, j - {_JARO_WINDOW}) + 1)"
_JARO_SCAN = f"""aggregate(sequence(0, length(t) - 1), named_struct('w', p, 'tm', ''),
  (acc, j) -> IF({_JARO_FREE} BETWEEN 1 AND least(length(p), j + {_JARO_WINDOW} + 1),
    named_struct('w', overlay(acc.w PLACING char(0) FROM {_JARO_FREE} FOR 1),
                 'tm', concat(acc.tm, substr(t, j + 1, 1))),
    acc))"""
_P_MATCHED = """concat_ws('', transform(sequence(1, length(p)),
  i -> IF(substr(s.w, i, 1) = char(0), substr(p, i, 1), '')))"""
_TRANSPOSED = """size(filter(sequence(1, length(s.tm)),
  i -> substr(pm, i, 1) != substr(s.tm, i, 1)))"""
_JARO = f"""aggregate(array({_JARO_SCAN}), 0D, (z, s) -> IF(length(s.tm) = 0, 0D,
  aggregate(array({_P_MATCHED}), 0D, (z, pm) ->
    (length(s.tm) / length(p) + length(s.tm) / length(t)
     + (length(s.tm) - {_TRANSPOSED} div 2) / length(s.tm)) / 3)))"""
_COMMON_PREFIX = """size(filter(sequence(1, least(4, length(p), length(t))),
  i -> substr(p, 1, i) = substr(t, 1, i)))"""
_JARO_WINKLER_SQL = f"""CREATE TEMPORARY FUNCTION jaro_winkler(p STRING, t STRING)
RETURNS DOUBLE
RETURN CASE
  WHEN p IS NULL OR t IS NULL THEN NULL
  WHEN length(p) = 0 OR length(t) = 0 THEN 0D
  WHEN length(p) = 1 AND length(t) = 1 THEN IF(p = t, 1D, 0D)
  ELSE aggregate(array({_JARO}), 0D, (z, jaro) -> IF(jaro > 0.7D,
    CAST(java_method('java.lang.Math', 'fma', {_COMMON_PREFIX} * 0.1D, 1D - jaro, jaro) AS DOUBLE),
    jaro))
END"""


class BackendUnavailableError(RuntimeError):
    """The backend cannot run on this machine (a library or the Java runtime is missing)."""


def database_api(backend: str) -> DatabaseAPISubClass:
    """A Splink database API on `backend` ("duckdb" or "spark")."""
    if backend == "duckdb":
        return _duckdb_api()
    if backend == "spark":
        session = spark_session()  # first: it explains a missing pyspark or Java
        from splink.backends.spark import SparkAPI
        from splink.internals.spark.jar_location import get_scala_udfs

        # The functions of Splink's jar, but Jaro-Winkler as DuckDB computes it.
        jar_functions = get_scala_udfs()  # type: ignore[no-untyped-call]  # unannotated in Splink
        for name, java_class, result_type in jar_functions:
            if name != "jaro_winkler":
                session.udf.registerJavaFunction(name, java_class, result_type)
        session.sql("DROP TEMPORARY FUNCTION IF EXISTS jaro_winkler")  # the jar's, or ours
        session.sql(_JARO_WINKLER_SQL)
        # Persisted (memory, spilling to disk) rather than written to parquet files: no
        # checkpoint directory to choose and clean up.
        return SparkAPI(  # type: ignore[no-untyped-call]  # Splink leaves it unannotated
            spark_session=session, break_lineage_method="persist", register_udfs_automatically=False
        )
    raise ValueError(f"backend: unknown {backend!r}")


def _duckdb_api() -> DuckDBAPI:
    """DuckDB in memory, on every core, within DUCKDB_MEMORY_LIMIT."""
    spill = tempfile.mkdtemp(prefix="tiltas-duckdb-")
    connection = duckdb.connect(
        config={
            "threads": os.cpu_count() or 1,
            "memory_limit": DUCKDB_MEMORY_LIMIT,
            "temp_directory": spill,
        }
    )
    api = DuckDBAPI(connection=connection)
    weakref.finalize(api, shutil.rmtree, spill, ignore_errors=True)
    return api


def backend_start(backend: str) -> None:
    """Start `backend` ahead of the work, so that a missing pyspark or Java shows at once
    (BackendUnavailableError); the linkage then uses the session started here."""
    if backend == "spark":
        spark_session()


def _column_type(name: str) -> pa.DataType | None:
    hint = typing.get_type_hints(StandardRecord).get(name)
    kinds = [kind for kind in typing.get_args(hint) or (hint,) if kind is not type(None)]
    if len(kinds) != 1:
        return None
    if typing.get_origin(kinds[0]) is tuple:  # tuple[str, ...]: a list column
        return pa.list_(_ARROW_TYPES[typing.get_args(kinds[0])[0]])
    return _ARROW_TYPES.get(kinds[0])


def arrow_table(columns: Mapping[str, Sequence[Any] | pa.Array]) -> pa.Table:
    """`columns` (name -> values, or an arrow array) as an arrow table, each list typed by its
    StandardRecord field: a column with no value at all would otherwise get no type, which
    Spark cannot store and DuckDB cannot subtract."""
    return pa.table(
        {
            name: values
            if isinstance(values, pa.Array)
            else pa.array(values, type=_column_type(name))
            for name, values in columns.items()
        }
    )


def table_register(
    db_api: DatabaseAPISubClass, columns: Mapping[str, Sequence[Any] | pa.Array] | pa.Table
) -> SplinkDataFrame:
    """Register `columns` (see arrow_table), or an arrow table, as a Splink input table."""
    table = columns if isinstance(columns, pa.Table) else arrow_table(columns)
    return db_api.register(table)


def _java_found() -> bool:
    home = os.environ.get("JAVA_HOME")
    if home:
        return (Path(home) / "bin" / "java").is_file()
    return shutil.which("java") is not None


def spark_session() -> SparkSession:
    """The active Spark session, else a new local one sized for a small machine."""
    try:
        from pyspark.errors import PySparkRuntimeError
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as exc:
        raise BackendUnavailableError(
            "the spark backend needs pyspark: install Tiltas with its spark extra "
            "(pip install 'tiltas[spark]')"
        ) from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if not _java_found():
        raise BackendUnavailableError(
            "the spark backend needs a Java runtime (17 or newer): none found in JAVA_HOME "
            "or on PATH"
        )
    # Local mode listens on the loopback interface only.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    partitions = str(2 * (os.cpu_count() or 1))
    builder = (
        SparkSession.builder.master("local[*]")
        .appName("tiltas-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", "2g")
        # A local run is short: the JIT's optimising compiler costs more CPU than it saves
        # (measured: half the time on the test's 1,000 records), and one GC thread is enough.
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.shuffle.partitions", partitions)
        .config("spark.default.parallelism", partitions)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
    )
    try:
        session = builder.getOrCreate()
    except PySparkRuntimeError as exc:  # the Java process did not start
        raise BackendUnavailableError(f"Spark could not start: {exc}") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session
