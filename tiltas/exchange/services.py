"""Running imports: read, check every row, then store all rows in one transaction or nothing.

Every channel (web page, API, command line) goes through `import_execute`, inside a background
job so that progress is visible. The web and API queue the job (django-tasks: in-process by
default, a worker in production); the command line runs it in its own process and waits."""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiltas.accounts.access import has_permission
from tiltas.accounts.models import Organisation, User
from tiltas.audit.services import AuditActor, AuditEvent, actor_for_user, audit_record
from tiltas.core.encryption import open_json, seal_json
from tiltas.exchange.models import ImportOutcome, ImportRun
from tiltas.exchange.readers import FileRefusedError, file_format, table_read
from tiltas.exchange.registry import CellError, ParseContext, RecordKind, StoreCounts
from tiltas.exchange.validation import rows_collect, table_validate
from tiltas.jobs.models import Job
from tiltas.jobs.services import JobOutcome, job_enqueue, job_progress, job_run, job_start

logger = logging.getLogger(__name__)

JOB_KIND = "import"
AUDIT_OBJECT_TYPE = "exchange.import"


class ImportNotAllowedError(Exception):
    """The user may not import this kind (the views answer 404, as for any forbidden action)."""


@dataclass(frozen=True)
class ImportReport:
    """How an import ended, with the full error list (empty unless refused)."""

    run: ImportRun
    job: Job
    errors: list[CellError] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return self.run.outcome


def _job_title(kind: RecordKind, dry_run: bool) -> str:
    if dry_run:
        return _("Check of a file of %(kind)s (dry run)") % {"kind": str(kind.label).lower()}
    return _("Import of %(kind)s") % {"kind": str(kind.label).lower()}


def _seal_errors(run: ImportRun, errors: Sequence[CellError]) -> str:
    return seal_json(
        {"errors": [error.as_dict() for error in errors]}, run.errors_associated_data()
    )


def import_errors(run: ImportRun) -> list[CellError]:
    """The sealed error list of a run the caller already obtained through the access policy."""
    raw = open_json(run.errors_ciphertext, run.errors_associated_data())
    return [CellError(**item) for item in raw.get("errors", [])]


def _run_create(
    *,
    kind: RecordKind,
    organisation: Organisation,
    started_by: User | None,
    channel: str,
    dry_run: bool,
    content: bytes,
    keep_upload: bool,
) -> ImportRun:
    """A queued job and its import record; the upload is kept (sealed) only for a worker."""
    with transaction.atomic():
        job = job_start(
            kind=JOB_KIND,
            title=_job_title(kind, dry_run),
            organisation=organisation,
            started_by=started_by,
            channel=channel,
        )
        run = ImportRun(job=job, kind=kind.name, dry_run=dry_run)
        try:
            run.file_format = file_format(content) if content else ""
        except FileRefusedError:
            run.file_format = ""
        upload = {"content": base64.b64encode(content).decode("ascii")} if keep_upload else {}
        run.upload_ciphertext = seal_json(upload, run.upload_associated_data())
        run.errors_ciphertext = _seal_errors(run, [])
        run.full_clean()
        run.save()
    return run


def import_submit(
    *, user: User, kind: RecordKind, content: bytes, dry_run: bool, channel: str
) -> ImportRun:
    """Queue an import of `content` on behalf of the user's organisation. With the in-process
    backend it has finished when this returns; with a worker, follow run.job."""
    if not has_permission(user, kind.permission) or user.organisation is None:
        raise ImportNotAllowedError
    from tiltas.exchange.tasks import import_task  # the task module needs the app registry

    run = _run_create(
        kind=kind,
        organisation=user.organisation,
        started_by=user,
        channel=channel,
        dry_run=dry_run,
        content=content,
        keep_upload=True,
    )
    job_enqueue(job=run.job, task=import_task)
    run.refresh_from_db()
    return run


def import_queued_run(*, job_id: str) -> Job:
    """The body of the queued task: run the import whose upload waits in the database."""
    return job_run(job_id=job_id, work=_queued_work)


def _queued_work(job: Job) -> JobOutcome:
    from tiltas.exchange.registry import kind_get

    run = ImportRun.objects.get(job=job)
    upload = open_json(run.upload_ciphertext, run.upload_associated_data())
    content = base64.b64decode(upload.get("content", ""))
    # The upload is needed no longer: wipe it before anything else can go wrong.
    ImportRun.objects.filter(pk=run.pk).update(
        upload_ciphertext=seal_json({}, run.upload_associated_data()), updated_at=timezone.now()
    )
    kind = kind_get(run.kind)
    user = job.started_by
    if (
        user is None
        or not has_permission(user, kind.permission)
        or user.organisation_id != job.organisation_id
    ):
        return _finish_refused(
            job,
            run,
            [
                CellError(
                    0,
                    "",
                    "not_allowed",
                    _("The person who started the import may no longer import these records."),
                )
            ],
            rows=0,
        )
    return import_execute(
        job=job,
        run=run,
        kind=kind,
        content=content,
        actor=actor_for_user(user, channel=job.channel),
    )


