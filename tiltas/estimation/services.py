"""Estimation runs: start one from the linked persons of a period, compute it (in a background
job, since a bootstrap takes a while), and reproduce a stored one.

A run is written once: its strata are stored in one transaction when every stratum is computed,
so a run is either complete or has none (a failure records only its status and error)."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import scipy
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import tiltas
from tiltas.accounts.access import has_permission
from tiltas.accounts.models import User
from tiltas.accounts.roles import Permission
from tiltas.audit.services import AuditEvent, actor_for_user, audit_record
from tiltas.estimation.explain import result_warnings, table_warnings
from tiltas.estimation.lists import (
    ListDefinition,
    StratumTable,
    capture_tables_build,
    list_definition_check,
)
from tiltas.estimation.methods import (
    DEFAULT_SEED,
    DEFAULT_THRESHOLD,
    CaptureTable,
    EstimationError,
    Method,
    population_estimate,
)
from tiltas.estimation.models import (
    EstimationRun,
    EstimationStratum,
    Outcome,
    RunStatus,
    Stratification,
)
from tiltas.estimation.selectors import default_lists
from tiltas.jobs.models import Job
from tiltas.jobs.services import JobOutcome, job_enqueue, job_progress, job_run, job_start
from tiltas.linkage.models import LinkageRun
from tiltas.linkage.selectors import linkage_run_current, linked_facts

logger = logging.getLogger(__name__)

JOB_KIND = "estimation"
MAX_BOOTSTRAP = 10_000


class EstimationRefusedError(ValueError):
    """The request cannot start a run; `problems` name the fields."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class EstimationRequest:
    linkage_run: LinkageRun
    period_start: date
    period_end: date
    lists: tuple[ListDefinition, ...]
    stratify_by: str = ""
    method: str = Method.STEPWISE.value
    threshold: float = DEFAULT_THRESHOLD
    bootstrap: int = 0
    seed: int = DEFAULT_SEED
    title: str = ""


def _request_problems(request: EstimationRequest) -> list[str]:
    problems = list_definition_check(request.lists)
    if request.period_start > request.period_end:
        problems.append("period_end: the period ends before it starts")
    if request.method not in {method.value for method in Method}:
        problems.append(f"method: unknown method {request.method!r}")
    if not 0 <= request.threshold <= 1 or math.isnan(request.threshold):
        problems.append("threshold: must be between 0 and 1")
    if not 0 <= request.bootstrap <= MAX_BOOTSTRAP:
        problems.append(f"bootstrap: must be between 0 and {MAX_BOOTSTRAP}")
    if request.stratify_by not in Stratification.values:
        problems.append(f"stratify_by: unknown breakdown {request.stratify_by!r}")
    if request.linkage_run.status != "done":
        problems.append("linkage_run: the linkage run has not finished")
    return problems


