"""Writing the demo country into the database, with its ground truth beside it.

Records are written through `people.services.persons_store`, as each owner organisation's own
import would be (encrypted identities, blind indexes, audit entries), in batches so that memory
stays bounded however many persons are asked for. Everything happens in one transaction: a
failure leaves the database as it was and no truth file.
"""

from __future__ import annotations

import csv
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiltas.accounts.models import Organisation
from tiltas.audit.models import Channel
from tiltas.audit.services import AuditEvent, audit_record_many, system_actor
from tiltas.demo.generator import demo_records
from tiltas.demo.individuals import YEARS_BACK
from tiltas.demo.records import DemoOrganisation, DemoRecord
from tiltas.people.models import Person, PersonSearchToken
from tiltas.people.services import OBJECT_TYPE, persons_store

PURPOSE = "demo country (synthetic data)"
DEMO_RECORD_NAMESPACE = uuid.UUID("5d1c6a52-8f0e-4c55-9a7e-0b7b6c1d2e3f")
DEFAULT_PERSONS = 3_000
DEFAULT_SEED = 1
DEFAULT_BATCH_SIZE = 5_000
MAX_PERSONS = 20_000_000
TRUTH_FILE_NAME = "demo-truth.csv"
TRUTH_COLUMNS = (
    "record_id",
    "person_id",
    "name_origin",
    "source",
    "external_id",
    "script",
    "transliteration",
    "variations",
    "exploitation_forms",
)
_DELETE_CHUNK = 2_000


class DemoRefusedError(Exception):
    """The demo country cannot be written here; the message says why and what to do."""


@dataclass(frozen=True)
class DemoSummary:
    persons: int
    records: int
    organisations: int
    first_year: int
    today: date
    truth_path: Path
    replaced: int


def default_truth_path() -> Path:
    return Path(settings.VAR_DIR) / TRUTH_FILE_NAME


def demo_organisations() -> list[DemoOrganisation]:
    """The active organisations of the loaded profile whose type records persons, by code."""
    return [
        DemoOrganisation(code=code, type_code=type_code)
        for code, type_code in Organisation.objects.filter(
            is_active=True, type__records_persons=True
        )
        .order_by("code")
        .values_list("code", "type__code")
    ]


def persons_exist() -> bool:
    return Person.objects.exists()


def _persons_delete() -> int:
    """Delete every person record and its search tokens (never the audit trail), in chunks, each
    deletion audited."""
    deleted = 0
    while True:
        chunk = list(Person.objects.order_by("pk").values_list("pk", "owner__code")[:_DELETE_CHUNK])
        if not chunk:
            return deleted
        ids = [pk for pk, _ in chunk]
        PersonSearchToken.objects.filter(person_id__in=ids).delete()
        Person.objects.filter(pk__in=ids).only("pk").delete()
        by_owner: dict[str, list[str]] = {}
        for pk, owner_code in chunk:
            by_owner.setdefault(owner_code, []).append(str(pk))
        for owner_code, owner_ids in sorted(by_owner.items()):
            audit_record_many(
                actor=system_actor(organisation_code=owner_code, channel=Channel.SYSTEM),
                events=[
                    AuditEvent("delete", OBJECT_TYPE, pk, PURPOSE, detail={"reason": "replace"})
                    for pk in owner_ids
                ],
            )
        deleted += len(chunk)


def _batch_store(
    batch: list[DemoRecord], organisations: dict[str, Organisation]
) -> dict[tuple[str, str], str]:
    """Store one batch per owner; (owner code, external id) -> record id."""
    by_owner: dict[str, list[DemoRecord]] = {}
    for record in batch:
        by_owner.setdefault(record.source, []).append(record)
    record_ids: dict[tuple[str, str], str] = {}
    for code in sorted(by_owner):
        owner = organisations[code]
        inputs = [record.data for record in by_owner[code]]
        persons_store(
            actor=system_actor(organisation_code=code, channel=Channel.SYSTEM),
            owner=owner,
            inputs=inputs,
            purpose=PURPOSE,
            # Ids derived from the seeded case numbers: the same seed writes the same truth file.
            ids=[
                uuid.uuid5(DEMO_RECORD_NAMESPACE, f"{code}:{data.external_id}") for data in inputs
            ],
        )
        external_ids = [data.external_id for data in inputs if data.external_id]
        for external_id, pk in Person.objects.filter(
            owner=owner, external_id__in=external_ids
        ).values_list("external_id", "pk"):
            if external_id is not None:
                record_ids[(code, external_id)] = str(pk)
    return record_ids


