"""`{% job_progress job %}`: a job's progress bar, kept current by htmx polling."""

from __future__ import annotations

from typing import Any

from django import template

from tiltas.jobs.models import Job

register = template.Library()


@register.inclusion_tag("jobs/_progress.html")
def job_progress(job: Job) -> dict[str, Any]:
    return {"job": job}
