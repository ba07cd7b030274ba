"""Writes to person records. Each runs in one transaction with its audit entry."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from tiltas.accounts.models import Organisation, User
from tiltas.audit.services import AuditActor, AuditEvent, audit_record, audit_record_many
from tiltas.core.encryption import keyring, open_json, seal_json
from tiltas.lib.names import name_tokens, normalise_document_number
from tiltas.people.identity import (
    FieldError,
    PersonInput,
    exploitation_forms_ordered,
    person_input_errors,
)
from tiltas.people.models import Person, PersonSearchToken, SearchTokenKind

OBJECT_TYPE = "people.person"


class PersonValidationError(ValueError):
    """The input names the fields that are wrong; nothing was stored."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{error.field}: {error.message}" for error in errors))
        self.errors = errors


class StaleEditError(Exception):
    """Someone else saved the record since this edit started; nothing was overwritten."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            "This record was changed by someone else while you were editing it "
            f"(it is now at version {current_version}). Reload it and make your change again."
        )
        self.current_version = current_version


def _search_tokens(person: Person, data: PersonInput) -> list[PersonSearchToken]:
    ring = keyring()
    digests: dict[tuple[str, str], None] = {}
    for token in name_tokens(
        data.given_name, data.family_name, data.given_name_latin, data.family_name_latin
    ):
        digests[(SearchTokenKind.NAME, ring.blind_index(SearchTokenKind.NAME, token))] = None
    if data.date_of_birth:
        value = data.date_of_birth.isoformat()
        digests[(SearchTokenKind.DATE_OF_BIRTH, ring.blind_index("dob", value))] = None
    for number in data.document_numbers:
        normalised = normalise_document_number(number)
        if normalised:
            digests[(SearchTokenKind.DOCUMENT, ring.blind_index("doc", normalised))] = None
    return [PersonSearchToken(person=person, kind=kind, digest=digest) for kind, digest in digests]


def person_reindex(person: Person, identity: dict[str, Any]) -> None:
    """Rebuild a record's blind indexes from its opened identity (after an index-key change)."""
    dob = identity.get("date_of_birth") or ""
    data = PersonInput(
        given_name=identity.get("given_name", ""),
        family_name=identity.get("family_name", ""),
        given_name_latin=identity.get("given_name_latin", ""),
        family_name_latin=identity.get("family_name_latin", ""),
        date_of_birth=date.fromisoformat(dob) if dob else None,
        document_numbers=list(identity.get("document_numbers", [])),
    )
    PersonSearchToken.objects.filter(person=person).delete()
    PersonSearchToken.objects.bulk_create(_search_tokens(person, data))


# The fields stored in clear, written from PersonInput by _clear_values.
CLEAR_FIELDS = (
    "status",
    "recorded_on",
    "sex",
    "birth_year",
    "birth_year_estimated",
    "citizenships",
    "languages",
    "exploitation_forms",
    "external_id",
)


def _clear_values(data: PersonInput) -> dict[str, Any]:
    """The clear-text fields `data` sets (a missing recording date keeps the stored one)."""
    values: dict[str, Any] = {
        "status": data.status,
        "sex": data.sex,
        "birth_year": data.effective_birth_year(),
        "birth_year_estimated": data.birth_year_estimated and data.date_of_birth is None,
        "citizenships": sorted(set(data.citizenships)),
        "languages": sorted(set(data.languages)),
        "exploitation_forms": exploitation_forms_ordered(data.exploitation_forms),
        "external_id": data.external_id or None,
    }
    if data.recorded_on is not None:
        values["recorded_on"] = data.recorded_on
    return values


def _apply(person: Person, data: PersonInput) -> None:
    for name, value in _clear_values(data).items():
        setattr(person, name, value)
    person.identity_ciphertext = seal_json(data.identity(), person.identity_associated_data())


def _validate(data: PersonInput) -> None:
    errors = person_input_errors(data, today=timezone.localdate())
    if errors:
        raise PersonValidationError(errors)


