"""`tiltas import`: list the record kinds, write a template, or import a file on behalf of an
organisation.

    tiltas import --list
    tiltas import KIND --template csv|xlsx > template.csv
    tiltas import KIND FILE --organisation CODE [--dry-run] [--progress]

Exit status: 0 all rows stored (or, with --dry-run, the file is valid); 1 the file was refused,
nothing was stored, and standard error carries the errors as CSV (header `row,column,code,message`,
row = 1-based data row, 0 for the header or the whole file); 2 wrong usage."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiltas.accounts.models import Organisation
from tiltas.accounts.roles import PERSONAL_PERMISSIONS
from tiltas.audit.models import Channel
from tiltas.audit.services import system_actor
from tiltas.exchange.exports import csv_text, error_report_rows
from tiltas.exchange.models import ImportOutcome
from tiltas.exchange.readers import max_file_bytes
from tiltas.exchange.registry import RecordKind, UnknownRecordKindError, kind_get, kinds_all
from tiltas.exchange.services import import_file
from tiltas.exchange.templates import template_csv_text, template_xlsx_bytes
from tiltas.jobs.services import Progress, progress_listening

USAGE_ERROR = 2
REFUSED = 1


def _plain(text: str) -> str:
    return text


class Command(BaseCommand):
    help = (
        "Import records from a CSV or XLSX file on behalf of an organisation (all rows or none), "
        "list the record kinds, or write an import template."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", nargs="?", help="record kind (see --list)")
        parser.add_argument("file", nargs="?", help="CSV or XLSX file to import ('-': stdin)")
        parser.add_argument("--list", action="store_true", help="list the record kinds")
        parser.add_argument(
            "--template",
            choices=["csv", "xlsx"],
            help="write the kind's template to standard output",
        )
        parser.add_argument(
            "--organisation", help="code of the organisation that will own the records"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file completely, store nothing"
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="print done/total progress lines to standard error (default when it is a "
            "terminal)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for kind in kinds_all():
                self.stdout.write(f"{kind.name}\t{kind.label}")
            return
        if not options["kind"]:
            raise CommandError(
                "give a record kind (`tiltas import --list` lists them)", returncode=USAGE_ERROR
            )
        try:
            kind = kind_get(options["kind"])
        except UnknownRecordKindError:
            raise CommandError(
                f"unknown record kind {options['kind']!r}; `tiltas import --list` lists them",
                returncode=USAGE_ERROR,
            ) from None
        if options["template"]:
            if options["file"] or options["organisation"] or options["dry_run"]:
                raise CommandError(
                    "--template takes no file, --organisation or --dry-run",
                    returncode=USAGE_ERROR,
                )
            self._write_template(kind, options["template"])
            return
        self._import(kind, options)

    def _write_template(self, kind: RecordKind, file_format: str) -> None:
        if file_format == "csv":
            self.stdout.write(template_csv_text(kind), ending="")
            return
        stream = getattr(self.stdout, "_out", sys.stdout)
        if stream.isatty():
            raise CommandError(
                "an XLSX template is binary: redirect standard output to a file",
                returncode=USAGE_ERROR,
            )
        self.stdout.flush()
        stream.buffer.write(template_xlsx_bytes(kind))
        stream.buffer.flush()

    def _organisation(self, kind: RecordKind, code: str | None) -> Organisation:
        if not code:
            raise CommandError(
                "give --organisation CODE (`tiltas organisations` lists the codes)",
                returncode=USAGE_ERROR,
            )
        organisation = (
            Organisation.objects.select_related("type").filter(code=code, is_active=True).first()
        )
        if organisation is None:
            raise CommandError(
                f"no active organisation with the code {code!r} "
                "(`tiltas organisations` lists them)",
                returncode=USAGE_ERROR,
            )
        if kind.permission in PERSONAL_PERMISSIONS and not organisation.type.records_persons:
            raise CommandError(
                f"{code} is a {organisation.type.code} and does not record persons",
                returncode=USAGE_ERROR,
            )
        return organisation

    def _read(self, name: str | None) -> bytes:
        if not name:
            raise CommandError("give the FILE to import", returncode=USAGE_ERROR)
        limit = max_file_bytes()
        try:
            if name == "-":
                content: bytes = sys.stdin.buffer.read(limit + 1)
            else:
                with Path(name).open("rb") as handle:
                    content = handle.read(limit + 1)
        except OSError as exc:
            raise CommandError(
                f"cannot read {name}: {exc.strerror}", returncode=USAGE_ERROR
            ) from None
        return content

    def _import(self, kind: RecordKind, options: dict[str, Any]) -> None:
        organisation = self._organisation(kind, options["organisation"])
        content = self._read(options["file"])
        stderr_stream = getattr(self.stderr, "_out", sys.stderr)
        show_progress = options["progress"] or stderr_stream.isatty()
        last: dict[str, tuple[str, int, int]] = {}

        def on_progress(report: Progress) -> None:
            line = (report.stage, report.done, report.total)
            if not report.total or last.get("line") == line:
                return
            last["line"] = line
            self.stderr.write(f"{report.done}/{report.total} {report.stage}", style_func=_plain)

        actor = system_actor(organisation_code=organisation.code, channel=Channel.CLI)

        def run() -> Any:
            return import_file(
                kind=kind,
                organisation=organisation,
                content=content,
                dry_run=options["dry_run"],
                actor=actor,
                channel=Channel.CLI,
            )

        if show_progress:
            with progress_listening(on_progress):
                report = run()
        else:
            report = run()
        run_record = report.run
        if run_record.outcome == ImportOutcome.REFUSED:
            self.stderr.write(
                csv_text(error_report_rows(report.errors), line_terminator="\n"),
                ending="",
                style_func=_plain,
            )
            raise SystemExit(REFUSED)
        if run_record.outcome == ImportOutcome.VALID:
            self.stdout.write(
                f"valid: {run_record.rows} rows, nothing stored (dry run; job {report.job.pk})"
            )
            return
        self.stdout.write(
            f"stored {run_record.rows} rows: {run_record.created} created, "
            f"{run_record.updated} updated, {run_record.unchanged} unchanged "
            f"(job {report.job.pk})"
        )
