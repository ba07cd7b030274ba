"""From a run's input to the engine's result: a full run links every record; an incremental run
links the new records against the previous run's clusters with its saved model, on the
encodings too when the previous run was linked on them (privacy-preserving linkage). The engine
is imported inside the functions, so that web processes never pay for loading it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from tiltas.linkage.errors import LinkageRunRefusedError
from tiltas.linkage.models import LinkageRun, LinkedRecord, RunKind
from tiltas.linkage.run_input import RunInput, organisations_encoded

if TYPE_CHECKING:
    from tiltas.linkage.engine.model import LinkageResult, LinkageSettings


def organisations_encoded_in(run: LinkageRun) -> list[str]:
    """Codes of the organisations whose records `run` linked only by their encodings, as its
    settings name them."""
    pprl = run.settings.get("pprl", {})
    return sorted(pprl.get("organisations", []))


def incremental_refusal(previous: LinkageRun, encoded_now: Sequence[str]) -> str | None:
    """Why an incremental run after `previous` cannot go on, or None when it can: it scores
    the records with the saved model of `previous`, plain or on encodings as `previous` linked
    them, so the organisations known only by their encodings (`encoded_now`) must be the same."""
    before, now = organisations_encoded_in(previous), sorted(encoded_now)
    if before == now:
        return None
    none = _("none")
    return _(
        "An incremental run scores the records with the current run's model, which was made "
        "for other organisations taking part only through their keyed encodings (then: "
        "%(before)s; now: %(now)s): start a full run instead."
    ) % {"before": ", ".join(before) or none, "now": ", ".join(now) or none}


def incremental_check(previous: LinkageRun) -> None:
    """Refuse an incremental run after `previous` when the organisations known only by their
    encodings are no longer those of `previous` (LinkageRunRefusedError)."""
    refusal = incremental_refusal(previous, organisations_encoded())
    if refusal is not None:
        raise LinkageRunRefusedError(refusal)


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
    return _link_incremental(run, records, must=must, cannot=cannot)


def _link_incremental(
    run: LinkageRun,
    records: RunInput,
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
    # Checked before the identities were read; organisations may have changed since.
    refusal = incremental_refusal(base, records.encoded_organisations)
    if refusal is not None:
        raise LinkageRunRefusedError(refusal)
    existing_clusters = clusters_of(base)
    existing = [record for record in records.plain if record.record_id in existing_clusters]
    new = [record for record in records.plain if record.record_id not in existing_clusters]
    # The records known only by their encodings are existing when the base run linked them.
    present = {record.record_id for record in records.plain}
    present |= {item.record_id for item in records.encoded}
    return records_link_incremental(
        existing=existing,
        cluster_of={rid: key for rid, key in existing_clusters.items() if rid in present},
        new=new,
        model=base.model,
        settings=settings_from_json(base.settings),
        encoded=records.encoded,
        must_link=must,
        cannot_link=cannot,
    )
