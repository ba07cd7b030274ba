"""From a run's input to the engine's result: a full run links every record; an incremental run
links the new records against the previous run's clusters with its saved model. The engine is
imported inside the functions, so that web processes never pay for loading it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from tiltas.linkage.errors import LinkageRunRefusedError
from tiltas.linkage.models import LinkageRun, LinkedRecord, RunKind
from tiltas.linkage.run_input import RunInput, persons_not_shared

if TYPE_CHECKING:
    from tiltas.linkage.engine.model import LinkageResult, LinkageSettings
    from tiltas.linkage.engine.standardise import StandardRecord


def incremental_refusal() -> str:
    return _(
        "Records of organisations that do not share identities take part in linkage only "
        "through their keyed encodings, which an incremental run cannot compare: start a full "
        "run instead."
    )


def links_encodings(previous: LinkageRun | None) -> bool:
    """Whether an incremental run after `previous` would meet encodings: records of
    organisations that do not share identities exist, or `previous` was linked with them (its
    model compares encodings, which the incremental mode cannot score)."""
    pprl = previous.settings.get("pprl", {}) if previous is not None else {}
    return bool(pprl.get("organisations")) or persons_not_shared().exists()


def settings_from_json(data: Mapping[str, Any]) -> LinkageSettings:
    from tiltas.linkage.engine.model import LinkageSettings

    known = {field.name for field in dataclasses.fields(LinkageSettings)}
    values: dict[str, Any] = {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in data.items()
        if name in known
    }
    return LinkageSettings(**values)


def settings_json(settings: LinkageSettings) -> dict[str, Any]:
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in dataclasses.asdict(settings).items()
    }


def clusters_of(run: LinkageRun) -> dict[str, str]:
    """Person -> distinct-person id in a stored run."""
    return {
        str(person_id): distinct_person
        for person_id, distinct_person in LinkedRecord.objects.filter(run=run)
        .values_list("person_id", "distinct_person_id")
        .iterator(chunk_size=10_000)
    }


def run_link(
    run: LinkageRun,
    records: RunInput,
    constraints: tuple[list[tuple[str, str]], list[tuple[str, str]]],
) -> LinkageResult:
    """Link the plain records and the encodings (the records of organisations that do not
    share identities are among the encodings only)."""
    must, cannot = constraints
    if run.kind == RunKind.FULL:
        from tiltas.linkage.engine.model import LinkageSettings, records_link

        return records_link(
            records=records.plain,
            encoded=records.encoded,
            settings=LinkageSettings(),
            must_link=must,
            cannot_link=cannot,
        )
    if records.encoded:
        # Refused before the run was queued; records may have come in since.
        raise LinkageRunRefusedError(incremental_refusal())
    return _link_incremental(run, records.plain, must=must, cannot=cannot)


def _link_incremental(
    run: LinkageRun,
    records: Sequence[StandardRecord],
    *,
    must: list[tuple[str, str]],
    cannot: list[tuple[str, str]],
) -> LinkageResult:
    from tiltas.linkage.engine.incremental import records_link_incremental

    base = run.previous
    if base is None:
        raise LinkageRunRefusedError(
            _("An incremental run extends the current clusters: run a full linkage first.")
        )
    existing_clusters = clusters_of(base)
    existing = [record for record in records if record.record_id in existing_clusters]
    new = [record for record in records if record.record_id not in existing_clusters]
    present = {record.record_id for record in existing}
    return records_link_incremental(
        existing=existing,
        cluster_of={rid: key for rid, key in existing_clusters.items() if rid in present},
        new=new,
        model=base.model,
        settings=settings_from_json(base.settings),
        must_link=must,
        cannot_link=cannot,
    )