def import_file(
    *,
    kind: RecordKind,
    organisation: Organisation,
    content: bytes,
    dry_run: bool,
    actor: AuditActor,
    channel: str,
    started_by: User | None = None,
) -> ImportReport:
    """Import `content` now, in this process (the command line), recorded as a job."""
    run = _run_create(
        kind=kind,
        organisation=organisation,
        started_by=started_by,
        channel=channel,
        dry_run=dry_run,
        content=content,
        keep_upload=False,
    )
    collected: dict[str, list[CellError]] = {}

    def work(job: Job) -> JobOutcome:
        return import_execute(
            job=job, run=run, kind=kind, content=content, actor=actor, collected=collected
        )

    job = job_run(job_id=str(run.job_id), work=work)
    run.refresh_from_db()
    return ImportReport(run=run, job=job, errors=collected.get("errors", []))


def _summary(run: ImportRun) -> dict[str, Any]:
    """The job's result: counts and codes, never a personal value."""
    return {
        "record_kind": run.kind,
        "dry_run": run.dry_run,
        "outcome": run.outcome,
        "rows": run.rows,
        "errors": run.error_count,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
    }


def _finish_refused(
    job: Job, run: ImportRun, errors: Sequence[CellError], *, rows: int
) -> JobOutcome:
    run.outcome = ImportOutcome.REFUSED
    run.rows = rows
    run.error_count = len(errors)
    run.errors_ciphertext = _seal_errors(run, errors)
    run.save(update_fields=["outcome", "rows", "error_count", "errors_ciphertext", "updated_at"])
    message = ngettext(
        "The file was refused: %(count)d error. Nothing was stored.",
        "The file was refused: %(count)d errors. Nothing was stored.",
        len(errors),
    ) % {"count": len(errors)}
    return JobOutcome(succeeded=False, result=_summary(run), error_message=message)


def import_execute(
    *,
    job: Job,
    run: ImportRun,
    kind: RecordKind,
    content: bytes,
    actor: AuditActor,
    collected: dict[str, list[CellError]] | None = None,
) -> JobOutcome:
    """Read and check the whole file without writing, then store every row in one transaction
    (or, for a dry run, nothing). Progress is reported per stage."""
    organisation = job.organisation
    job_progress(job.pk, done=0, total=0, stage="reading")
    try:
        table = table_read(content, expected_columns=kind.column_names)
        rows = rows_collect(table)
    except FileRefusedError as refusal:
        errors = [CellError(0, "", refusal.code, refusal.message)]
        if collected is not None:
            collected["errors"] = errors
        return _finish_refused(job, run, errors, rows=0)
    total = len(rows)
    job_progress(job.pk, done=0, total=total, stage="validating")
    context = ParseContext(organisation=organisation, today=timezone.localdate())
    validated = table_validate(
        kind,
        table.header,
        rows,
        context,
        on_progress=lambda done: job_progress(job.pk, done=done, total=total, stage="validating"),
    )
    if collected is not None:
        collected["errors"] = validated.errors
    if not validated.ok:
        return _finish_refused(job, run, validated.errors, rows=validated.rows)
    run.rows = validated.rows
    if run.dry_run:
        run.outcome = ImportOutcome.VALID
        run.save(update_fields=["outcome", "rows", "updated_at"])
        return JobOutcome(succeeded=True, result=_summary(run))
    try:
        counts = _store(job=job, run=run, kind=kind, records=validated.records, actor=actor)
    except Exception:
        run.outcome = ImportOutcome.FAILED
        run.save(update_fields=["outcome", "rows", "updated_at"])
        raise
    run.outcome = ImportOutcome.STORED
    run.created, run.updated, run.unchanged = counts.created, counts.updated, counts.unchanged
    run.save(update_fields=["outcome", "rows", "created", "updated", "unchanged", "updated_at"])
    return JobOutcome(succeeded=True, result=_summary(run))


def _store(
    *, job: Job, run: ImportRun, kind: RecordKind, records: list[Any], actor: AuditActor
) -> StoreCounts:
    """All rows or none: one transaction around every batch and the summary audit entry."""
    total = len(records)
    batch_size = kind.store_batch_size or total or 1
    purpose = f"import job {job.pk}"
    counts = StoreCounts()
    job_progress(job.pk, done=0, total=total, stage="storing")
    with transaction.atomic():
        for start in range(0, total, batch_size):
            batch = records[start : start + batch_size]
            counts += kind.store(
                actor=actor, organisation=job.organisation, records=batch, purpose=purpose
            )
            job_progress(job.pk, done=start + len(batch), total=total, stage="storing")
        audit_record(
            actor=actor,
            event=AuditEvent(
                "import",
                AUDIT_OBJECT_TYPE,
                str(run.pk),
                purpose,
                detail={
                    "kind": kind.name,
                    "rows": total,
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                    "organisation": job.organisation.code,
                    "job": str(job.pk),
                },
            ),
        )
    return counts
