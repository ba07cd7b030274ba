"""Which counts of a stored estimation run a reader may see exactly.

The estimate and its interval are model outputs and always shown. The counts that went in (how
many people each combination of lists recorded, per stratum, and the totals) are tables of
people: in a small country a cell of 1 is a person. Readers who run estimates (ESTIMATION_RUN:
they judge the model from its input) see them exactly; every other reader, in the pages and the
API alike, sees them under small-cell disclosure control (tiltas.lib.disclosure), with the
country profile's minimum cell.

The tables of one run are linked: the strata of a breakdown add up to the whole population,
cell by cell. They are protected together as one table of strata by combinations of lists, with
the whole population's table as its column totals and the people found as its row totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tiltas.accounts.access import AnyUser, has_permission
from tiltas.accounts.roles import Permission
from tiltas.estimation.explain import FEW_OVERLAPS
from tiltas.estimation.lists import ALL
from tiltas.estimation.models import EstimationRun, EstimationStratum
from tiltas.lib.disclosure import count_withheld, table_suppress

Pattern = tuple[int, ...]


def sees_exact_counts(user: AnyUser) -> bool:
    return has_permission(user, Permission.ESTIMATION_RUN)


@dataclass
class StratumCounts:
    """The counts of one stratum as a reader may see them: None where withheld."""

    observed: int | None
    # (the 0/1 marks in the stratum table's own list order, the count or None)
    rows: list[tuple[list[int], int | None]] = field(default_factory=list)


def _rows_over(
    stratum: EstimationStratum, codes: Sequence[str]
) -> list[tuple[Pattern, list[int], int]]:
    """Each row of the stratum's table: its pattern over all the run's lists (a list left out
    of the stratum's table is 0 throughout), its own marks and its count."""
    table = stratum.capture_table
    position = {code: i for i, code in enumerate(table["lists"])}
    return [
        (
            tuple(row[position[code]] if code in position else 0 for code in codes),
            list(row[:-1]),
            int(row[-1]),
        )
        for row in table["rows"]
    ]


def _patterns(stratum: EstimationStratum, codes: Sequence[str]) -> dict[Pattern, int]:
    counts: dict[Pattern, int] = {}
    for pattern, _, count in _rows_over(stratum, codes):
        counts[pattern] = counts.get(pattern, 0) + count
    return counts


def _stratum_rows(
    stratum: EstimationStratum, codes: Sequence[str], withheld: dict[Pattern, bool]
) -> list[tuple[list[int], int | None]]:
    return [
        (marks, None if withheld.get(pattern, True) else count)
        for pattern, marks, count in _rows_over(stratum, codes)
    ]


def _exact(strata: Sequence[EstimationStratum]) -> dict[str, StratumCounts]:
    return {
        s.stratum: StratumCounts(
            observed=s.observed,
            rows=[(list(row[:-1]), int(row[-1])) for row in s.capture_table["rows"]],
        )
        for s in strata
    }


def run_counts(
    run: EstimationRun, strata: Sequence[EstimationStratum], *, exact: bool, minimum: int
) -> dict[str, StratumCounts]:
    """Stratum code -> its counts, exact or disclosure-controlled."""
    if exact:
        return _exact(strata)
    codes = [item["code"] for item in run.list_definition]
    whole = next((s for s in strata if s.stratum == ALL), None)
    groups = [s for s in strata if s.stratum != ALL] or ([whole] if whole else [])
    tables = [_patterns(s, codes) for s in groups]
    columns = sorted({pattern for table in tables for pattern in table})
    matrix = [[table.get(pattern, 0) for pattern in columns] for table in tables]
    consistent = [sum(table.values()) for table in tables] == [s.observed for s in groups]
    if whole is not None and groups != [whole]:
        whole_table = _patterns(whole, codes)
        column_sums = {pattern: sum(row[j] for row in matrix) for j, pattern in enumerate(columns)}
        consistent = consistent and whole_table == {p: n for p, n in column_sums.items() if n}
    if not consistent:
        # Tables that do not add up (not written by this version) cannot be protected as one:
        # withhold every count that is not zero, but totals that are large enough alone.
        return {
            s.stratum: StratumCounts(
                observed=None if count_withheld(s.observed, minimum=minimum) else s.observed,
                rows=[(list(row[:-1]), None if row[-1] else 0) for row in s.capture_table["rows"]],
            )
            for s in strata
        }
    suppression = table_suppress(matrix, minimum=minimum)
    counts: dict[str, StratumCounts] = {}
    for i, stratum in enumerate(groups):
        withheld = dict(zip(columns, suppression.cells[i], strict=True))
        observed_withheld = (
            suppression.row_totals[i] if groups != [whole] else (suppression.grand_total)
        )
        counts[stratum.stratum] = StratumCounts(
            observed=None if observed_withheld else stratum.observed,
            rows=_stratum_rows(stratum, codes, withheld),
        )
    if whole is not None and groups != [whole]:
        withheld = dict(zip(columns, suppression.column_totals, strict=True))
        counts[ALL] = StratumCounts(
            observed=None if suppression.grand_total else whole.observed,
            rows=_stratum_rows(whole, codes, withheld),
        )
    return counts


def warning_controlled(item: dict[str, Any], *, minimum: int) -> dict[str, Any]:
    """A stored warning without a count that is small or that gives a withheld cell away."""
    if item.get("code") == "few_overlaps":
        # The people on two or more lists are a sum of table cells: with the shown cells it would
        # give the withheld ones back. The warning only exists below FEW_OVERLAPS, so say that.
        return {**item, "overlaps": None, "fewer_than": FEW_OVERLAPS}
    value = item.get("count")
    if isinstance(value, int) and count_withheld(value, minimum=minimum):
        return {**item, "count": None, "fewer_than": minimum}
    return item


INTERVALS = ("interval_95_low", "interval_95_high", "interval_80_low", "interval_80_high")
FIGURES = ("estimate", "dark_figure", *INTERVALS)


def stratum_shown(
    stratum: EstimationStratum, counts: StratumCounts, *, exact: bool, minimum: int
) -> dict[str, Any]:
    """What a reader sees of one stratum: its counts (`counts`), its warnings and its figures.
    Under control, the dark figure goes with a withheld number found (found = estimate - dark
    figure), and a group of fewer than `minimum` people found shows no figure at all (an
    estimate of a handful of people tells how many there are)."""
    shown: dict[str, Any] = {name: getattr(stratum, name) for name in FIGURES}
    shown["observed"] = counts.observed
    shown["rows"] = counts.rows
    shown["warnings"] = stratum.warnings
    shown["figures_withheld"] = False
    if exact:
        return shown
    shown["warnings"] = [warning_controlled(item, minimum=minimum) for item in stratum.warnings]
    if counts.observed is None:
        shown["dark_figure"] = None
        if stratum.interval_kind == "wald":
            # A Wald interval is n + D exp(-/+ z se) around n + D: with the estimate, its two
            # ends give the number found n back exactly, (low high - estimate^2) /
            # (low + high - 2 estimate). A bootstrap (BCa) interval is resample quantiles.
            shown.update(dict.fromkeys(INTERVALS))
        # The interval's upper end over the number found would give the number found back.
        shown["warnings"] = [
            {**item, "ratio": None} if item.get("code") == "wide_interval" else item
            for item in shown["warnings"]
        ]
    if count_withheld(stratum.observed, minimum=minimum):
        shown.update(dict.fromkeys(FIGURES))
        shown["figures_withheld"] = True
    return shown
