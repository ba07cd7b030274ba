"""Disclosure control of estimation runs: readers who do not run estimates never see a count of
fewer than the country's minimum cell (5 in the Lithuanian profile), nor counts from which one
could be worked out, in the pages or the API; analysts who run estimates see the exact input."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from tiltas.accounts.testing import persona, verified_client
from tiltas.estimation.models import EstimationRun, EstimationStratum
from tiltas.linkage.models import LinkageRun
from tiltas.reference.models import CountryProfile
from tiltas.reference.services import ProfileError, profile_read

pytestmark = pytest.mark.usefixtures("lt_profile")

LISTS = ["police", "ngo", "labour"]
# Per sex: (police, ngo, labour) pattern -> people. Women: one person on all three lists, two
# on police and labour. Men: a group of 4 people found, below the minimum cell.
TABLES: dict[str, dict[tuple[int, ...], int]] = {
    "F": {(1, 0, 0): 40, (0, 1, 0): 35, (0, 0, 1): 22, (1, 1, 0): 12, (1, 0, 1): 2, (1, 1, 1): 1},
    "M": {(1, 0, 0): 2, (0, 1, 0): 1, (1, 1, 0): 1},
}


def _rows(table: dict[tuple[int, ...], int]) -> list[list[int]]:
    return [[*pattern, count] for pattern, count in sorted(table.items())]


def _warnings(table: dict[tuple[int, ...], int]) -> list[dict[str, Any]]:
    """As the run stores them (explain.py): few overlaps below 10, and a wide interval."""
    overlaps = sum(count for pattern, count in table.items() if sum(pattern) >= 2)
    few = [{"code": "few_overlaps", "overlaps": overlaps}] if overlaps < 10 else []
    return [*few, {"code": "wide_interval", "ratio": 6.0}]


def _stratum(run: EstimationRun, code: str, table: dict[tuple[int, ...], int], **figures: Any):
    observed = sum(table.values())
    defaults = {
        "estimate": observed * 1.5,
        "dark_figure": observed * 0.5,
        "interval_95_low": observed * 1.1,
        "interval_95_high": observed * 6.0,
        "interval_80_low": observed * 1.2,
        "interval_80_high": observed * 3.0,
        "interval_kind": "wald",
    }
    return EstimationStratum.objects.create(
        run=run,
        stratum=code,
        position=["all", "F", "M"].index(code),
        capture_table={"lists": LISTS, "rows": _rows(table)},
        outcome="estimate",
        observed=observed,
        warnings=_warnings(table),
        **{**defaults, **figures},
    )


@pytest.fixture
def stratified_run(db) -> EstimationRun:
    linkage_run = LinkageRun.objects.create(status="done", finished_at=timezone.now())
    run = EstimationRun.objects.create(
        reference="EST-2025-0001",
        linkage_run=linkage_run,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        list_definition=[{"code": code, "name": code.title()} for code in LISTS],
        stratify_by="sex",
        method="stepwise",
        threshold=0.02,
        seed=1234,
        status="done",
    )
    whole: dict[tuple[int, ...], int] = {}
    for table in TABLES.values():
        for pattern, count in table.items():
            whole[pattern] = whole.get(pattern, 0) + count
    _stratum(run, "all", whole)
    _stratum(run, "F", TABLES["F"])
    _stratum(run, "M", TABLES["M"])
    return run


def _api(role: str, organisation: str, run: EstimationRun) -> dict[str, Any]:
    client = verified_client(persona(organisation, role))
    response = client.get(f"/api/v1/estimates/{run.reference}/")
    assert response.status_code == 200
    return {item["stratum"]: item for item in response.json()["strata"]}


def _cells(stratum: dict[str, Any]) -> dict[tuple[int, ...], int | None]:
    return {tuple(row[:-1]): row[-1] for row in stratum["capture_table"]["rows"]}


def test_the_analyst_who_runs_estimates_sees_the_exact_input(stratified_run):
    strata = _api("analyst", "LT-VDA", stratified_run)
    assert _cells(strata["M"]) == TABLES["M"]
    assert strata["M"]["observed"] == 4
    assert strata["F"]["dark_figure"] == pytest.approx(56.0)


def test_the_rapporteur_never_gets_a_small_count_nor_one_that_gives_it_away(stratified_run):
    strata = _api("rapporteur", "LT-NR", stratified_run)
    stored = {s.stratum: s for s in stratified_run.strata.all()}
    for code, item in strata.items():
        exact = {tuple(row[:-1]): row[-1] for row in stored[code].capture_table["rows"]}
        cells = _cells(item)
        # Every shown count is the true one; every small count is withheld.
        for pattern, count in cells.items():
            assert count is None or count == exact[pattern]
            if 0 < exact[pattern] < 5:
                assert count is None, (code, pattern)
        # With the total shown, the withheld cells are never one alone nor of a small sum.
        hidden = [exact[p] for p, count in cells.items() if count is None]
        if item["observed"] is not None and hidden:
            assert len(hidden) >= 2 and sum(hidden) >= 5, (code, hidden)
    # The women's cell (1, 1, 1) = 1 is withheld; (1, 0, 1) = 2 goes with it (1 + 2 < 5), and
    # so does a third, since the two alone would sum to 3.
    women = _cells(strata["F"])
    assert women[(1, 1, 1)] is None and women[(1, 0, 1)] is None
    assert sum(count is None for count in women.values()) >= 3
    # The men's group of 4 found: no count, and no figure (an estimate of 6 would say "4").
    men = strata["M"]
    assert men["observed"] is None and men["figures_withheld"] is True
    assert men["estimate"] is None and men["interval_95_high"] is None
    # Men's and women's totals add up to everyone's, so neither may be shown alone.
    assert strata["F"]["observed"] is None
    # Where the number found is withheld, the dark figure (estimate minus found) is too, and so
    # is a Wald interval, whose ends with the estimate give the number found back exactly.
    assert strata["F"]["dark_figure"] is None and strata["F"]["estimate"] is not None
    assert strata["F"]["interval_95_low"] is None and strata["F"]["interval_80_high"] is None
    # Small counts inside warnings are words, not numbers; no ratio gives the found back.
    assert [w["code"] for w in strata["F"]["warnings"]] == ["wide_interval"]
    assert strata["F"]["warnings"][0]["ratio"] is None
    men_warnings = {w["code"]: w for w in men["warnings"]}
    assert men_warnings["few_overlaps"]["overlaps"] is None
    assert men_warnings["few_overlaps"]["fewer_than"] == 10


def test_the_page_shows_withheld_counts_as_fewer_than_five(stratified_run):
    client = verified_client(persona("LT-NR", "rapporteur"))
    page = client.get(f"/estimates/{stratified_run.reference}/").content.decode()
    assert "&lt;5</abbr>" in page
    assert "Fewer than 5 people of this group were found: no figure is shown for it" in page
    assert "Fewer than 10 people were found by more than one list." in page
    assert "Counts of fewer than 5 people are withheld" in page
    analyst = verified_client(persona("LT-VDA", "analyst"))
    page = analyst.get(f"/estimates/{stratified_run.reference}/").content.decode()
    assert "&lt;5</abbr>" not in page
    assert "You see the exact counts because you run estimates." in page


def test_the_minimum_cell_comes_from_the_country_profile(tmp_path, stratified_run):
    CountryProfile.objects.update(minimum_cell=2)
    strata = _api("rapporteur", "LT-NR", stratified_run)
    # With a minimum of 2 only the ones are small.
    assert _cells(strata["F"])[(1, 0, 0)] == 40
    assert strata["M"]["figures_withheld"] is False
    profile = profile_read("lt")
    assert profile["disclosure"]["minimum_cell"] == 5
    bad = tmp_path / "xx.json"
    bad.write_text(
        '{"code": "XX", "name": "X", "currency": "EUR", "default_language": "en", '
        '"languages": [], "disclosure": {"minimum_cell": 1}}'
    )
    with pytest.raises(ProfileError, match=r"disclosure\.minimum_cell: expected a whole number"):
        profile_read(str(bad))


def test_a_bootstrap_interval_stays_when_the_number_found_is_withheld(stratified_run):
    # BCa limits are quantiles of resampled estimates: no formula gives the number found back.
    stratified_run.strata.filter(stratum="F").update(interval_kind="bca")
    women = _api("rapporteur", "LT-NR", stratified_run)["F"]
    assert women["observed"] is None and women["dark_figure"] is None
    assert women["interval_95_low"] == pytest.approx(112 * 1.1)
