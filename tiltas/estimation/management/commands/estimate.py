"""`tiltas estimate FILE.csv`: multiple systems estimation from a capture-history file, no DB."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiltas.estimation.methods import (
    DEFAULT_SEED,
    DEFAULT_THRESHOLD,
    CaptureTableError,
    EstimationError,
    Method,
    PopulationEstimate,
    capture_table_parse,
    population_estimate,
)


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(_("%(value)s is not a number") % {"value": text}) from exc
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(_("the threshold must be between 0 and 1"))
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("%(value)s is not a whole number") % {"value": text}
        ) from exc
    if value < 0:
        raise argparse.ArgumentTypeError(_("must be 0 or more"))
    return value


def _finite_or_none(value: Any) -> Any:
    """JSON has no NaN or infinity: an undefined limit is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_finite_or_none(item) for item in value]
    if isinstance(value, dict):
        return {key: _finite_or_none(item) for key, item in value.items()}
    return value


def _number(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}" if math.isfinite(value) else _("undefined")


def result_lines(result: PopulationEstimate) -> list[str]:
    """The result as plain text lines for a reader who is not a statistician."""
    kind = (
        _("bootstrap BCa, %(count)s resamples, seed %(seed)s")
        % {"count": result.bootstrap, "seed": result.seed}
        if result.interval_kind == "bca"
        else _("Wald, given the selected model")
    )
    method = result.method
    if result.method == Method.STEPWISE:
        method = _("stepwise, threshold %(threshold)s") % {"threshold": result.threshold}
    lines = [
        _("Multiple systems estimation (%(method)s)") % {"method": method},
        _("Lists: %(lists)s") % {"lists": ", ".join(result.lists)},
        _("People on at least one list: %(count)s") % {"count": f"{result.observed:,}"},
        _("Estimated total: %(value)s") % {"value": _number(result.estimate)},
        _("Dark figure (on no list): %(value)s") % {"value": _number(result.dark_figure)},
        _("95 %% interval (%(kind)s): %(low)s to %(high)s")
        % {
            "kind": kind,
            "low": _number(result.interval_95[0], 0),
            "high": _number(result.interval_95[1], 0),
        },
        _("80 %% interval: %(low)s to %(high)s")
        % {"low": _number(result.interval_80[0], 0), "high": _number(result.interval_80[1], 0)},
    ]
    if result.method != Method.CHAPMAN:
        lines.append(
            _("Interacting pairs of lists: %(pairs)s")
            % {"pairs": ", ".join(result.model) or _("none (lists independent)")}
        )
        if result.non_overlapping_pairs:
            lines.append(
                _("Pairs that never overlap, fitted as exclusive: %(pairs)s")
                % {"pairs": ", ".join(result.non_overlapping_pairs)}
            )
    lines.extend(
        _("Warning: %(warning)s") % {"warning": warning}
        for warning in result.diagnostics.get("warnings", [])
    )
    return lines


class Command(BaseCommand):
    help = (
        "Estimate the total number of victims, seen and unseen, from a capture-history CSV "
        "(one 0/1 column per list, then count) by multiple systems estimation. Uses no database."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("capture-history CSV file, or - for standard input"))
        parser.add_argument(
            "--method",
            choices=[m.value for m in Method],
            default=Method.STEPWISE.value,
            help=_("model selection (default: stepwise)"),
        )
        parser.add_argument(
            "--threshold",
            type=_threshold,
            default=DEFAULT_THRESHOLD,
            help=_("p-value threshold of the stepwise rule (default: 0.02)"),
        )
        parser.add_argument(
            "--bootstrap",
            type=_non_negative,
            default=0,
            help=_("bootstrap resamples for the BCa interval; 0 gives the Wald interval"),
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=_("random seed (default: 1234)")
        )
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help=_("output format")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = str(options["file"])
        try:
            text = (
                sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
            )
        except FileNotFoundError as exc:
            raise CommandError(_("%(file)s: no such file") % {"file": source}) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("%(file)s cannot be read as UTF-8 text: %(error)s")
                % {"file": source, "error": exc}
            ) from exc
        try:
            table = capture_table_parse(text)
        except CaptureTableError as exc:
            if exc.line is None:
                raise CommandError(
                    _("%(file)s: %(problem)s") % {"file": source, "problem": exc.message}
                ) from exc
            raise CommandError(
                _("%(file)s, line %(line)s: %(problem)s")
                % {"file": source, "line": exc.line, "problem": exc.message}
            ) from exc
        try:
            result = population_estimate(
                table,
                method=options["method"],
                threshold=options["threshold"],
                bootstrap=options["bootstrap"],
                seed=options["seed"],
            )
        except EstimationError as exc:
            raise CommandError(
                _("%(file)s: %(problem)s") % {"file": source, "problem": exc.message}
            ) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(_finite_or_none(result.as_dict()), indent=2))
        else:
            self.stdout.write("\n".join(result_lines(result)))
