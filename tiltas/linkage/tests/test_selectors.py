"""Distinct persons per period and breakdown, and capture histories, against a hand-made linked
population (no engine: the clusters are written by hand)."""

from datetime import date

import pytest
from django.utils import timezone

from tiltas.linkage.models import LinkageRun, LinkedRecord, RunStatus
from tiltas.linkage.selectors import (
    capture_histories,
    distinct_persons_count,
    linkage_run_current,
)
from tiltas.linkage.tests.population import person_add

pytestmark = pytest.mark.usefixtures("lt_profile")

START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def run():
    """DP-1: police and NGO records of one adult woman; DP-2: a boy (police); DP-3: a record of
    2024 without birth year (labour); DP-4: turns 18 in the year of recording (NGO), an adult;
    DP-5: turns 17 in it (child protection), a child."""
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished_at=timezone.now())
    rows = [
        ("DP-1", "LT-LCPB", "F", 1990, date(2025, 1, 10)),
        ("DP-1", "LT-NGO-CARITAS", "F", 1990, date(2025, 2, 1)),
        ("DP-1", "LT-NGO-CARITAS", "F", 1990, date(2025, 4, 1)),
        ("DP-2", "LT-LCPB", "M", 2010, date(2025, 3, 1)),
        ("DP-3", "LT-SLI", "", None, date(2024, 12, 1)),
        ("DP-4", "LT-NGO-CARITAS", "F", 2007, date(2025, 5, 1)),
        ("DP-5", "LT-CPS", "M", 2008, date(2025, 7, 1)),
    ]
    for distinct_person, organisation, sex, birth_year, recorded_on in rows:
        person = person_add(
            organisation,
            family_name="Test",
            sex=sex,
            birth_year=birth_year,
            recorded_on=recorded_on,
        )
        LinkedRecord.objects.create(run=run, person=person, distinct_person_id=distinct_person)
    return run


def test_distinct_persons_in_all_time_and_in_a_period(run):
    assert distinct_persons_count(run=run) == 5
    assert distinct_persons_count(run=run, recorded_from=START, recorded_to=END) == 4
    assert distinct_persons_count(run=run, recorded_to=date(2025, 1, 31)) == 2
    # Bounds are included.
    assert distinct_persons_count(run=run, recorded_from=date(2025, 7, 1)) == 1


def test_a_person_counts_once_in_every_cell_where_their_records_fall(run):
    by_type = distinct_persons_count(
        run=run, breakdown="organisation_type", recorded_from=START, recorded_to=END
    )
    assert by_type == {"police": 2, "ngo_service_provider": 2, "child_protection": 1}
    assert distinct_persons_count(run=run, breakdown="organisation_type") == {
        "police": 2,
        "ngo_service_provider": 2,
        "child_protection": 1,
        "labour_inspectorate": 1,
    }


def test_breakdowns_by_sex_and_by_age_at_recording(run):
    assert distinct_persons_count(
        run=run, breakdown="sex", recorded_from=START, recorded_to=END
    ) == {"F": 2, "M": 2}
    assert distinct_persons_count(run=run, breakdown="sex") == {"": 1, "F": 2, "M": 2}
    assert distinct_persons_count(run=run, breakdown="age_group") == {
        "adult": 2,
        "child": 2,
        "unknown": 1,
    }


def test_an_unknown_breakdown_is_refused(run):
    with pytest.raises(ValueError, match="breakdown"):
        distinct_persons_count(run=run, breakdown="municipality")  # type: ignore[call-overload]


def test_capture_histories_name_the_organisations_that_recorded_each_person(run):
    assert capture_histories(run=run, recorded_from=START, recorded_to=END) == {
        "DP-1": {"LT-LCPB", "LT-NGO-CARITAS"},
        "DP-2": {"LT-LCPB"},
        "DP-4": {"LT-NGO-CARITAS"},
        "DP-5": {"LT-CPS"},
    }
    assert capture_histories(run=run, recorded_from=None, recorded_to=date(2024, 12, 31)) == {
        "DP-3": {"LT-SLI"}
    }


def test_the_current_run_is_the_latest_finished_one(run):
    LinkageRun.objects.create(status=RunStatus.FAILED, finished_at=timezone.now())
    LinkageRun.objects.create(status=RunStatus.QUEUED)
    assert linkage_run_current() == run
    later = LinkageRun.objects.create(status=RunStatus.DONE, finished_at=timezone.now())
    assert linkage_run_current() == later
