"""`tiltas jobs`: recent background jobs with their progress; `tiltas jobs ID --watch` follows one
until it ends (exit 0 when it succeeded, 1 when it failed)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiltas.jobs.models import Job

POLL_SECONDS = 1.0


def _line(job: Job) -> str:
    progress = f"{job.done}/{job.total}" if job.total else "-"
    return (
        f"{job.pk}\t{job.kind}\t{job.organisation.code}\t{job.status}\t{progress}\t"
        f"{job.stage or '-'}\t{job.created_at:%Y-%m-%d %H:%M:%S}"
    )


class Command(BaseCommand):
    help = "List recent background jobs, or show (and with --watch follow) one job's progress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", nargs="?", help="a job id")
        parser.add_argument("--watch", action="store_true", help="follow the job until it ends")
        parser.add_argument("--limit", type=int, default=20, help="how many recent jobs to list")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["job"]:
            if options["watch"]:
                raise CommandError("--watch needs a job id", returncode=2)
            for job in Job.objects.select_related("organisation")[: options["limit"]]:
                self.stdout.write(_line(job))
            return
        try:
            job_id = uuid.UUID(options["job"])
        except ValueError:
            raise CommandError(f"{options['job']!r} is not a job id", returncode=2) from None
        found = Job.objects.select_related("organisation").filter(pk=job_id).first()
        if found is None:
            raise CommandError(f"no job {job_id}", returncode=2)
        job = found
        self.stdout.write(_line(job))
        if not options["watch"]:
            return
        last = (job.status, job.stage, job.done, job.total)
        while not job.is_finished:
            time.sleep(POLL_SECONDS)
            job.refresh_from_db()
            state = (job.status, job.stage, job.done, job.total)
            if state != last:
                self.stdout.write(f"{job.done}/{job.total} {job.stage or job.status}")
                last = state
        if job.error_message:
            self.stderr.write(job.error_message)
        if job.status != "succeeded":
            raise SystemExit(1)
