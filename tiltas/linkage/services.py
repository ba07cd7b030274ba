"""Linkage runs (reviewers' decisions are recorded in decisions.py).

A run decrypts every person's identity (the system reads them, in audited reads), hands the
engine standardised records with every decision in force as a must-link or cannot-link
constraint, carries the distinct-person ids over from the previous run, and stores its clusters,
review pairs and quality summary in one transaction at the end: a run is done with all its
results or failed with none. Runs are background jobs (progress visible); the command line runs
one in its own process and waits.

Records of organisations whose type does not share identities take part only through their
keyed encodings (privacy-preserving linkage): run_input.py decrypts them for encoding alone, with
the organisations' key (pprl_keys.py), and the engine never receives their plain records. An
incremental run scores the new records with the current run's saved model, plain or on
encodings as that run linked them: it is refused, asking for a full run, when the organisations
known only by their encodings are no longer those of the current run.

The engine (Splink, DuckDB) is imported only inside the run, so that web processes never pay for
loading it."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

import tiltas
from tiltas.accounts.access import has_permission
from tiltas.accounts.models import Organisation, User
from tiltas.accounts.roles import Permission
from tiltas.audit.services import AuditActor, AuditEvent, actor_for_user, audit_record
from tiltas.jobs.models import Job
from tiltas.jobs.services import JobOutcome, job_enqueue, job_progress, job_run, job_start
from tiltas.linkage.errors import LinkageNotAllowedError, LinkageRunRefusedError
from tiltas.linkage.models import (
    LinkageRun,
    LinkedRecord,
    ReviewPair,
    ReviewStatus,
    RunKind,
    RunStatus,
)
from tiltas.linkage.pprl_keys import PprlKeyUnavailableError, pprl_key
from tiltas.linkage.run_input import (
    RunInput,
    organisations_encoded,
    persons_not_shared,
    run_input_read,
)
from tiltas.linkage.run_linking import (
    clusters_of,
    incremental_check,
    run_link,
    settings_json,
)
from tiltas.linkage.selectors import (
    canonical_pair,
    link_constraints,
    link_decisions_in_force,
    linkage_run_current,
)
from tiltas.people.models import Person

if TYPE_CHECKING:
    from tiltas.linkage.engine.model import LinkageResult

logger = logging.getLogger(__name__)

JOB_KIND = "linkage"
RUN_OBJECT_TYPE = "linkage.run"
DISTINCT_PERSON_PREFIX = "DP-"
# A run queued or running for longer than this is taken for a crashed worker's and no longer
# keeps others from starting.
RUN_STALE_AFTER = timedelta(hours=12)
PROGRESS_EVERY = 500
STORE_BATCH_SIZE = 5_000

# Stage codes reported to the job (labels in views.STAGE_LABELS).
STAGE_READING = "linkage_reading"
STAGE_LINKING = "linkage_linking"
STAGE_STORING = "linkage_storing"


def distinct_person_id(number: int) -> str:
    return f"{DISTINCT_PERSON_PREFIX}{number:06d}"


def _run_create(
    *, kind: str, organisation: Organisation, started_by: User | None, actor: AuditActor
) -> LinkageRun:
    """A queued run and its job; refused while another run is active or, for an incremental
    run, when there is no finished run to extend."""
    if kind not in RunKind.values:
        raise LinkageRunRefusedError(_("Unknown kind of run."))
    with transaction.atomic():
        active = LinkageRun.objects.filter(
            status__in=(RunStatus.QUEUED, RunStatus.RUNNING),
            created_at__gte=timezone.now() - RUN_STALE_AFTER,
        )
        if active.exists():
            raise LinkageRunRefusedError(
                _("Another linkage run is waiting or running; start again when it has finished.")
            )
        previous = linkage_run_current()
        if kind == RunKind.INCREMENTAL:
            if previous is None:
                raise LinkageRunRefusedError(
                    _("An incremental run extends the current clusters: run a full linkage first.")
                )
            incremental_check(previous)
        job = job_start(
            kind=JOB_KIND,
            title=str(RunKind(kind).label),
            organisation=organisation,
            started_by=started_by,
            channel=actor.channel,
        )
        run = LinkageRun(kind=kind, started_by=started_by, job=job, previous=previous)
        run.full_clean()
        run.save()
        audit_record(
            actor=actor,
            event=AuditEvent("start", RUN_OBJECT_TYPE, str(run.pk), detail={"kind": kind}),
        )
    return run


def linkage_run_start(*, user: User, kind: str = RunKind.FULL, channel: str) -> LinkageRun:
    """Queue a linkage run started by an analyst. With the in-process task backend it has
    finished when this returns; with a worker, follow run.job."""
    if not has_permission(user, Permission.LINKAGE_RUN):
        raise LinkageNotAllowedError
    from tiltas.linkage.tasks import linkage_task  # the task module needs the app registry

    run = _run_create(
        kind=kind,
        organisation=user.organisation,
        started_by=user,
        actor=actor_for_user(user, channel=channel),
    )
    assert run.job is not None  # noqa: S101 - _run_create always gives the run its job
    job_enqueue(job=run.job, task=linkage_task)
    run.refresh_from_db()
    return run


def linkage_queued_run(*, job_id: str) -> Job:
    """The body of the queued task."""
    return job_run(job_id=job_id, work=_queued_work)


def _queued_work(job: Job) -> JobOutcome:
    run = LinkageRun.objects.get(job=job)
    user = job.started_by
    if user is None or not has_permission(user, Permission.LINKAGE_RUN):
        return _run_fail(run, _("The person who started the run may no longer run linkage."))
    return linkage_run_execute(run=run, actor=actor_for_user(user, channel=job.channel))


def organisation_for_system_runs() -> Organisation | None:
    """On whose behalf runs without a user (command line, demo) are recorded: the organisation
    whose type oversees the system, else the first active one."""
    active = Organisation.objects.filter(is_active=True).order_by("code")
    return active.filter(type__oversight=True).first() or active.first()


def linkage_run_now(
    *,
    kind: str,
    organisation: Organisation,
    actor: AuditActor,
    started_by: User | None = None,
) -> LinkageRun:
    """Run linkage in this process (the command line, the demo), recorded as a job."""
    run = _run_create(kind=kind, organisation=organisation, started_by=started_by, actor=actor)
    job_run(job_id=str(run.job_id), work=lambda job: linkage_run_execute(run=run, actor=actor))
    run.refresh_from_db()
    return run


def linkage_run_execute(*, run: LinkageRun, actor: AuditActor) -> JobOutcome:
    """Link every person record and store the results of `run`, or record why it failed."""
    started = timezone.now()
    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, updated_at=started)
    run.status = RunStatus.RUNNING
    from tiltas.linkage.engine.clustering import ConstraintConflict

    try:
        _link_and_store(run, actor)
    except (LinkageRunRefusedError, PprlKeyUnavailableError) as exc:
        logger.warning("linkage run %s refused: %s", run.pk, exc)
        return _run_fail(run, str(exc))
    except ConstraintConflict as exc:
        # Decisions are checked for contradictions when recorded, so this is an incremental
        # run meeting a current cluster that a later decision splits.
        logger.warning("linkage run %s refused by the constraints: %s", run.pk, exc)
        message = _(
            "A reviewer decided that records of one current cluster are different persons: "
            "only a full run can split a cluster. Nothing of this run was stored."
        )
        return _run_fail(run, message)
    except Exception as exc:
        logger.exception("linkage run %s stopped on an unexpected error", run.pk)
        message = _(
            "The linkage stopped on an unexpected error (%(error)s); the server log has the "
            "details. Nothing of this run was stored."
        ) % {"error": type(exc).__name__}
        return _run_fail(run, message)
    return JobOutcome(succeeded=True, result=_summary(run))


def _summary(run: LinkageRun) -> dict[str, Any]:
    """The job's result: counts only."""
    return {
        "linkage_run": str(run.pk),
        "kind": run.kind,
        "status": run.status,
        "records": run.record_count,
        "persons": run.person_count,
        "review_pairs": run.review_pairs.count(),
    }


