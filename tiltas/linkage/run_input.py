"""What a linkage run hands the engine: every person record, in plain or only as its keyed
encoding (privacy-preserving linkage, engine/pprl.py).

Records of organisations whose type shares identities are decrypted and standardised together
and linked on their plain fields; when some organisation does not share identities they are
encoded too, since the engine compares them with the encoded records on encodings. Records of an
organisation whose type does not share identities are decrypted in `_organisation_encode` only,
one organisation at a time, standardised by that organisation's records alone (as the
organisation itself would do) and encoded at once: their plain records never leave that
function, so the linkage call cannot receive them. The clear fields that reports need (owner,
sex) are taken from the database for every record, never from an identity.

The caller audits the reads (the plain read and the read for encoding) before calling
`run_input_read`, and passes the organisations' key (pprl_keys.py) when anything is encoded."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from tiltas.people.models import Person
from tiltas.people.selectors import IdentityUnavailableError, person_identity

if TYPE_CHECKING:
    from tiltas.linkage.engine.pprl import EncodedRecord
    from tiltas.linkage.engine.standardise import RawRecord, StandardRecord

READ_CHUNK = 2_000


@dataclass(frozen=True)
class RunInput:
    """The records of a run as the engine takes them: `plain` (organisations that share
    identities), `encoded` (every record's encoding, empty when nothing needs encoding), the
    codes of the organisations known only by their encodings, and each record's owner code and
    sex (F, M or None) from the clear fields."""

    plain: list[StandardRecord]
    encoded: list[EncodedRecord]
    encoded_organisations: tuple[str, ...]
    sources: dict[str, str]
    sexes: dict[str, str | None]


def persons_not_shared() -> QuerySet[Person]:
    """Person records of organisations whose type does not share identities."""
    return Person.objects.filter(owner__type__shares_identities=False)


def organisations_encoded() -> list[str]:
    """Codes of the organisations whose records a run links only by their encodings."""
    codes = persons_not_shared().values_list("owner__code", flat=True).order_by().distinct()
    return sorted(set(codes))


def raw_record(person: Person) -> RawRecord:
    """The engine's view of one person: names (the original script when stored, else the Latin
    spelling), date of birth (or the birth year alone), sex, one citizenship, the identity
    document numbers, the owner."""
    from tiltas.linkage.engine.standardise import PartialDate, RawRecord

    try:
        identity = person_identity(person)
    except IdentityUnavailableError:
        identity = None  # logged by people.selectors; the clear fields still link it
    given = family = ""
    birth: PartialDate | None = None
    documents: tuple[str, ...] = ()
    if identity is not None:
        documents = tuple(identity.document_numbers)
        given = identity.given_name or identity.given_name_latin
        family = identity.family_name or identity.family_name_latin
        if identity.date_of_birth is not None:
            dob = identity.date_of_birth
            birth = PartialDate(dob.year, dob.month, dob.day)
    if birth is None and person.birth_year is not None:
        birth = PartialDate(person.birth_year)
    return RawRecord(
        record_id=str(person.pk),
        source=person.owner.code,
        given_name=given,
        family_name=family,
        date_of_birth=birth,
        sex=person.sex if person.sex in {"F", "M"} else "",
        citizenship=person.citizenships[0] if person.citizenships else "",
        document_numbers=documents,
    )


def _persons(queryset: QuerySet[Person]) -> QuerySet[Person]:
    return queryset.select_related("owner").order_by("pk")


def _organisation_encode(
    persons: QuerySet[Person], *, key: bytes, counted: Callable[[Person], None]
) -> list[EncodedRecord]:
    """The keyed encodings of one organisation's records; their identities exist in plain only
    inside this function."""
    from tiltas.linkage.engine.pprl import records_encode
    from tiltas.linkage.engine.standardise import records_standardise

    raws = []
    for person in _persons(persons).iterator(chunk_size=READ_CHUNK):
        counted(person)
        raws.append(raw_record(person))
    return records_encode(records_standardise(raws), key=key)


def run_input_read(
    *,
    encoded_organisations: Sequence[str],
    key: bytes | None,
    on_progress: Callable[[int], None] = lambda done: None,
) -> RunInput:
    """Every person record for a run: the records of `encoded_organisations` (from
    `organisations_encoded`, their types not sharing identities) only as encodings with `key`,
    the others in plain. `on_progress` hears how many records have been read."""
    from tiltas.linkage.engine.pprl import records_encode
    from tiltas.linkage.engine.standardise import records_standardise

    if encoded_organisations and key is None:
        raise ValueError("key: records of organisations that do not share identities need it")
    sources: dict[str, str] = {}
    sexes: dict[str, str | None] = {}

    def counted(person: Person) -> None:
        sources[str(person.pk)] = person.owner.code
        sexes[str(person.pk)] = person.sex if person.sex in {"F", "M"} else None
        on_progress(len(sources))

    raws = []
    shared = Person.objects.filter(owner__type__shares_identities=True)
    for person in _persons(shared).iterator(chunk_size=READ_CHUNK):
        counted(person)
        raws.append(raw_record(person))
    plain = records_standardise(raws)
    if not encoded_organisations or key is None:
        return RunInput(plain, [], (), sources, sexes)
    encoded = records_encode(plain, key=key)
    codes = tuple(sorted(encoded_organisations))
    for code in codes:
        # A record of an organisation whose type shares identities never comes here, even if
        # the caller named it: the filter is on the type's flag as well as on the code.
        encoded += _organisation_encode(
            persons_not_shared().filter(owner__code=code), key=key, counted=counted
        )
    return RunInput(plain, encoded, codes, sources, sexes)
