"""Linkage runs on the database: records of one person across organisations and scripts become
one distinct person, ids stay put from run to run, reviewers' decisions bind every later run,
incremental runs extend the current clusters, and a failed run stores nothing."""

import re
from datetime import date

import pytest
from django.utils import timezone

from tiltas.accounts.testing import persona
from tiltas.audit.models import AuditEntry
from tiltas.audit.services import system_actor
from tiltas.jobs.models import JobStatus
from tiltas.linkage.decisions import DecisionConflictError, link_decision_record
from tiltas.linkage.engine.model import LinkageSettings
from tiltas.linkage.errors import LinkageNotAllowedError, LinkageRunRefusedError
from tiltas.linkage.models import (
    LinkageRun,
    LinkDecision,
    LinkedRecord,
    ReviewPair,
    ReviewStatus,
    RunKind,
    RunStatus,
)
from tiltas.linkage.selectors import link_decision_note, review_queue
from tiltas.linkage.services import (
    RUN_OBJECT_TYPE,
    linkage_run_now,
    linkage_run_start,
)
from tiltas.linkage.tests.population import person_add, population_create
from tiltas.reference.models import OrganisationType

pytestmark = pytest.mark.usefixtures("lt_profile")

# "source": whether the two records come from one organisation (never which).
COMPARED_FIELDS = {"given_name", "family_name", "date_of_birth", "sex", "citizenship", "source"}


@pytest.fixture
def analyst():
    return persona("LT-VDA", "analyst")


@pytest.fixture
def population():
    return population_create()


@pytest.fixture
def every_organisation_shares_identities(lt_profile):
    """Incremental runs compare plain records only: they are refused while an organisation
    that does not share identities holds records (test_runs_pprl.py), so these tests make
    every organisation type share them."""
    OrganisationType.objects.update(shares_identities=True)


def ids_of(run):
    return dict(LinkedRecord.objects.filter(run=run).values_list("person_id", "distinct_person_id"))


def test_a_run_links_one_persons_records_across_organisations_and_scripts(analyst, population):
    run = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")

    assert run.status == RunStatus.DONE, run.error
    assert run.job is not None
    assert run.job.status == JobStatus.SUCCEEDED
    assert run.job.result["persons"] == run.person_count
    ids = ids_of(run)
    assert len(ids) == run.record_count == 30
    olena = {ids[p.pk] for p in (population.olena_border, population.olena_ngo)}
    assert len(olena) == 1
    assert len({ids[p.pk] for p in population.singles}) == len(population.singles)
    assert run.person_count == len(set(ids.values()))
    assert all(re.fullmatch(r"DP-\d{6}", value) for value in ids.values())
    # What reproduces the run is kept with it.
    assert run.settings["cluster_threshold"] == pytest.approx(LinkageSettings().cluster_threshold)
    assert run.splink_version and run.code_version and run.model["comparisons"]
    assert run.quality["records"] == 30
    assert run.finished_at is not None and run.started_by == analyst
    actions = list(
        AuditEntry.objects.filter(object_type=RUN_OBJECT_TYPE, object_id=str(run.pk))
        .order_by("sequence")
        .values_list("action", "purpose")
    )
    # The plain read, and the read of the NGO's records for their encoding (test_runs_pprl).
    assert actions == [
        ("start", ""),
        ("read", "linkage"),
        ("read", "linkage encoding"),
        ("link", "linkage"),
    ]


def test_review_pairs_carry_masked_evidence_only(analyst, population):
    run = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")

    pairs = list(run.review_pairs.all())
    assert pairs, "the population holds uncertain pairs"
    low, high = run.settings["review_band"]
    for pair in pairs:
        assert str(pair.person_a_id) < str(pair.person_b_id)
        assert low <= pair.probability < high
        # The probability clustering used: the model's, or lower once rivals are counted.
        assert pair.probability_with_rivals is not None
        assert pair.probability_with_rivals <= pair.probability + 1e-12
        assert pair.evidence
        for item in pair.evidence:
            # Field names, agreement categories and weights: no value of either record.
            assert set(item) == {"field", "agreement", "weight"}
            assert item["field"] in COMPARED_FIELDS
            assert item["agreement"] in {"agree", "similar", "disagree", "missing"}
            assert isinstance(item["weight"], float)


def test_relinking_unchanged_records_keeps_every_distinct_person_id(analyst, population):
    first = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")
    second = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")

    assert second.previous == first
    assert ids_of(second) == ids_of(first)
    assert second.last_distinct_person_number == first.last_distinct_person_number
    assert not first.review_pairs.filter(status=ReviewStatus.OPEN).exists()
    assert set(review_queue(analyst)) == set(second.review_pairs.all())


