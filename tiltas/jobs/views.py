"""Pages of the jobs domain: a job's progress and outcome, and the organisation's recent jobs."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tiltas.accounts.access import require_permission
from tiltas.accounts.roles import Permission
from tiltas.jobs.selectors import get_job_for_user, jobs_visible_to

RECENT_JOBS_SHOWN = 100


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.JOBS_VIEW)
    jobs = jobs_visible_to(request.user)[:RECENT_JOBS_SHOWN]
    return render(request, "jobs/list.html", {"jobs": jobs})


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(request.user, job_id)
    return render(request, "jobs/detail.html", {"job": job})


@login_required
@require_GET
def job_progress_fragment(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The progress bar alone, polled by htmx; once the job has finished the whole page reloads
    to show the outcome."""
    job = get_job_for_user(request.user, job_id)
    response = render(request, "jobs/_progress.html", {"job": job})
    if job.is_finished:
        response["HX-Refresh"] = "true"
    return response
