"""Reads of jobs, through the access policy: staff follow the jobs of their own organisation."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from tiltas.accounts.access import AnyUser, get_scoped_or_404, scope_to_owner
from tiltas.accounts.roles import Permission
from tiltas.jobs.models import Job


def jobs_visible_to(user: AnyUser) -> QuerySet[Job]:
    """The jobs the user may follow: those run on behalf of their organisation."""
    return scope_to_owner(
        user,
        Job.objects.select_related("organisation"),
        permission=Permission.JOBS_VIEW,
        owner_field="organisation",
    )


def get_job_for_user(user: AnyUser, job_id: uuid.UUID | str) -> Job:
    """One job the user may follow, or 404 whether it is missing or someone else's."""
    return get_scoped_or_404(
        user,
        Job.objects.select_related("organisation"),
        permission=Permission.JOBS_VIEW,
        owner_field="organisation",
        pk=job_id,
    )