@transaction.atomic
def person_create(
    *,
    actor: AuditActor,
    owner: Organisation,
    data: PersonInput,
    created_by: User | None = None,
    purpose: str = "",
) -> Person:
    """Record a person of concern owned by `owner`."""
    _validate(data)
    person = Person(owner=owner, created_by=created_by)
    _apply(person, data)
    person.full_clean()
    person.save()
    PersonSearchToken.objects.bulk_create(_search_tokens(person, data))
    audit_record(
        actor=actor,
        event=AuditEvent("create", OBJECT_TYPE, str(person.pk), purpose),
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: AuditActor,
    person: Person,
    expected_version: int,
    data: PersonInput,
    purpose: str = "",
) -> Person:
    """Change a person record, refusing if it changed since `expected_version` (RL-01)."""
    _validate(data)
    _apply(person, data)
    person.full_clean(exclude=["version"])
    updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
        **{name: getattr(person, name) for name in CLEAR_FIELDS},
        identity_ciphertext=person.identity_ciphertext,
        version=expected_version + 1,
        updated_at=timezone.now(),
    )
    if updated != 1:
        current = Person.objects.filter(pk=person.pk).values_list("version", flat=True).first()
        raise StaleEditError(current or 0)
    person.version = expected_version + 1
    PersonSearchToken.objects.filter(person=person).delete()
    PersonSearchToken.objects.bulk_create(_search_tokens(person, data))
    audit_record(
        actor=actor,
        event=AuditEvent(
            "update", OBJECT_TYPE, str(person.pk), purpose, detail={"version": person.version}
        ),
    )
    return person


@dataclass(frozen=True)
class StoreResult:
    created: int
    updated: int
    unchanged: int


def _same_record(person: Person, data: PersonInput) -> bool:
    """Whether storing `data` would change nothing (a re-import of the same row)."""
    clear_fields_equal = all(
        getattr(person, name) == value for name, value in _clear_values(data).items()
    )
    return (
        clear_fields_equal
        and open_json(person.identity_ciphertext, person.identity_associated_data())
        == data.identity()
    )


@transaction.atomic
def persons_store(
    *,
    actor: AuditActor,
    owner: Organisation,
    inputs: Sequence[PersonInput],
    purpose: str,
    ids: Sequence[uuid.UUID] | None = None,
) -> StoreResult:
    """Store many validated records at once (imports): a record whose external id the owner
    already has is updated in place, so importing the same file twice creates nothing new.
    `ids`, one per input, fixes the ids of new records (reproducible synthetic data)."""
    if ids is not None and len(ids) != len(inputs):
        raise ValueError("ids: one id per input record")
    for data in inputs:
        _validate(data)
    external_ids = [data.external_id for data in inputs if data.external_id]
    existing = {
        person.external_id: person
        for person in Person.objects.filter(owner=owner, external_id__in=external_ids)
    }
    to_create: list[Person] = []
    to_update: list[Person] = []
    tokens: list[PersonSearchToken] = []
    unchanged = 0
    now = timezone.now()
    for position, data in enumerate(inputs):
        person = existing.get(data.external_id) if data.external_id else None
        if person is None:
            person = Person(owner=owner, created_at=now, updated_at=now)
            if ids is not None:
                person.pk = ids[position]
            to_create.append(person)
        elif _same_record(person, data):
            unchanged += 1
            continue
        else:
            person.version += 1
            person.updated_at = now
            to_update.append(person)
        _apply(person, data)
        tokens.extend(_search_tokens(person, data))
    Person.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Person.objects.bulk_update(
            to_update,
            [*CLEAR_FIELDS, "identity_ciphertext", "version", "updated_at"],
            batch_size=1000,
        )
        PersonSearchToken.objects.filter(person__in=to_update).delete()
    PersonSearchToken.objects.bulk_create(tokens, batch_size=2000)
    events = [AuditEvent("create", OBJECT_TYPE, str(p.pk), purpose) for p in to_create]
    events += [AuditEvent("update", OBJECT_TYPE, str(p.pk), purpose) for p in to_update]
    audit_record_many(actor=actor, events=events)
    return StoreResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)
