"""`tiltas estimation run|show|list|reproduce`: stored estimation runs from the linked persons of
the database (for a capture-history file without a database, see `tiltas estimate`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiltas.accounts.models import User
from tiltas.estimation.explain import message_for
from tiltas.estimation.lists import ListDefinition, list_definition_check
from tiltas.estimation.methods import DEFAULT_SEED, DEFAULT_THRESHOLD, Method
from tiltas.estimation.models import EstimationRun
from tiltas.estimation.selectors import default_lists, list_members_unknown
from tiltas.estimation.services import (
    EstimationRefusedError,
    EstimationRequest,
    estimation_run_reproduce,
    estimation_run_start,
)
from tiltas.linkage.selectors import linkage_run_current

USAGE_ERROR = 2
FAILURE = 1


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}", returncode=USAGE_ERROR) from exc


def run_as_json(run: EstimationRun) -> dict[str, Any]:
    """The stored run as a citable record: inputs, settings, versions and every stratum."""
    return {
        "reference": run.reference,
        "status": run.status,
        "period": [run.period_start.isoformat(), run.period_end.isoformat()],
        "lists": run.list_definition,
        "stratify_by": run.stratify_by,
        "method": run.method,
        "threshold": run.threshold,
        "bootstrap": run.bootstrap,
        "seed": run.seed,
        "linkage_run": str(run.linkage_run_id),
        "code_version": run.code_version,
        "strata": [
            {
                "stratum": stratum.stratum,
                "outcome": stratum.outcome,
                "observed": stratum.observed,
                "estimate": stratum.estimate,
                "dark_figure": stratum.dark_figure,
                "interval_95": [stratum.interval_95_low, stratum.interval_95_high],
                "interval_80": [stratum.interval_80_low, stratum.interval_80_high],
                "interval_kind": stratum.interval_kind,
                "model": stratum.model,
                "non_overlapping_pairs": stratum.non_overlapping_pairs,
                "warnings": stratum.warnings,
                "capture_table": stratum.capture_table,
            }
            for stratum in run.strata.all()
        ],
    }


class Command(BaseCommand):
    help = (
        "Estimate the hidden number of victims from the linked persons, and show, list or "
        "reproduce stored runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        run = commands.add_parser("run", help="start an estimation run and wait for it")
        run.add_argument("--from", dest="period_start", required=True, type=_date)
        run.add_argument("--to", dest="period_end", required=True, type=_date)
        run.add_argument("--user", required=True, help="username of the analyst it is run as")
        run.add_argument("--lists", help="comma-separated list codes (default: all)")
        run.add_argument(
            "--lists-file",
            help='JSON file defining the lists: [{"code": "police", "name": "Police", '
            '"organisation_types": ["police"], "organisations": ["LT-GPO"]}, ...] '
            "(instead of the country profile's lists)",
        )
        run.add_argument("--stratify", choices=["sex", "age_group", "exploitation"], default="")
        run.add_argument("--method", choices=[m.value for m in Method], default="stepwise")
        run.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
        run.add_argument("--bootstrap", type=int, default=0)
        run.add_argument("--seed", type=int, default=DEFAULT_SEED)
        run.add_argument("--title", default="")
        for name, text in (("show", "print a stored run"), ("reproduce", "recompute and compare")):
            sub = commands.add_parser(name, help=text)
            sub.add_argument("reference")
            if name == "show":
                sub.add_argument("--format", choices=["text", "json"], default="text")
        commands.add_parser("list", help="list the stored runs")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for run in EstimationRun.objects.all():
                self.stdout.write(
                    f"{run.reference}\t{run.period_start}..{run.period_end}\t{run.method}\t"
                    f"{run.status}"
                )
            return
        if action == "run":
            run = self._run(options)
            self._show(run, "text")
            return
        run = self._stored(options["reference"])
        if action == "show":
            self._show(run, options["format"])
            return
        differences = estimation_run_reproduce(run=run)
        if differences:
            for line in differences:
                self.stderr.write(line)
            raise CommandError(f"{run.reference} does not reproduce", returncode=FAILURE)
        self.stdout.write(f"{run.reference} reproduces exactly")

    def _stored(self, reference: str) -> EstimationRun:
        run = EstimationRun.objects.filter(reference=reference).first()
        if run is None:
            raise CommandError(f"no estimation run {reference!r}", returncode=FAILURE)
        return run

    def _run(self, options: dict[str, Any]) -> EstimationRun:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}", returncode=USAGE_ERROR)
        linkage_run = linkage_run_current()
        if linkage_run is None:
            raise CommandError(
                "no finished linkage run: link the records first (`tiltas linkage run`)",
                returncode=FAILURE,
            )
        lists = (
            self._lists_from_file(options["lists_file"])
            if options["lists_file"]
            else default_lists()
        )
        if options["lists"]:
            wanted = [code.strip() for code in options["lists"].split(",") if code.strip()]
            known = {item.code: item for item in lists}
            unknown = [code for code in wanted if code not in known]
            if unknown:
                raise CommandError(
                    f"--lists: unknown list(s) {', '.join(unknown)}; known: {', '.join(known)}",
                    returncode=USAGE_ERROR,
                )
            lists = tuple(known[code] for code in wanted)
        try:
            return estimation_run_start(
                user=user,
                request=EstimationRequest(
                    linkage_run=linkage_run,
                    period_start=options["period_start"],
                    period_end=options["period_end"],
                    lists=lists,
                    stratify_by=options["stratify"],
                    method=options["method"],
                    threshold=options["threshold"],
                    bootstrap=options["bootstrap"],
                    seed=options["seed"],
                    title=options["title"],
                ),
                channel="cli",
            )
        except EstimationRefusedError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError("the estimation run was refused", returncode=FAILURE) from exc

    def _lists_from_file(self, name: str) -> tuple[ListDefinition, ...]:
        try:
            data = json.loads(Path(name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(
                f"--lists-file: cannot read {name}: {exc}", returncode=FAILURE
            ) from exc
        if not isinstance(data, list) or not all(
            isinstance(item, dict) and isinstance(item.get("code"), str) for item in data
        ):
            raise CommandError(
                '--lists-file: expected a JSON array of objects, each with a string "code"',
                returncode=FAILURE,
            )
        lists = tuple(ListDefinition.from_json(item) for item in data)
        problems = list_definition_check(lists) + list_members_unknown(lists)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError("--lists-file: the lists cannot be used", returncode=FAILURE)
        return lists

    def _show(self, run: EstimationRun, output: str) -> None:
        if output == "json":
            self.stdout.write(json.dumps(run_as_json(run), indent=2, ensure_ascii=False))
            return
        names = {item["code"]: item.get("name") or item["code"] for item in run.list_definition}
        self.stdout.write(f"{run.reference} ({run.status}): {run.period_start}..{run.period_end}")
        for stratum in run.strata.all():
            if stratum.outcome == "estimate":
                self.stdout.write(
                    f"  {stratum.stratum}: found {stratum.observed}, estimated "
                    f"{stratum.estimate:.1f} (95 %: {stratum.interval_95_low:.1f}"
                    f"-{stratum.interval_95_high:.1f}, {stratum.interval_kind})"
                )
            else:
                self.stdout.write(f"  {stratum.stratum}: found {stratum.observed}, no estimate")
            for item in stratum.warnings:
                self.stdout.write(f"    - {message_for(item, names)}")