def _run_fail(run: LinkageRun, message: str) -> JobOutcome:
    now = timezone.now()
    LinkageRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error=message, finished_at=now, updated_at=now
    )
    run.status, run.error, run.finished_at = RunStatus.FAILED, message, now
    return JobOutcome(succeeded=False, result=_summary(run), error_message=message)


def _audit_read(
    run: LinkageRun, actor: AuditActor, *, purpose: str, detail: dict[str, Any]
) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent("read", RUN_OBJECT_TYPE, str(run.pk), purpose, detail=detail),
        )


def _records_read(run: LinkageRun, actor: AuditActor) -> RunInput:
    """Every person record as engine input, the records of organisations that do not share
    identities as their encodings only; each read of identities is audited before it happens:
    the plain read (purpose "linkage") and the read for encoding ("linkage encoding")."""
    total = Person.objects.count()
    encoded = organisations_encoded()
    # Loaded before anything is decrypted: a missing key (production) refuses the run at once.
    key = pprl_key() if encoded else None
    not_shared = persons_not_shared().filter(owner__code__in=encoded).count()
    _audit_read(
        run,
        actor,
        purpose="linkage",
        detail={"persons": total - not_shared, "fields": "identity"},
    )
    if encoded:
        _audit_read(
            run,
            actor,
            purpose="linkage encoding",
            detail={"persons": not_shared, "fields": "identity", "organisations": encoded},
        )
    _progress(run, 0, total, STAGE_READING)

    def on_progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0:
            _progress(run, done, max(total, done), STAGE_READING)

    records = run_input_read(encoded_organisations=encoded, key=key, on_progress=on_progress)
    read = len(records.sources)
    _progress(run, read, max(total, read), STAGE_READING)
    return records


