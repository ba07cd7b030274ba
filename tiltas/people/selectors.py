"""Reads of person records, always through the access policy, each read audited."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from tiltas.accounts.access import AnyUser, get_scoped_or_404, scope_to_owner
from tiltas.accounts.roles import Permission
from tiltas.audit.services import AuditEvent, actor_for_user, audit_record, audit_record_many
from tiltas.core.encryption import keyring, open_json
from tiltas.lib.crypto import DecryptionError
from tiltas.lib.names import name_tokens, normalise_document_number
from tiltas.people.models import Person, PersonSearchToken, SearchTokenKind
from tiltas.people.services import OBJECT_TYPE

logger = logging.getLogger(__name__)


class IdentityUnavailableError(Exception):
    """The stored identity failed its integrity check: never shown, always logged."""


@dataclass(frozen=True)
class PersonIdentity:
    given_name: str
    family_name: str
    given_name_latin: str
    family_name_latin: str
    date_of_birth: date | None
    contacts: str
    document_numbers: list[str]
    notes: str

    @property
    def display_name(self) -> str:
        original = " ".join(part for part in (self.given_name, self.family_name) if part)
        latin = " ".join(part for part in (self.given_name_latin, self.family_name_latin) if part)
        if original and latin and latin != original:
            return f"{original} ({latin})"
        return original or latin


def persons_visible_to(
    user: AnyUser, *, permission: str = Permission.PERSONAL_VIEW
) -> QuerySet[Person]:
    """The person records the user may see (or act on with `permission`)."""
    return scope_to_owner(user, Person.objects.select_related("owner"), permission=permission)


def person_identity(person: Person) -> PersonIdentity:
    """Decrypt the identity of a record the caller already obtained through the policy."""
    try:
        raw: dict[str, Any] = open_json(
            person.identity_ciphertext, person.identity_associated_data()
        )
    except DecryptionError as exc:
        logger.error("integrity failure on %s %s: %s", OBJECT_TYPE, person.pk, exc)
        raise IdentityUnavailableError(str(person.pk)) from exc
    dob = raw.get("date_of_birth") or ""
    return PersonIdentity(
        given_name=raw.get("given_name", ""),
        family_name=raw.get("family_name", ""),
        given_name_latin=raw.get("given_name_latin", ""),
        family_name_latin=raw.get("family_name_latin", ""),
        date_of_birth=date.fromisoformat(dob) if dob else None,
        contacts=raw.get("contacts", ""),
        document_numbers=list(raw.get("document_numbers", [])),
        notes=raw.get("notes", ""),
    )


def get_person_for_user(
    *,
    user: AnyUser,
    person_id: Any,
    channel: str,
    purpose: str = "",
    permission: str = Permission.PERSONAL_VIEW,
) -> Person:
    """One person the user may see, its read audited; 404 when missing or forbidden alike."""
    person = get_scoped_or_404(
        user, Person.objects.select_related("owner"), permission=permission, pk=person_id
    )
    audit_record(
        actor=actor_for_user(user, channel=channel),
        event=AuditEvent("read", OBJECT_TYPE, str(person.pk), purpose),
    )
    return person


def persons_audit_read(
    *, user: AnyUser, persons: Iterable[Person], channel: str, purpose: str = "list"
) -> None:
    """Record that these persons' identities were shown to the user (list and search pages)."""
    events = [AuditEvent("read", OBJECT_TYPE, str(person.pk), purpose) for person in persons]
    with transaction.atomic():
        audit_record_many(actor=actor_for_user(user, channel=channel), events=events)


@dataclass(frozen=True)
class PersonSearch:
    """A search by name words, exact date of birth and/or document number (all must match)."""

    name: str = ""
    date_of_birth: date | None = None
    document_number: str = ""

    def is_empty(self) -> bool:
        return not (self.name.strip() or self.date_of_birth or self.document_number.strip())


def _digests(search: PersonSearch) -> list[tuple[str, str]]:
    ring = keyring()
    wanted: list[tuple[str, str]] = [
        (SearchTokenKind.NAME, ring.blind_index(SearchTokenKind.NAME, token))
        for token in name_tokens(search.name)
    ]
    if search.date_of_birth:
        wanted.append(
            (
                SearchTokenKind.DATE_OF_BIRTH,
                ring.blind_index("dob", search.date_of_birth.isoformat()),
            )
        )
    number = normalise_document_number(search.document_number)
    if number:
        wanted.append((SearchTokenKind.DOCUMENT, ring.blind_index("doc", number)))
    return wanted


def persons_search(*, user: AnyUser, search: PersonSearch) -> QuerySet[Person]:
    """Visible persons matching every given criterion, found through the blind indexes only."""
    visible = persons_visible_to(user)
    wanted = _digests(search)
    if not wanted:
        return visible.none()
    matches = (
        PersonSearchToken.objects.filter(person__in=visible.values("pk"))
        .filter(_any_of(wanted))
        .values("person")
        .annotate(hits=Count("id", distinct=True))
        .filter(hits=len(set(wanted)))
        .values("person")
    )
    return visible.filter(pk__in=matches)


def _any_of(wanted: Sequence[tuple[str, str]]) -> Q:
    condition = Q()
    for kind, digest in wanted:
        condition |= Q(kind=kind, digest=digest)
    return condition
