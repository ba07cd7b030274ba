"""Estimation runs from linked persons: stored with their inputs and settings, citable,
reproducible, and honest when the data cannot support a figure."""

from __future__ import annotations

from datetime import date

import pytest

from tiltas.accounts.testing import persona
from tiltas.audit.models import AuditEntry
from tiltas.estimation.lists import ListDefinition
from tiltas.estimation.models import EstimationRun, EstimationStratum
from tiltas.estimation.services import (
    EstimationRefusedError,
    EstimationRequest,
    estimation_run_reproduce,
    estimation_run_start,
    estimation_runs_per_year,
)
from tiltas.estimation.tests.factories import linked_population
from tiltas.jobs.models import Job

pytestmark = pytest.mark.usefixtures("lt_profile")

POLICE = ListDefinition("police", "Police", organisation_types=("police", "prosecution"))
NGO = ListDefinition("ngo", "NGOs", organisation_types=("ngo_service_provider", "shelter"))
LABOUR = ListDefinition("labour", "Labour", organisation_types=("labour_inspectorate",))
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def request_for(run, **changes):
    values = dict(
        linkage_run=run,
        period_start=YEAR[0],
        period_end=YEAR[1],
        lists=(POLICE, NGO, LABOUR),
    )
    values.update(changes)
    return EstimationRequest(**values)


@pytest.fixture
def analyst(db):
    return persona("LT-VDA", "analyst")


def test_an_analyst_estimates_a_simulated_population_and_the_interval_covers_it(analyst):
    linkage_run, found = linked_population(size=600)
    run = estimation_run_start(user=analyst, request=request_for(linkage_run), channel="test")
    assert run.status == "done"
    (whole,) = run.strata.all()
    assert whole.stratum == "all"
    assert whole.outcome == "estimate"
    assert whole.observed == found
    assert whole.capture_table["lists"] == ["police", "ngo", "labour"]
    assert sum(row[-1] for row in whole.capture_table["rows"]) == found
    assert whole.interval_95_low is not None and whole.interval_95_high is not None
    assert whole.interval_95_low < 600 < whole.interval_95_high
    assert whole.interval_kind == "wald"
    assert run.reference.startswith("EST-") and run.reference.endswith("-0001")
    assert run.code_version["tiltas"]
    assert Job.objects.get(pk=str(run.job_id)).status == "succeeded"
    assert AuditEntry.objects.filter(action="estimation.run.start", object_id=str(run.pk)).exists()


def test_a_stored_run_reproduces_exactly_with_its_seed_and_references_are_sequential(analyst):
    linkage_run, _ = linked_population(size=300)
    first = estimation_run_start(
        user=analyst, request=request_for(linkage_run, bootstrap=60, seed=99), channel="test"
    )
    second = estimation_run_start(user=analyst, request=request_for(linkage_run), channel="test")
    assert first.strata.get().interval_kind == "bca"
    assert estimation_run_reproduce(run=first) == []
    assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1
    # A tampered stored figure is caught by the reproduction.
    EstimationStratum.objects.filter(run=first).update(estimate=1.0)
    first.refresh_from_db()
    assert estimation_run_reproduce(run=first)


def test_a_breakdown_by_sex_estimates_each_group_beside_the_whole(analyst):
    linkage_run, found = linked_population(size=800)
    run = estimation_run_start(
        user=analyst, request=request_for(linkage_run, stratify_by="sex"), channel="test"
    )
    strata = {stratum.stratum: stratum for stratum in run.strata.all()}
    assert list(strata) == ["all", "F", "M"]
    assert strata["F"].observed + strata["M"].observed == found
    assert all(stratum.outcome == "estimate" for stratum in strata.values())


def test_one_list_alone_gives_no_figure_and_says_why(analyst):
    linkage_run, _ = linked_population(size=200, captures=(("LT-PD", 0.5),))
    run = estimation_run_start(user=analyst, request=request_for(linkage_run), channel="test")
    whole = run.strata.get()
    assert whole.outcome == "refused"
    assert whole.estimate is None
    codes = [item["code"] for item in whole.warnings]
    assert codes[0] == "too_few_lists"
    assert {"code": "list_dropped", "list": "ngo"} in whole.warnings


def test_lists_that_never_overlap_give_no_figure(analyst):
    # Police and the NGO find disjoint halves of the people: nothing to learn from.
    linkage_run, _ = linked_population(size=100, captures=(("LT-PD", 0.5),), seed=1)
    linked_population(size=100, captures=(("LT-NGO-CARITAS", 0.5),), seed=2)
    from tiltas.linkage.models import LinkedRecord

    # Put the NGO's records into the first run under their own distinct persons.
    other = LinkedRecord.objects.exclude(run=linkage_run)
    for record in other:
        record.distinct_person_id = "N" + record.distinct_person_id
        record.run = linkage_run
        record.save()
    run = estimation_run_start(
        user=analyst, request=request_for(linkage_run, lists=(POLICE, NGO)), channel="test"
    )
    whole = run.strata.get()
    assert whole.outcome == "refused"
    assert whole.warnings[0]["code"] == "no_estimate"


def test_bad_requests_are_refused_naming_the_field_and_store_nothing(analyst):
    linkage_run, _ = linked_population(size=50)
    bad = request_for(
        linkage_run,
        period_start=date(2025, 6, 1),
        period_end=date(2025, 1, 1),
        lists=(POLICE,),
        threshold=1.5,
        bootstrap=-1,
    )
    with pytest.raises(EstimationRefusedError) as refused:
        estimation_run_start(user=analyst, request=bad, channel="test")
    fields = {problem.split(":")[0] for problem in refused.value.problems}
    assert fields == {"lists", "period_end", "threshold", "bootstrap"}
    assert not EstimationRun.objects.exists()


def test_only_those_allowed_may_start_a_run(db):
    linkage_run, _ = linked_population(size=50)
    for user in (
        persona("LT-NR", "rapporteur"),
        persona("LT-PD", "supervisor"),
        persona("LT-PD", "caseworker"),
    ):
        with pytest.raises(EstimationRefusedError):
            estimation_run_start(user=user, request=request_for(linkage_run), channel="test")
    assert not EstimationRun.objects.exists()


def test_one_run_per_calendar_year_of_the_linked_records(analyst):
    linked_population(size=300, period_start=date(2024, 3, 1), days=500)
    made = estimation_runs_per_year(user=analyst, channel="test")
    assert [(run.period_start, run.period_end) for run in made] == [
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 12, 31)),
    ]
    assert all(run.status == "done" for run in made)
