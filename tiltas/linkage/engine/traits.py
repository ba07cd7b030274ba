"""What clustering compares of two records beyond their pair's score (clustering.Trait): their
dates of birth (birth_dates.py), a conflict between which is waived where the two records give
one address or one identity document number, since a wholly mistyped date is then likelier
than two namesakes (no Django)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .address_model import place_keys, place_keys_encoded
from .clustering import Trait
from .standardise import StandardRecord

if TYPE_CHECKING:
    from .pprl import EncodedRecord  # pprl builds on model.py, which imports this module


@dataclass(frozen=True)
class DatedIdentity:
    """A record's date of birth and the keys it may share with another record of one person:
    those of its address (address_model.place_keys) and its document numbers."""

    birth_date: Trait
    shared_keys: frozenset[str]

    def conflicts_with(self, other: DatedIdentity) -> bool:
        return self.shared_keys.isdisjoint(other.shared_keys) and self.birth_date.conflicts_with(
            other.birth_date
        )

    def reconciles(self, first: DatedIdentity, second: DatedIdentity) -> bool:
        return self.birth_date.reconciles(first.birth_date, second.birth_date)


def _document_keys(numbers: Iterable[str] | None) -> frozenset[str]:
    # Prefixed so that a document number never equals an address key.
    return frozenset(f"document\x1f{number}" for number in numbers or ())


def clustering_traits(
    records: Sequence[StandardRecord],
    birth_dates: Mapping[str, Trait],
    encoded: Iterable[EncodedRecord] = (),
) -> Mapping[str, Trait]:
    """The birth-date traits of `birth_dates` with the shared keys of the plain `records` and,
    in the privacy-preserving mode, of the `encoded` ones (from their keyed hashes, which
    replace a plain record's own keys as the birth dates do, so that a plain record and an
    encoded one compare as two encoded ones); as they are when no record gives an address or
    a document number."""
    shared: dict[str, frozenset[str]] = {}
    for record in records:
        keys = place_keys(record) if record.address_key else frozenset()
        shared[record.record_id] = keys | _document_keys(record.document_numbers)
    for item in encoded:
        keys = (
            place_keys_encoded(item) if item.tokens.get("address_key") is not None else frozenset()
        )
        shared[item.record_id] = keys | _document_keys(item.token_sets.get("document_numbers"))
    if not any(shared.values()):
        return birth_dates
    return {
        rid: DatedIdentity(birth_date, shared.get(rid, frozenset()))
        for rid, birth_date in birth_dates.items()
    }
