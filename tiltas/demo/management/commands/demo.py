"""`tiltas demo`: write the synthetic demo country into the configured database."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiltas.audit.models import Channel
from tiltas.audit.services import system_actor
from tiltas.demo.accounts import DEMO_PASSWORD, DemoAccount, demo_accounts_ensure
from tiltas.demo.services import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    DemoRefusedError,
    default_truth_path,
    demo_generate,
    persons_exist,
)

TODAY_VARIABLE = "TILTAS_TODAY"
# The demo ends with a linkage run up to this many persons (3,000 persons link in about 35 s on
# two cores); beyond, `tiltas linkage run` links them when wanted.
LINKAGE_MAX_PERSONS = 10_000


def _parse_today(text: str, source: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(
            _('%(source)s: "%(value)s" is not a date in the form YYYY-MM-DD.')
            % {"source": source, "value": text}
        ) from exc


def accounts_table(accounts: list[DemoAccount]) -> list[str]:
    """The demo logins as aligned text lines (username, organisation, type, roles)."""
    header = (_("username"), _("organisation"), _("type"), _("roles"))
    rows = [header] + [
        (a.username, a.organisation_code, a.type_code, ", ".join(a.roles)) for a in accounts
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]


class Command(BaseCommand):
    help = (
        "Write the synthetic demo country into the configured database: --persons distinct "
        "individuals (default 3,000; about 30 %% of them are recorded by two or more "
        "organisations, so there are more records than persons), recorded by the organisations "
        "of the loaded profile over the three previous calendar years and the current year to "
        "date, plus one demo account per organisation type and role. The ground truth goes to "
        "var/demo-truth.csv. Refuses a database that already holds persons unless --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--persons",
            type=int,
            default=DEFAULT_PERSONS,
            help="Number of distinct individuals (not records; default %(default)s).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every existing person record first (the audit trail is kept).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Write persons only into an empty database; otherwise keep the data and only "
            "reset the demo accounts (used by bin/start).",
        )
        parser.add_argument(
            "--today",
            help=f"The current date YYYY-MM-DD for reproducible output (or ${TODAY_VARIABLE}); "
            "not after the real date.",
        )
        parser.add_argument(
            "--truth", help="Where to write the ground-truth CSV (default var/demo-truth.csv)."
        )
        parser.add_argument(
            "--no-linkage",
            action="store_true",
            help="Do not end with a linkage run (the demo country then has no distinct persons "
            f"until `tiltas linkage run`; runs are skipped anyway above {LINKAGE_MAX_PERSONS:,} "
            "persons).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="Persons written per batch (bounds memory; default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["replace"] and options["if_empty"]:
            raise CommandError(_("--replace and --if-empty contradict each other; give one."))
        today: date | None = None
        linked = False
        if options["today"]:
            today = _parse_today(options["today"], "--today")
        elif os.environ.get(TODAY_VARIABLE):
            today = _parse_today(os.environ[TODAY_VARIABLE], TODAY_VARIABLE)
        truth = Path(options["truth"]) if options["truth"] else default_truth_path()
        try:
            if options["if_empty"] and persons_exist():
                self.stdout.write(_("The database already holds persons; kept them as they are."))
            else:
                self._generate(options, today, truth)
                if not options["no_linkage"] and options["persons"] <= LINKAGE_MAX_PERSONS:
                    linked = self._link()
            accounts = demo_accounts_ensure()
            if linked:
                self._estimate(accounts)
        except DemoRefusedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write(
            _("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD}
        )
        for line in accounts_table(accounts):
            self.stdout.write(line)

    def _link(self) -> bool:
        """Link the demo records, so that the demo country shows distinct persons."""
        from tiltas.linkage.services import linkage_run_now, organisation_for_system_runs

        organisation = organisation_for_system_runs()
        if organisation is None:
            return False
        started = time.monotonic()
        run = linkage_run_now(
            kind="full",
            organisation=organisation,
            actor=system_actor(organisation_code=organisation.code, channel=Channel.SYSTEM),
        )
        if run.error:
            self.stderr.write(_("Record linkage failed: %(error)s") % {"error": run.error})
            return False
        self.stdout.write(
            _("Record linkage: %(persons)s distinct persons, %(seconds).1f s.")
            % {"persons": f"{run.person_count:,}", "seconds": time.monotonic() - started}
        )
        return True

    def _estimate(self, accounts: list[DemoAccount]) -> None:
        """One estimate of the hidden number per calendar year of the demo, by a demo analyst,
        so that the estimate pages show a series."""
        from tiltas.accounts.models import User
        from tiltas.estimation.services import estimation_runs_per_year

        analyst = next((a for a in accounts if "analyst" in a.roles), None)
        if analyst is None:
            return
        user = User.objects.get(username=analyst.username)
        for run in estimation_runs_per_year(user=user, channel=Channel.SYSTEM):
            self.stdout.write(
                _("Estimate %(reference)s: %(period)s.")
                % {"reference": run.reference, "period": f"{run.period_start:%Y}"}
            )

    def _generate(self, options: dict[str, Any], today: date | None, truth: Path) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if total > options["batch_size"]:
                self.stderr.write(
                    _("%(done)s / %(total)s persons") % {"done": f"{done:,}", "total": f"{total:,}"}
                )

        summary = demo_generate(
            seed=options["seed"],
            persons=options["persons"],
            today=today,
            truth_path=truth,
            replace=options["replace"],
            batch_size=options["batch_size"],
            progress=progress,
        )
        if summary.replaced:
            self.stdout.write(
                _("Deleted %(count)s existing person records (audited).")
                % {"count": f"{summary.replaced:,}"}
            )
        self.stdout.write(
            _(
                "Demo country: %(persons)s persons, %(records)s records in %(organisations)s "
                "organisations, %(first)s to %(today)s (seed %(seed)s, %(seconds).1f s)."
            )
            % {
                "persons": f"{summary.persons:,}",
                "records": f"{summary.records:,}",
                "organisations": summary.organisations,
                "first": summary.first_year,
                "today": summary.today.isoformat(),
                "seed": options["seed"],
                "seconds": time.monotonic() - started,
            }
        )
        self.stdout.write(_("Ground truth: %(path)s") % {"path": summary.truth_path})
