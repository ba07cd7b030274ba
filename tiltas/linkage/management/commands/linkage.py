"""`tiltas linkage run [--incremental]`: link every person record now, in this process, with
progress on standard error, and print the figures of the run.

The run is recorded as a job on behalf of an organisation (by default the one whose type oversees
the system) and audited as a system action through the command line.

Exit status: 0 the run finished; 1 it was refused or failed (nothing of it stored); 2 wrong
usage."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiltas.accounts.models import Organisation
from tiltas.audit.models import Channel
from tiltas.audit.services import system_actor
from tiltas.jobs.services import Progress, progress_listening
from tiltas.linkage.errors import LinkageRunRefusedError
from tiltas.linkage.models import RunKind, RunStatus
from tiltas.linkage.services import (
    linkage_run_now,
    organisation_for_system_runs,
)

FAILED = 1
USAGE = 2


class Command(BaseCommand):
    help = _(
        "Link every person record into distinct persons (a linkage run) and print its figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run"], help=_("what to do: run"))
        parser.add_argument(
            "--incremental",
            action="store_true",
            help=_("link only the records that are not in the current run, against its clusters"),
        )
        parser.add_argument(
            "--organisation",
            help=_("code of the organisation on whose behalf the run is recorded"),
        )

    def _organisation(self, code: str | None) -> Organisation:
        if code:
            found = Organisation.objects.filter(is_active=True, code=code).first()
        else:
            found = organisation_for_system_runs()
        if found is None:
            raise CommandError(
                _("No such organisation: %(code)s.") % {"code": code or "-"}, returncode=USAGE
            )
        return found

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = self._organisation(options["organisation"])
        kind = RunKind.INCREMENTAL if options["incremental"] else RunKind.FULL
        shown: dict[str, int] = {}

        def on_progress(report: Progress) -> None:
            # One line per stage and per tenth of it: readable in a log as on a terminal.
            step = max(report.total // 10, 1)
            if shown.get(report.stage, -1) // step != report.done // step or not report.total:
                shown[report.stage] = report.done
                self.stderr.write(f"{report.stage} {report.done}/{report.total}")

        started = time.monotonic()
        try:
            with progress_listening(on_progress):
                run = linkage_run_now(
                    kind=kind,
                    organisation=organisation,
                    actor=system_actor(organisation_code=organisation.code, channel=Channel.CLI),
                )
        except LinkageRunRefusedError as exc:
            raise CommandError(str(exc), returncode=FAILED) from exc
        seconds = time.monotonic() - started
        if run.status != RunStatus.DONE:
            raise CommandError(run.error, returncode=FAILED)
        open_pairs = run.review_pairs.filter(status="open").count()
        self.stdout.write(
            _(
                "Linkage run %(run)s (%(kind)s): %(records)d records, %(persons)d distinct "
                "persons, %(pairs)d pairs to review, %(seconds).1f s."
            )
            % {
                "run": run.pk,
                "kind": run.kind,
                "records": run.record_count,
                "persons": run.person_count,
                "pairs": open_pairs,
                "seconds": seconds,
            }
        )