def _progress(run: LinkageRun, done: int, total: int, stage: str) -> None:
    if run.job_id is not None:
        job_progress(run.job_id, done=done, total=total, stage=stage)


def _id_source(start: int) -> tuple[Callable[[], str], Callable[[], int]]:
    """A generator of fresh distinct-person ids after `start`, and the last number it issued."""
    issued = [start]

    def id_new() -> str:
        issued[0] += 1
        return distinct_person_id(issued[0])

    return id_new, lambda: issued[0]


def _probability(value: float) -> float:
    # Clipped: floating point may put a certainty a hair outside [0, 1].
    return min(max(float(value), 0.0), 1.0)


def _review_pairs(
    run: LinkageRun, result: LinkageResult, decided: Iterable[tuple[str, str]]
) -> list[ReviewPair]:
    """The result's uncertain pairs, except those a reviewer has already decided."""
    skip = set(decided)
    pairs: dict[tuple[str, str], ReviewPair] = {}
    for evidence in result.evidence:
        key = canonical_pair(evidence.record_l, evidence.record_r)
        if key in skip or key in pairs or key[0] == key[1]:
            continue
        pairs[key] = ReviewPair(
            run=run,
            person_a_id=uuid.UUID(key[0]),
            person_b_id=uuid.UUID(key[1]),
            probability=_probability(evidence.probability),
            probability_with_rivals=(
                None
                if evidence.probability_with_rivals is None
                else _probability(evidence.probability_with_rivals)
            ),
            evidence=[dataclasses.asdict(field) for field in evidence.fields],
        )
    return list(pairs.values())


def _link_and_store(run: LinkageRun, actor: AuditActor) -> None:
    from tiltas.linkage.engine.clustering import cluster_ids_carry
    from tiltas.linkage.engine.quality import quality_summary

    if run.kind == RunKind.INCREMENTAL and run.previous is not None:
        incremental_check(run.previous)  # before any identity is read
    records = _records_read(run, actor)
    _progress(run, 0, 1, STAGE_LINKING)
    in_force = link_decisions_in_force()
    result = run_link(run, records, link_constraints(in_force))
    previous_ids = clusters_of(run.previous) if run.previous is not None else {}
    last_issued = LinkageRun.objects.aggregate(last=Max("last_distinct_person_number"))["last"]
    id_new, last_number = _id_source(last_issued or 0)
    ids = cluster_ids_carry(previous_ids, result.cluster_of, id_new=id_new)
    quality = quality_summary(result, sources=records.sources, sexes=records.sexes)
    # A cluster key is a record id: pages name the distinct person instead.
    for cluster in quality.get("unusual_clusters", []):
        cluster["distinct_person_id"] = ids.get(cluster.pop("cluster"), "")
    review_pairs = _review_pairs(run, result, in_force)
    _progress(run, 1, 1, STAGE_LINKING)

    total = len(ids)
    _progress(run, 0, total, STAGE_STORING)
    with transaction.atomic():
        # Records deleted while the engine ran are left out rather than failing the run.
        existing = {str(pk) for pk in Person.objects.values_list("pk", flat=True).iterator()}
        linked = [
            LinkedRecord(run=run, person_id=uuid.UUID(rid), distinct_person_id=dp)
            for rid, dp in sorted(ids.items())
            if rid in existing
        ]
        for start in range(0, len(linked), STORE_BATCH_SIZE):
            LinkedRecord.objects.bulk_create(linked[start : start + STORE_BATCH_SIZE])
            _progress(run, min(start + STORE_BATCH_SIZE, total), total, STAGE_STORING)
        ReviewPair.objects.bulk_create(
            [
                pair
                for pair in review_pairs
                if str(pair.person_a_id) in existing and str(pair.person_b_id) in existing
            ],
            batch_size=STORE_BATCH_SIZE,
        )
        ReviewPair.objects.filter(status=ReviewStatus.OPEN).exclude(run=run).update(
            status=ReviewStatus.SUPERSEDED, updated_at=timezone.now()
        )
        run.status = RunStatus.DONE
        # Which organisations took part only by their encodings; never the key.
        pprl = {"organisations": list(records.encoded_organisations)}
        run.settings = {**settings_json(result.settings), "pprl": pprl}
        run.splink_version = result.splink_version
        run.code_version = tiltas.__version__
        run.model = result.model
        run.record_count = len(linked)
        run.person_count = len({record.distinct_person_id for record in linked})
        run.last_distinct_person_number = last_number()
        run.quality = quality
        run.finished_at = timezone.now()
        run.error = ""
        run.save()
        audit_record(
            actor=actor,
            event=AuditEvent(
                "link",
                RUN_OBJECT_TYPE,
                str(run.pk),
                "linkage",
                detail={
                    "kind": run.kind,
                    "records": run.record_count,
                    "persons": run.person_count,
                    "review_pairs": len(review_pairs),
                    "decisions_applied": len(in_force),
                    "encoded_organisations": list(records.encoded_organisations),
                },
            ),
        )