def _code_version() -> dict[str, str]:
    return {"tiltas": tiltas.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


def _next_reference(year: int) -> str:
    prefix = f"EST-{year}-"
    numbers = [
        int(match.group(1))
        for reference in EstimationRun.objects.filter(reference__startswith=prefix).values_list(
            "reference", flat=True
        )
        if (match := re.fullmatch(r"EST-\d{4}-(\d+)", reference))
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def estimation_run_start(*, user: User, request: EstimationRequest, channel: str) -> EstimationRun:
    """Record a run and queue its computation. With the in-process task backend it has finished
    when this returns; with a worker, the run's status and job show how far it is."""
    if not has_permission(user, Permission.ESTIMATION_RUN):
        raise EstimationRefusedError([_("You may not start estimation runs.")])
    problems = _request_problems(request)
    if problems:
        raise EstimationRefusedError(problems)
    from tiltas.estimation.tasks import estimation_task  # the task module needs the app registry

    for _attempt in range(5):
        try:
            with transaction.atomic():
                run = _run_create(user=user, request=request, channel=channel)
            break
        except IntegrityError:
            # Two runs took the same reference at once: take the next one.
            continue
    else:
        raise EstimationRefusedError([_("Could not allocate a reference; try again.")])
    assert run.job is not None  # noqa: S101 - created with its job just above
    job_enqueue(job=run.job, task=estimation_task)
    run.refresh_from_db()
    return run


def _run_create(*, user: User, request: EstimationRequest, channel: str) -> EstimationRun:
    job = job_start(
        kind=JOB_KIND,
        title=_("Estimate of the hidden number of victims"),
        organisation=user.organisation,
        started_by=user,
        channel=channel,
    )
    run = EstimationRun(
        reference=_next_reference(timezone.localdate().year),
        title=request.title,
        linkage_run=request.linkage_run,
        period_start=request.period_start,
        period_end=request.period_end,
        list_definition=[item.as_json() for item in request.lists],
        stratify_by=request.stratify_by,
        method=request.method,
        threshold=request.threshold,
        bootstrap=request.bootstrap,
        seed=request.seed,
        job=job,
        created_by=user,
        code_version=_code_version(),
    )
    run.full_clean()
    run.save()
    audit_record(
        actor=actor_for_user(user, channel=channel),
        event=AuditEvent(
            action="estimation.run.start",
            object_type="estimation.run",
            object_id=str(run.pk),
            detail={"reference": run.reference, "method": run.method, "seed": run.seed},
        ),
    )
    return run


def _table_from_json(data: dict[str, Any]) -> CaptureTable:
    rows = data["rows"]
    return CaptureTable(
        lists=tuple(data["lists"]),
        patterns=np.array([row[:-1] for row in rows], dtype=np.int8),
        counts=np.array([row[-1] for row in rows], dtype=np.int64),
    )


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def stratum_compute(
    *, stratum: StratumTable, method: str, threshold: float, bootstrap: int, seed: int
) -> dict[str, Any]:
    """The stored fields of one stratum's estimate (or of its refusal, with the reason)."""
    notes: list[dict[str, Any]] = [
        {"code": "list_dropped", "list": code} for code in stratum.dropped_lists
    ]
    if stratum.unlisted_persons:
        notes.append({"code": "unlisted_persons", "count": stratum.unlisted_persons})
    base: dict[str, Any] = {
        "stratum": stratum.stratum,
        "capture_table": stratum.as_json(),
        "observed": stratum.observed,
    }
    if stratum.table is None:
        code = "nobody" if stratum.observed == 0 else "too_few_lists"
        return {**base, "outcome": Outcome.REFUSED, "warnings": [{"code": code}, *notes]}
    notes += table_warnings(stratum.table)
    try:
        result = population_estimate(
            stratum.table, method=method, threshold=threshold, bootstrap=bootstrap, seed=seed
        )
    except EstimationError as exc:
        return {**base, "outcome": Outcome.REFUSED, "warnings": [{"code": exc.code}, *notes]}
    notes += result_warnings(
        observed=result.observed,
        high_95=result.interval_95[1],
        converged=bool(result.diagnostics.get("converged", True)),
        non_overlapping=list(result.non_overlapping_pairs),
    )
    diagnostics = {
        key: value for key, value in result.diagnostics.items() if key not in {"warnings"}
    }
    return {
        **base,
        "outcome": Outcome.ESTIMATE,
        "estimate": result.estimate,
        "dark_figure": result.dark_figure,
        "interval_95_low": _finite(result.interval_95[0]),
        "interval_95_high": _finite(result.interval_95[1]),
        "interval_80_low": _finite(result.interval_80[0]),
        "interval_80_high": _finite(result.interval_80[1]),
        "interval_kind": result.interval_kind,
        "model": list(result.model),
        "non_overlapping_pairs": list(result.non_overlapping_pairs),
        "warnings": notes,
        "diagnostics": _json_safe(diagnostics),
    }


def _json_safe(value: Any) -> Any:
    """Diagnostics as JSON: infinities and NaN become None, NumPy scalars plain numbers."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def run_strata_compute(run: EstimationRun, *, job_id: Any = None) -> list[dict[str, Any]]:
    """Every stratum of the run, computed from the linked persons of its linkage run."""
    lists = [ListDefinition.from_json(item) for item in run.list_definition]
    tables = capture_tables_build(
        linked_facts(
            run=run.linkage_run, recorded_from=run.period_start, recorded_to=run.period_end
        ),
        lists=lists,
        period_start=run.period_start,
        period_end=run.period_end,
        stratify_by=run.stratify_by,
    )
    computed = []
    for done, stratum in enumerate(tables):
        if job_id is not None:
            job_progress(job_id, done=done, total=len(tables), stage="estimate")
        computed.append(
            stratum_compute(
                stratum=stratum,
                method=run.method,
                threshold=run.threshold,
                bootstrap=run.bootstrap,
                seed=run.seed,
            )
        )
    return computed


def _work(job: Job) -> JobOutcome:
    run = EstimationRun.objects.select_related("linkage_run").get(job=job)
    EstimationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    try:
        computed = run_strata_compute(run, job_id=job.pk)
        with transaction.atomic():
            for position, fields in enumerate(computed):
                stratum = EstimationStratum(run=run, position=position, **fields)
                stratum.full_clean()
                stratum.save()
            EstimationRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE, finished_at=timezone.now()
            )
    except Exception as exc:
        # Nothing of the strata was stored (one transaction); the run says it failed.
        logger.exception("estimation run %s failed", run.reference)
        EstimationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return JobOutcome(succeeded=False, error_message=_("The estimation failed."))
    return JobOutcome(succeeded=True, result={"reference": run.reference})


def estimation_queued_run(*, job_id: str) -> Job:
    """The body of the queued task."""
    return job_run(job_id=job_id, work=_work)


def estimation_runs_per_year(*, user: User, channel: str) -> list[EstimationRun]:
    """One run per calendar year of the current linkage run's records, over the default lists
    (the demo country's series; also a quick way to fill the chart after a first linkage)."""
    linkage_run = linkage_run_current()
    if linkage_run is None:
        return []
    years = sorted({fact.recorded_on.year for fact in linked_facts(run=linkage_run)})
    return [
        estimation_run_start(
            user=user,
            request=EstimationRequest(
                linkage_run=linkage_run,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                lists=default_lists(),
            ),
            channel=channel,
        )
        for year in years
    ]


def estimation_run_reproduce(*, run: EstimationRun) -> list[str]:
    """Recompute a stored run from its stored inputs (capture tables and settings) and list the
    differences from the stored figures; an empty list means it reproduces exactly."""
    differences = []
    for stratum in run.strata.all():
        if len(stratum.capture_table["lists"]) < 2:  # refused for want of lists: nothing to fit
            continue
        table = _table_from_json(stratum.capture_table)
        again = stratum_compute(
            stratum=StratumTable(stratum.stratum, table, stratum.observed),
            method=run.method,
            threshold=run.threshold,
            bootstrap=run.bootstrap,
            seed=run.seed,
        )
        for field_name in ("outcome", "estimate", "interval_95_low", "interval_95_high", "model"):
            stored, now = getattr(stratum, field_name), again.get(field_name)
            if stored != now:
                differences.append(f"{stratum.stratum} {field_name}: stored {stored}, now {now}")
    return differences