def test_decisions_bind_the_next_run_and_leave_the_queue(analyst, population):
    first = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")
    ids = ids_of(first)
    queue = list(review_queue(analyst))
    apart = next(pair for pair in queue if ids[pair.person_a_id] != ids[pair.person_b_id])
    together = next(pair for pair in queue if ids[pair.person_a_id] == ids[pair.person_b_id])

    link_decision_record(user=analyst, pair=apart, decision="same", channel="web")
    link_decision_record(
        user=analyst, pair=together, decision="different", note="other mother", channel="web"
    )
    apart.refresh_from_db()
    assert apart.status == ReviewStatus.DECIDED
    second = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")

    relinked = ids_of(second)
    assert relinked[apart.person_a_id] == relinked[apart.person_b_id]
    assert relinked[together.person_a_id] != relinked[together.person_b_id]
    decided = {(pair.person_a_id, pair.person_b_id) for pair in (apart, together)}
    assert not any(
        (pair.person_a_id, pair.person_b_id) in decided for pair in second.review_pairs.all()
    )
    decision = LinkDecision.objects.get(person_a=together.person_a_id)
    assert "other mother" not in decision.note_ciphertext
    assert link_decision_note(decision) == "other mother"
    assert AuditEntry.objects.filter(action="decide", object_id=str(decision.pk)).exists()


def _pairs_by_hand(population):
    """A finished run with hand-made pairs (no engine): a-b, b-c and a-c."""
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished_at=timezone.now())
    a, b, c = sorted(population.singles[:3], key=lambda person: str(person.pk))
    return run, [
        ReviewPair.objects.create(run=run, person_a=left, person_b=right, probability=0.8)
        for left, right in ((a, b), (b, c), (a, c))
    ]


def test_a_decision_contradicting_the_decisions_in_force_is_refused(analyst, population):
    _, (ab, bc, ac) = _pairs_by_hand(population)
    link_decision_record(user=analyst, pair=ab, decision="same", channel="web")
    link_decision_record(user=analyst, pair=bc, decision="same", channel="web")

    with pytest.raises(DecisionConflictError):
        link_decision_record(user=analyst, pair=ac, decision="different", channel="web")

    ac.refresh_from_db()
    assert ac.status == ReviewStatus.OPEN
    assert LinkDecision.objects.count() == 2
    # Changing one of the earlier decisions first makes room for it; the latest one counts.
    link_decision_record(user=analyst, pair=bc, decision="different", channel="web")
    link_decision_record(user=analyst, pair=ac, decision="different", channel="web")
    assert LinkDecision.objects.count() == 4


def test_a_supervisor_decides_only_pairs_touching_the_own_organisation(population):
    _, (ab, _bc, _ac) = _pairs_by_hand(population)
    ngo_supervisor = persona("LT-NGO-CARITAS", "supervisor")
    caseworker = persona("LT-LCPB", "caseworker")

    for user in (ngo_supervisor, caseworker):
        with pytest.raises(LinkageNotAllowedError):
            link_decision_record(user=user, pair=ab, decision="same", channel="web")
    police_supervisor = persona("LT-LCPB", "supervisor")
    link_decision_record(user=police_supervisor, pair=ab, decision="same", channel="web")
    assert LinkDecision.objects.get().decided_by == police_supervisor


def test_an_incremental_run_adds_new_records_to_the_current_clusters(
    analyst, every_organisation_shares_identities, population
):
    first = linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")
    newcomer = person_add(
        "LT-CPS",
        given_name="Olena",
        family_name="Kovalenko",
        date_of_birth=date(1990, 3, 4),
        sex="F",
        citizenships=("UKR",),
    )
    second = linkage_run_start(user=analyst, kind=RunKind.INCREMENTAL, channel="web")

    assert second.status == RunStatus.DONE, second.error
    assert second.kind == RunKind.INCREMENTAL and second.previous == first
    before, after = ids_of(first), ids_of(second)
    assert after[newcomer.pk] == before[population.olena_ngo.pk]
    assert {pk: after[pk] for pk in before} == before
    assert second.record_count == first.record_count + 1


def test_an_incremental_run_needs_a_finished_run(analyst, population):
    with pytest.raises(LinkageRunRefusedError):
        linkage_run_start(user=analyst, kind=RunKind.INCREMENTAL, channel="web")
    assert not LinkageRun.objects.exists()


def test_a_run_does_not_start_while_another_waits(analyst, population):
    LinkageRun.objects.create(status=RunStatus.QUEUED)
    with pytest.raises(LinkageRunRefusedError):
        linkage_run_start(user=analyst, kind=RunKind.FULL, channel="web")


def test_only_analysts_start_runs(population):
    for user in (persona("LT-LCPB", "supervisor"), persona("LT-NR", "rapporteur")):
        with pytest.raises(LinkageNotAllowedError):
            linkage_run_start(user=user, kind=RunKind.FULL, channel="web")
    assert not LinkageRun.objects.exists()


def test_a_failed_run_stores_nothing_and_says_why(
    analyst, every_organisation_shares_identities, population
):
    # A finished run whose trained model was lost: the incremental run cannot score with it.
    broken = LinkageRun.objects.create(status=RunStatus.DONE, model={}, finished_at=timezone.now())
    LinkedRecord.objects.bulk_create(
        LinkedRecord(run=broken, person=person, distinct_person_id=f"DP-{index:06d}")
        for index, person in enumerate(population.singles, start=1)
    )
    run = linkage_run_now(
        kind=RunKind.INCREMENTAL,
        organisation=analyst.organisation,
        actor=system_actor(organisation_code="LT-VDA", channel="cli"),
    )

    assert run.status == RunStatus.FAILED
    assert "server log" in run.error
    assert not run.records.exists() and not run.review_pairs.exists()
    assert run.job is not None
    assert run.job.status == JobStatus.FAILED and run.job.error_message == run.error
