"""The linkage API: runs with their quality summaries, and distinct persons per period and
breakdown, for those who read linkage figures; small counts withheld for readers who do not run
linkage; bad parameters answered 400 naming the field."""

from datetime import date

import pytest
from django.utils import timezone

from tiltas.accounts.testing import persona, verified_client
from tiltas.linkage.models import LinkageRun, LinkedRecord, RunStatus
from tiltas.linkage.tests.population import person_add

pytestmark = pytest.mark.usefixtures("lt_profile")

PERSONS = "/api/v1/linkage/persons/"


@pytest.fixture
def run(db):
    """Twelve women and two men, each a distinct person recorded once by the police in 2025."""
    run = LinkageRun.objects.create(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        record_count=14,
        person_count=14,
        quality={"records": 14, "clusters": 14},
    )
    for number in range(14):
        person = person_add(
            "LT-LCPB",
            family_name="Test",
            sex="F" if number < 12 else "M",
            recorded_on=date(2025, 3, 1),
        )
        LinkedRecord.objects.create(run=run, person=person, distinct_person_id=f"DP-{number:06d}")
    return run


def test_an_analyst_counts_distinct_persons_exactly(run):
    client = verified_client(persona("LT-VDA", "analyst"))
    body = client.get(PERSONS, {"breakdown": "sex", "recorded_from": "2025-01-01"}).json()
    assert body["run"] == str(run.pk)
    assert body["persons"] == 14
    assert body["cells"] == {"F": 12, "M": 2}
    assert body["withheld_below"] is None
    assert client.get(PERSONS, {"recorded_to": "2024-12-31"}).json()["persons"] == 0


def test_the_rapporteur_gets_small_cells_withheld_with_their_complement(run):
    client = verified_client(persona("LT-NR", "rapporteur"))
    body = client.get(PERSONS, {"breakdown": "sex"}).json()
    # 2 men is small; 12 women would give it back as 14 - 12, so it goes too.
    assert body["persons"] == 14
    assert body["cells"] == {"F": None, "M": None}
    assert body["withheld_below"] == 5


def test_the_rapporteur_counts_by_calendar_year_only(run):
    # Periods a day apart would give a single day's count by difference.
    client = verified_client(persona("LT-NR", "rapporteur"))
    year = client.get(PERSONS, {"recorded_from": "2025-01-01", "recorded_to": "2025-12-31"})
    assert year.status_code == 200 and year.json()["persons"] == 14
    for period in (
        {"recorded_from": "2025-01-01", "recorded_to": "2025-03-01"},
        {"recorded_from": "2025-01-01"},
        {"recorded_from": "2024-01-01", "recorded_to": "2025-12-31"},
    ):
        response = client.get(PERSONS, period)
        assert response.status_code == 400, period
        assert [error["field"] for error in response.json()["errors"]] == ["recorded_from"]
    analyst = verified_client(persona("LT-VDA", "analyst"))
    day = {"recorded_from": "2025-03-01", "recorded_to": "2025-03-01"}
    assert analyst.get(PERSONS, day).json()["persons"] == 14


def test_runs_are_listed_with_their_quality_summary(run):
    client = verified_client(persona("LT-NR", "rapporteur"))
    listed = client.get("/api/v1/linkage/runs/").json()
    assert [item["id"] for item in listed] == [str(run.pk)]
    assert "quality" not in listed[0]
    detail = client.get(f"/api/v1/linkage/runs/{run.pk}/").json()
    assert detail["quality"] == {"records": 14, "clusters": 14}
    assert detail["person_count"] == 14


def test_bad_parameters_name_the_field(run):
    client = verified_client(persona("LT-VDA", "analyst"))
    response = client.get(
        PERSONS, {"recorded_from": "2025-12-31", "recorded_to": "2025-01-01", "breakdown": "x"}
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"breakdown"}
    response = client.get(PERSONS, {"recorded_from": "2025-12-31", "recorded_to": "2025-01-01"})
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["recorded_to"]
    response = client.get(PERSONS, {"recorded_from": "31.12.2025"})
    assert [error["field"] for error in response.json()["errors"]] == ["recorded_from"]


def test_before_any_run_nothing_is_counted_rather_than_zero(db):
    client = verified_client(persona("LT-VDA", "analyst"))
    body = client.get(PERSONS).json()
    assert body["run"] is None and body["persons"] is None


def test_caseworkers_get_404(run):
    client = verified_client(persona("LT-LCPB", "caseworker"))
    assert client.get(PERSONS).status_code == 404
    assert client.get("/api/v1/linkage/runs/").status_code == 404