def _records_write(
    people: Iterable[list[DemoRecord]],
    *,
    total: int,
    owners: dict[str, Organisation],
    writer: Any,
    batch_size: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    """Store the records batch by batch and write each record's truth row; the record count."""
    batch: list[DemoRecord] = []
    written = 0
    for done, person_records in enumerate(people, start=1):
        batch.extend(person_records)
        if done % batch_size and done != total:
            continue
        record_ids = _batch_store(batch, owners)
        for record in batch:
            key = (record.source, record.data.external_id or "")
            writer.writerow(_truth_row(record, record_ids[key]))
        written += len(batch)
        batch = []
        if progress is not None:
            progress(done, total)
    return written


def _truth_row(record: DemoRecord, record_id: str) -> list[str]:
    return [
        record_id,
        record.person_id,
        record.origin,
        record.source,
        record.data.external_id or "",
        record.script,
        record.transliteration,
        ";".join(record.variations),
        ";".join(record.exploitation_forms),
    ]


def demo_generate(
    *,
    seed: int = DEFAULT_SEED,
    persons: int = DEFAULT_PERSONS,
    today: date | None = None,
    truth_path: Path | None = None,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Write `persons` synthetic individuals (each recorded by one or more organisations) into
    the database and their ground truth to `truth_path`; refuse a database that already holds
    persons unless `replace`."""
    if settings.PRODUCTION:
        raise DemoRefusedError(
            _("The demo country is for development and training; TILTAS_ENV is production.")
        )
    if not 1 <= persons <= MAX_PERSONS:
        raise DemoRefusedError(
            _("persons: give a number from 1 to %(max)s.") % {"max": f"{MAX_PERSONS:,}"}
        )
    if batch_size < 1:
        raise DemoRefusedError(_("batch size: give a positive number."))
    real_today = timezone.localdate()
    today = today or real_today
    if today > real_today:
        raise DemoRefusedError(
            _("today: %(today)s is in the future; records cannot be dated after %(real)s.")
            % {"today": today.isoformat(), "real": real_today.isoformat()}
        )
    organisations = demo_organisations()
    if not organisations:
        raise DemoRefusedError(
            _(
                "No organisation that records persons exists yet. "
                "Load a country profile first: tiltas load_profile lt"
            )
        )
    truth_path = truth_path or default_truth_path()
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    owners = Organisation.objects.filter(code__in=[o.code for o in organisations])
    by_code = {owner.code: owner for owner in owners}
    handle, temporary = tempfile.mkstemp(
        prefix=f".{truth_path.name}.", suffix=".tmp", dir=truth_path.parent
    )
    records = 0
    replaced = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as truth_file:
            writer = csv.writer(truth_file, lineterminator="\n")
            writer.writerow(TRUTH_COLUMNS)
            with transaction.atomic():
                if Person.objects.exists():
                    if not replace:
                        raise DemoRefusedError(
                            _(
                                "The database already holds person records; the demo country "
                                "is only written into an empty one. Use --replace to delete "
                                "every person record first (the audit trail is kept)."
                            )
                        )
                    replaced = _persons_delete()
                records = _records_write(
                    demo_records(
                        seed=seed, persons=persons, organisations=organisations, today=today
                    ),
                    total=persons,
                    owners=by_code,
                    writer=writer,
                    batch_size=batch_size,
                    progress=progress,
                )
        os.replace(temporary, truth_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return DemoSummary(
        persons=persons,
        records=records,
        organisations=len(organisations),
        first_year=today.year - YEARS_BACK,
        today=today,
        truth_path=truth_path,
        replaced=replaced,
    )
