"""The counting rules that turn linked records into capture-history tables (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from tiltas.estimation.lists import (
    ListDefinition,
    capture_tables_build,
    list_definition_check,
)
from tiltas.linkage.facts import LinkedFact

pytestmark = pytest.mark.nodb

POLICE = ListDefinition("police", "Police", organisation_types=("police", "prosecution"))
NGO = ListDefinition("ngo", "NGOs", organisation_types=("ngo_service_provider",))
LABOUR = ListDefinition("labour", "Labour", organisations=("LT-SLI",))
START, END = date(2025, 1, 1), date(2025, 12, 31)


def fact(person: str, organisation_type: str, day: date = date(2025, 5, 1), **extra: object):
    organisation = {"police": "LT-PD", "prosecution": "LT-GPO"}.get(organisation_type, "LT-X")
    if organisation_type == "labour_inspectorate":
        organisation = "LT-SLI"
    return LinkedFact(person, organisation, organisation_type, day, **extra)  # type: ignore[arg-type]


def rows(table) -> dict[tuple[int, ...], int]:
    return {
        tuple(int(v) for v in pattern): int(count)
        for pattern, count in zip(table.patterns, table.counts, strict=True)
    }


def test_a_person_seen_by_two_organisations_of_one_list_counts_once_on_it():
    facts = [
        fact("DP-1", "police"),
        fact("DP-1", "prosecution"),
        fact("DP-1", "ngo_service_provider"),
        fact("DP-2", "police"),
        fact("DP-3", "ngo_service_provider"),
        fact("DP-4", "labour_inspectorate"),
    ]
    (whole,) = capture_tables_build(
        facts, lists=[POLICE, NGO, LABOUR], period_start=START, period_end=END
    )
    assert whole.stratum == "all"
    assert whole.table is not None
    assert whole.table.lists == ("police", "ngo", "labour")
    assert rows(whole.table) == {(1, 1, 0): 1, (1, 0, 0): 1, (0, 1, 0): 1, (0, 0, 1): 1}
    assert whole.observed == 4


def test_records_outside_the_period_do_not_count_and_an_empty_list_is_dropped():
    facts = [
        fact("DP-1", "police"),
        fact("DP-1", "ngo_service_provider", date(2024, 12, 31)),
        fact("DP-2", "ngo_service_provider"),
        fact("DP-5", "labour_inspectorate", date(2026, 1, 1)),
    ]
    (whole,) = capture_tables_build(
        facts, lists=[POLICE, NGO, LABOUR], period_start=START, period_end=END
    )
    assert whole.table is not None
    assert whole.table.lists == ("police", "ngo")
    assert rows(whole.table) == {(1, 0): 1, (0, 1): 1}
    assert whole.dropped_lists == ["labour"]


def test_persons_on_no_list_are_counted_apart():
    facts = [fact("DP-1", "police"), fact("DP-2", "ngo_service_provider"), fact("DP-3", "court")]
    (whole,) = capture_tables_build(facts, lists=[POLICE, NGO], period_start=START, period_end=END)
    assert whole.observed == 2
    assert whole.unlisted_persons == 1


def test_a_single_list_with_people_gives_no_table():
    (whole,) = capture_tables_build(
        [fact("DP-1", "police"), fact("DP-2", "police")],
        lists=[POLICE, NGO],
        period_start=START,
        period_end=END,
    )
    assert whole.table is None
    assert whole.observed == 2


def test_strata_by_sex_use_the_majority_of_records_and_add_up_to_the_whole():
    facts = [
        fact("DP-1", "police", sex="F"),
        fact("DP-1", "ngo_service_provider", sex="F"),
        fact("DP-1", "labour_inspectorate", sex="M"),
        fact("DP-2", "police", sex="M"),
        fact("DP-3", "ngo_service_provider", sex=""),
        fact("DP-4", "police", sex="F"),
        fact("DP-4", "ngo_service_provider", sex="M"),
    ]
    tables = capture_tables_build(
        facts, lists=[POLICE, NGO], period_start=START, period_end=END, stratify_by="sex"
    )
    by_stratum = {table.stratum: table.observed for table in tables}
    assert [table.stratum for table in tables] == ["all", "F", "M", "unknown"]
    # DP-1 is F (2 to 1), DP-2 M, DP-3 unknown (no vote), DP-4 a tie: unknown.
    assert by_stratum == {"all": 4, "F": 1, "M": 1, "unknown": 2}


def test_children_are_under_18_in_the_year_of_their_first_record_in_the_period():
    facts = [
        fact("DP-1", "police", date(2025, 3, 1), birth_year=2008),
        fact("DP-1", "ngo_service_provider", date(2025, 9, 1), birth_year=2008),
        fact("DP-2", "police", birth_year=2007),
        fact("DP-3", "ngo_service_provider"),
    ]
    tables = capture_tables_build(
        facts, lists=[POLICE, NGO], period_start=START, period_end=END, stratify_by="age_group"
    )
    assert {table.stratum: table.observed for table in tables} == {
        "all": 3,
        "adult": 1,
        "child": 1,
        "unknown": 1,
    }


def test_a_list_definition_names_its_problems():
    assert list_definition_check([POLICE]) == ["lists: at least two lists are needed"]
    overlapping = ListDefinition("again", "Again", organisation_types=("police",))
    empty = ListDefinition("empty", "Empty")
    problems = list_definition_check([POLICE, overlapping, empty])
    assert "list empty: names no organisation type and no organisation" in problems
    assert any(p.startswith("list again: police is already on list police") for p in problems)
    assert list_definition_check([POLICE, NGO, LABOUR]) == []


def test_strata_by_form_of_exploitation_put_several_forms_apart():
    facts = [
        fact("DP-1", "police", exploitation_forms=("sexual",)),
        fact("DP-1", "ngo_service_provider", exploitation_forms=()),
        fact("DP-2", "police", exploitation_forms=("labour",)),
        fact("DP-2", "ngo_service_provider", exploitation_forms=("criminal",)),
        fact("DP-3", "ngo_service_provider"),
        fact("DP-4", "police", exploitation_forms=("labour",)),
    ]
    tables = capture_tables_build(
        facts, lists=[POLICE, NGO], period_start=START, period_end=END, stratify_by="exploitation"
    )
    assert {table.stratum: table.observed for table in tables} == {
        "all": 4,
        "labour": 1,
        "multiple": 1,
        "sexual": 1,
        "unknown": 1,
    }
