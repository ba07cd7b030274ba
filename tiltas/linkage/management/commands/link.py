"""`tiltas link FILE.csv --out CLUSTERS.csv [--pprl SOURCE[,SOURCE...] --pprl-key-file KEY]`:
link a file of person records, no database needed.

With --pprl the records of the named sources are standardised and encoded with the key first
(as their organisations would do), their plain values are dropped, and the linkage sees only
their encodings (engine/pprl.py).

Exit status: 0 linked, 1 the file is refused (a missing or duplicated record_id, a missing
column, not UTF-8), 2 wrong usage (unknown option or backend, spark without pyspark or Java,
unreadable input, unwritable output, --pprl without --pprl-key-file or the reverse, a key file
that is unreadable or too short).
"""

from __future__ import annotations

import gc
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tiltas.linkage.engine.backends import BackendUnavailableError, backend_start
from tiltas.linkage.engine.model import BACKENDS, DEFAULT_BACKEND, LinkageSettings, records_link
from tiltas.linkage.engine.pprl import (
    MIN_KEY_BYTES,
    PprlKeyError,
    encoded_sources_missing,
    pprl_key_read,
    pprl_prepare,
)
from tiltas.linkage.engine.records_file import RecordsFileError, clusters_write, records_read
from tiltas.linkage.engine.stages import LOGGER, stage_logged
from tiltas.linkage.engine.standardise import records_standardise

REFUSED = 1
USAGE = 2


@contextmanager
def _garbage_collection_paused() -> Iterator[None]:
    """Reading and standardising a file make millions of small objects and no reference cycle:
    the collector's passes over them took a third of that time on 1,000,000 records."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.freeze()  # the records live to the end of the run: later passes skip them


class Command(BaseCommand):
    help = _(
        "Link the person records of a CSV file and write a distinct-person id for every record "
        "(record_id,cluster_id)."
    )
    requires_system_checks: list[str] = []  # file in, file out: no database, no checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("UTF-8 CSV file of person records"))
        parser.add_argument(
            "--out", required=True, type=Path, help=_("where to write record_id,cluster_id")
        )
        parser.add_argument("--backend", choices=BACKENDS, default=DEFAULT_BACKEND)
        parser.add_argument(
            "--pprl",
            metavar="SOURCE[,SOURCE...]",
            help=_(
                "privacy-preserving mode: sources whose records are linked only by their keyed "
                "encodings (needs --pprl-key-file)"
            ),
        )
        parser.add_argument(
            "--pprl-key-file",
            type=Path,
            metavar="KEY",
            help=_(
                "file holding the organisations' secret encoding key, at least %(bytes)d bytes "
                "(e.g. made by: openssl rand -hex 32); unreadable or too short: exit status 2"
            )
            % {"bytes": MIN_KEY_BYTES},
        )

    def _pprl_options(self, options: dict[str, Any]) -> tuple[frozenset[str], bytes]:
        """The sources to encode and the key, or wrong usage."""
        named, key_file = options["pprl"], options["pprl_key_file"]
        if (named is None) != (key_file is None):
            raise CommandError(
                _("--pprl and --pprl-key-file go together: give both or neither."),
                returncode=USAGE,
            )
        if named is None:
            return frozenset(), b""
        sources = frozenset(name.strip() for name in named.split(",") if name.strip())
        if not sources:
            raise CommandError(_("--pprl: name at least one source."), returncode=USAGE)
        if options["backend"] != "duckdb":
            raise CommandError(_("--pprl runs on the duckdb backend only."), returncode=USAGE)
        try:
            return sources, pprl_key_read(key_file)
        except PprlKeyError as exc:
            raise CommandError(
                _("--pprl-key-file: the key cannot be used: %(reason)s") % {"reason": exc},
                returncode=USAGE,
            ) from exc

    @contextmanager
    def _stages_shown(self, verbosity: int) -> Iterator[None]:
        """At verbosity 2 and above, each stage's time and peak memory on standard error."""
        if verbosity < 2:
            yield
            return
        handler = logging.StreamHandler(self.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        level, propagate = LOGGER.level, LOGGER.propagate
        LOGGER.addHandler(handler)
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False  # Django's console handler would print them twice
        try:
            yield
        finally:
            LOGGER.removeHandler(handler)
            LOGGER.setLevel(level)
            LOGGER.propagate = propagate

    def handle(self, *args: Any, **options: Any) -> None:
        with self._stages_shown(options["verbosity"]):
            self._link(options)

    def _link(self, options: dict[str, Any]) -> None:
        source: Path = options["file"]
        out: Path = options["out"]
        pprl_sources, key = self._pprl_options(options)
        if not source.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": source}, returncode=USAGE)
        if not out.parent.is_dir():
            raise CommandError(
                _("--out: the directory %(path)s does not exist.") % {"path": out.parent},
                returncode=USAGE,
            )
        try:
            backend_start(options["backend"])
        except BackendUnavailableError as exc:
            raise CommandError(
                _("--backend %(backend)s cannot run here: %(reason)s")
                % {"backend": options["backend"], "reason": exc},
                returncode=USAGE,
            ) from exc
        try:
            with stage_logged("read"), _garbage_collection_paused():
                parsed = records_read(source)
        except RecordsFileError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{source}: {problem}")
            raise CommandError(
                _("%(path)s refused: %(count)d problem(s), nothing linked.")
                % {"path": source, "count": len(exc.problems)},
                returncode=REFUSED,
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                _("%(path)s refused: not UTF-8 text (byte %(position)d).")
                % {"path": source, "position": exc.start},
                returncode=REFUSED,
            ) from exc
        for warning in parsed.warnings:
            self.stderr.write(f"{source}: {_('warning')}: {warning}")
        record_ids = [record.record_id for record in parsed.records]
        settings = LinkageSettings(backend=options["backend"])
        if pprl_sources:
            for missing in encoded_sources_missing(parsed.records, sources=pprl_sources):
                self.stderr.write(
                    _("%(path)s: warning: --pprl: no record has the source %(source)s.")
                    % {"path": source, "source": missing}
                )
            prepared = pprl_prepare(parsed.records, sources=pprl_sources, key=key)
            del parsed  # from here on the encoded sources exist only as encodings
            result = records_link(
                records=prepared.plain,
                encoded=prepared.encoded,
                settings=settings,
                review_evidence=False,
            )
        else:
            with stage_logged("standardise"), _garbage_collection_paused():
                records = records_standardise(parsed.records)
            del parsed  # the standard records are all the linkage reads
            result = records_link(records=records, settings=settings, review_evidence=False)
        # Written beside the target and renamed, so that a failed run leaves no half file.
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        try:
            with (
                stage_logged("write"),
                os.fdopen(handle, "w", encoding="utf-8", newline="") as stream,
            ):
                clusters_write(stream, record_ids=record_ids, cluster_of=result.cluster_of)
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        persons = len(set(result.cluster_of.values()))
        self.stdout.write(
            _("%(records)d records, %(persons)d distinct persons: %(out)s")
            % {"records": len(record_ids), "persons": persons, "out": out}
        )
