"""From linked records to capture-history tables: which lists (groups of organisations) saw each
distinct person in a period, optionally per stratum. Pure functions over plain values, so that the
counting rules are tested without a database.

Counting rules (written down because the national figure depends on them):
- a distinct person is counted in a period when at least one of their records was recorded in it;
- a person is on a list when a record of an organisation of that list was recorded in the period;
- a list nobody is on in the period is left out of the table (it carries no information) and the
  run says so;
- a person's sex is the one most of their records give (unknown records do not vote; a tie is
  unknown); a person is a child when their birth year puts them under 18 in the year of their
  first record in the period (birth years in clear are exact or estimated; unknown stays unknown);
- a person's form of exploitation is the one their records name; several different forms make
  the stratum "multiple", none "unknown" (first responders often do not know it yet).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from tiltas.estimation.methods import CaptureTable
from tiltas.linkage.facts import ADULT_AGE, LinkedFact

ALL = "all"


@dataclass(frozen=True)
class ListDefinition:
    """One list of the estimation: the organisations (by type or by code) whose records put a
    person on it."""

    code: str
    name: str
    organisation_types: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()

    def includes(self, *, organisation: str, organisation_type: str) -> bool:
        return organisation in self.organisations or organisation_type in self.organisation_types

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "organisation_types": list(self.organisation_types),
            "organisations": list(self.organisations),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ListDefinition:
        return cls(
            code=str(data["code"]),
            name=str(data.get("name") or data["code"]),
            organisation_types=tuple(data.get("organisation_types", ())),
            organisations=tuple(data.get("organisations", ())),
        )


@dataclass
class StratumTable:
    stratum: str
    table: CaptureTable | None
    observed: int
    dropped_lists: list[str] = field(default_factory=list)
    unlisted_persons: int = 0
    # The one list that recorded everyone, when only one did (no table to estimate from, but
    # the stored input still says who counted them, for disclosure control of the totals).
    only_list: str | None = None

    def as_json(self) -> dict[str, Any]:
        if self.table is None:
            if self.only_list is not None and self.observed:
                return {"lists": [self.only_list], "rows": [[1, self.observed]]}
            return {"lists": [], "rows": []}
        rows = [
            [*map(int, pattern), int(count)]
            for pattern, count in zip(self.table.patterns, self.table.counts, strict=True)
        ]
        return {"lists": list(self.table.lists), "rows": rows}


def list_definition_check(lists: Sequence[ListDefinition]) -> list[str]:
    """Problems with a list definition, each naming the list; empty when it is usable."""
    problems = []
    codes = [item.code for item in lists]
    if len(lists) < 2:
        problems.append("lists: at least two lists are needed")
    if len(set(codes)) != len(codes):
        problems.append("lists: each list needs its own code")
    for item in lists:
        if not item.organisation_types and not item.organisations:
            problems.append(f"list {item.code}: names no organisation type and no organisation")
    claimed: dict[str, str] = {}
    for item in lists:
        for member in (*item.organisation_types, *item.organisations):
            if member in claimed and claimed[member] != item.code:
                problems.append(
                    f"list {item.code}: {member} is already on list {claimed[member]} "
                    "(a record must belong to one list)"
                )
            claimed[member] = item.code
    return problems


def _majority(values: Iterable[str]) -> str:
    counts = Counter(value for value in values if value)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return ""
    return ranked[0][0]


def _age_group(facts: Sequence[LinkedFact]) -> str:
    first = min(facts, key=lambda fact: fact.recorded_on)
    years = [fact.birth_year for fact in facts if fact.birth_year is not None]
    if not years:
        return "unknown"
    birth_year = int(np.median(years))
    return "child" if first.recorded_on.year - birth_year < ADULT_AGE else "adult"


def stratum_of(facts: Sequence[LinkedFact], stratify_by: str) -> str:
    if stratify_by == "sex":
        return _majority(fact.sex for fact in facts) or "unknown"
    if stratify_by == "age_group":
        return _age_group(facts)
    if stratify_by == "exploitation":
        forms = {form for fact in facts for form in fact.exploitation_forms}
        if not forms:
            return "unknown"
        return forms.pop() if len(forms) == 1 else "multiple"
    return ALL


def capture_tables_build(
    facts: Iterable[LinkedFact],
    *,
    lists: Sequence[ListDefinition],
    period_start: date,
    period_end: date,
    stratify_by: str = "",
) -> list[StratumTable]:
    """The capture-history table of the whole period and, with `stratify_by`, of each stratum
    (in a stable order: all first, then the strata by name)."""
    in_period: dict[str, list[LinkedFact]] = defaultdict(list)
    for fact in facts:
        if period_start <= fact.recorded_on <= period_end:
            in_period[fact.distinct_person_id].append(fact)
    histories: dict[str, list[tuple[tuple[int, ...], str]]] = defaultdict(list)
    unlisted: Counter[str] = Counter()
    for person_facts in in_period.values():
        pattern = tuple(
            int(
                any(
                    item.includes(
                        organisation=fact.organisation, organisation_type=fact.organisation_type
                    )
                    for fact in person_facts
                )
            )
            for item in lists
        )
        stratum = stratum_of(person_facts, stratify_by)
        for key in {ALL, stratum}:
            if any(pattern):
                histories[key].append((pattern, stratum))
            else:
                unlisted[key] += 1
    keys = [ALL, *sorted(key for key in set(histories) | set(unlisted) if key != ALL)]
    return [_table(key, histories.get(key, []), lists, unlisted[key]) for key in keys]


def _table(
    stratum: str,
    histories: list[tuple[tuple[int, ...], str]],
    lists: Sequence[ListDefinition],
    unlisted: int,
) -> StratumTable:
    counts = Counter(pattern for pattern, _ in histories)
    kept = [i for i in range(len(lists)) if any(pattern[i] for pattern in counts)]
    dropped = [lists[i].code for i in range(len(lists)) if i not in kept]
    reduced: Counter[tuple[int, ...]] = Counter()
    for pattern, count in counts.items():
        reduced[tuple(pattern[i] for i in kept)] += count
    observed = sum(reduced.values())
    if len(kept) < 2 or observed == 0:
        only_list = lists[kept[0]].code if len(kept) == 1 else None
        return StratumTable(stratum, None, observed, dropped, unlisted, only_list)
    patterns = sorted(reduced)
    table = CaptureTable(
        lists=tuple(lists[i].code for i in kept),
        patterns=np.array(patterns, dtype=np.int8),
        counts=np.array([reduced[pattern] for pattern in patterns], dtype=np.int64),
    )
    return StratumTable(stratum, table, observed, dropped, unlisted)
