"""Starting background jobs, reporting their progress and recording how they ended.

Progress must be visible while a job's own work is still uncommitted, must not disappear when that
work is rolled back, and must never deadlock. Outside a transaction a report is a short
autocommitted update. Inside one, on PostgreSQL, it goes through a second connection that skips
a locked row rather than wait; on SQLite, which has a single writer that the open transaction
already is, it is written in that transaction (nobody else could write meanwhile anyway). Either
way the last report of each job is kept in memory and written again when the job ends, so a
rolled-back transaction never takes the final figures with it. In-process listeners (the command
line's progress display, tests) hear every report."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks.base import Task

from tiltas.accounts.models import Organisation, User
from tiltas.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)

# Progress reaches the database at most this often per job (the last report of a stage always
# does), so a loop over 100,000 rows does not turn into 100,000 commits.
PROGRESS_WRITE_INTERVAL_SECONDS = 0.5


@dataclass(frozen=True)
class Progress:
    job_id: uuid.UUID
    stage: str
    done: int
    total: int


ProgressListener = Callable[[Progress], None]


@dataclass(frozen=True)
class JobOutcome:
    """What a job's work returns: success or refusal, a summary without personal data."""

    succeeded: bool
    result: dict[str, Any] = field(default_factory=dict)
    error_message: str = ""


class _ThreadState(threading.local):
    def __init__(self) -> None:
        self.listeners: list[ProgressListener] = []
        self.last_write: dict[uuid.UUID, tuple[float, str]] = {}
        self.latest: dict[uuid.UUID, Progress] = {}


_state = _ThreadState()


@contextmanager
def progress_listening(listener: ProgressListener) -> Iterator[None]:
    """Call `listener` with every progress report of jobs run by this thread meanwhile."""
    _state.listeners.append(listener)
    try:
        yield
    finally:
        _state.listeners.remove(listener)


def job_start(
    *,
    kind: str,
    title: str,
    organisation: Organisation,
    channel: str,
    started_by: User | None = None,
    total: int = 0,
) -> Job:
    """Record a queued job on behalf of `organisation`."""
    job = Job(
        kind=kind,
        title=title,
        organisation=organisation,
        started_by=started_by,
        channel=channel,
        total=total,
    )
    job.full_clean()
    job.save()
    return job


def job_enqueue(*, job: Job, task: Task[[str], Any]) -> Job:
    """Hand the job to the task backend (in-process by default: then it has finished on return)."""
    task_result = task.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_result_id=str(task_result.id)[:64])
    job.refresh_from_db()
    return job


def _as_uuid(job_id: uuid.UUID | str) -> uuid.UUID:
    return job_id if isinstance(job_id, uuid.UUID) else uuid.UUID(str(job_id))


def job_progress(job_id: uuid.UUID | str, *, done: int, total: int, stage: str = "") -> None:
    """Report that `done` of `total` units of the current stage are finished."""
    key = _as_uuid(job_id)
    total = max(0, total)
    done = min(max(0, done), total) if total else max(0, done)
    report = Progress(job_id=key, stage=stage, done=done, total=total)
    _state.latest[key] = report
    now = time.monotonic()
    last_time, last_stage = _state.last_write.get(key, (0.0, ""))
    if done >= total or stage != last_stage or now - last_time >= PROGRESS_WRITE_INTERVAL_SECONDS:
        _state.last_write[key] = (now, stage)
        _progress_write(
            key, {"done": done, "total": total, "stage": stage, "updated_at": timezone.now()}
        )
    # Listeners hear of a report after it was written, so one that polls the row sees it.
    for listener in list(_state.listeners):
        listener(report)


def _progress_write(job_id: uuid.UUID, values: dict[str, Any]) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    on_the_side = connection.in_atomic_block and connection.vendor == "postgresql"
    if on_the_side and _progress_write_aside(job_id, values):
        return
    # Otherwise write here. After a skipped aside write the row is invisible or locked to
    # others because this very transaction created or holds it, so this cannot wait on anyone.
    Job.objects.filter(pk=job_id).update(**values)


def _progress_write_aside(job_id: uuid.UUID, values: dict[str, Any]) -> bool:
    """Update the job row through a second, autocommitting connection; whether it did. SKIP
    LOCKED: a row held by the job's own transaction is skipped rather than waited for."""
    aside = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        quote = aside.ops.quote_name
        fields = {field.name: field for field in Job._meta.concrete_fields}
        columns = list(values)
        assignments = ", ".join(f"{quote(fields[name].column)} = %s" for name in columns)
        table, pk = quote(Job._meta.db_table), quote(fields["id"].column)
        params = [fields[name].get_db_prep_save(values[name], aside) for name in columns]
        job_pk = fields["id"].get_db_prep_save(job_id, aside)
        sql = (
            f"UPDATE {table} SET {assignments} WHERE {pk} IN "  # noqa: S608 - names come from the model, values are parameters
            f"(SELECT {pk} FROM {table} WHERE {pk} = %s FOR UPDATE SKIP LOCKED)"
        )
        with aside.cursor() as cursor:
            cursor.execute(sql, [*params, job_pk])
            return bool(cursor.rowcount)
    except Exception:  # progress is a courtesy: it must never break the job itself
        logger.warning("progress of job %s could not be written", job_id, exc_info=True)
        return True
    finally:
        aside.close()


def job_run(*, job_id: uuid.UUID | str, work: Callable[[Job], JobOutcome]) -> Job:
    """Run `work` for a queued job, recording running, then succeeded or failed. A job that
    already finished (a task delivered twice) is not run again."""
    job = Job.objects.select_related("organisation", "started_by").get(pk=_as_uuid(job_id))
    if job.is_finished:
        return job
    started = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=started, updated_at=started
    )
    job.status, job.started_at = JobStatus.RUNNING, started
    try:
        outcome = work(job)
    except Exception:
        logger.exception("job %s (%s) stopped on an unexpected error", job.pk, job.kind)
        _job_finish(
            job,
            JobOutcome(
                succeeded=False,
                error_message=gettext(
                    "The job stopped on an unexpected error; the server log has the details."
                ),
            ),
        )
        raise
    finally:
        _state.last_write.pop(job.pk, None)
    return _job_finish(job, outcome)


def _job_finish(job: Job, outcome: JobOutcome) -> Job:
    latest = _state.latest.pop(job.pk, None)
    if latest is not None:
        job.stage, job.done, job.total = latest.stage, latest.done, latest.total
    else:
        job.refresh_from_db(fields=["done", "total", "stage"])
    job.status = JobStatus.SUCCEEDED if outcome.succeeded else JobStatus.FAILED
    job.result = outcome.result
    job.error_message = outcome.error_message
    job.finished_at = timezone.now()
    if outcome.succeeded and job.total:
        job.done = job.total
    job.save(
        update_fields=[
            "status",
            "result",
            "error_message",
            "finished_at",
            "stage",
            "done",
            "total",
            "updated_at",
        ]
    )
    return job
