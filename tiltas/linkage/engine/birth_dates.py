"""Dates of birth that no single recording error explains. Two records whose dates of birth
are that far apart are not the same person, however alike their names: clustering keeps them
apart even when each is linked to a third record without a date, so that namesakes do not
chain into one cluster (no Django).

Two full dates are compatible when two of their year, month and day agree, a year one off
counting as agreeing and the month and day possibly swapped (one error on each record: a typed
digit, a wrong day or month, a swap, the year off by one), or when they are one typed digit
apart (a year ten off). A 1 January date may be a default for an unknown day and month and is
compatible with any. A year without a full date (a partial date or an estimate from the
apparent age) is compatible with years up to PARTIAL_YEARS_APART away. Two dates that are not
compatible are reconciled by a third record's full date compatible with both: the true date,
mistyped differently by two agencies.

A full date is represented by keys, two full dates being compatible exactly when they share
one: the keys are the date values of the privacy-preserving encoding (pprl.py), in plain or as
their keyed hashes, so that encoded records are told apart as plain ones are."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .pprl import DATE_NEAR_TOKENS, EncodedRecord, date_values_of
from .standardise import StandardRecord

# Estimates from the apparent age are off by up to three years either way in the demo data and
# in practice; two estimates of one person can then differ by more.
PARTIAL_YEARS_APART = 5
# The encoded date values whose equality makes two full dates compatible: a shared "near" value
# is a Damerau-Levenshtein distance of at most 1; the others pair the year, or the next one,
# with the month, the day, or both in either order.
COMPATIBLE_VALUES = (
    *DATE_NEAR_TOKENS,
    *(f"dob_year_{part}{suffix}" for part in ("month", "day", "pair") for suffix in ("", "_next")),
)


@dataclass(frozen=True)
class BirthDate:
    """What clustering compares of a record's date of birth (a clustering.Trait): the keys of
    its full date (empty when there is none or it may be a default) and its year when known in
    plain."""

    keys: frozenset[str] = frozenset()
    year: int | None = None

    def conflicts_with(self, other: BirthDate) -> bool:
        """Whether no single recording error explains the difference of the two dates."""
        if self.keys and other.keys:
            return self.keys.isdisjoint(other.keys)
        if self.year is not None and other.year is not None:
            return abs(self.year - other.year) > PARTIAL_YEARS_APART
        return False

    def reconciles(self, first: BirthDate, second: BirthDate) -> bool:
        """Whether this full date is one recording error from each of the two (a year alone
        or a record without a date explains nothing: it would let namesakes chain)."""
        return bool(self.keys) and not (self.conflicts_with(first) or self.conflicts_with(second))


UNKNOWN = BirthDate()


def birth_date_plain(record: StandardRecord) -> BirthDate:
    return _birth_date(record.dob_year, record.dob_month, record.dob_day)


# Dates repeat (a million records hold about 20,000 distinct ones): each is keyed once.
@lru_cache(maxsize=1 << 16)
def _birth_date(year: int | None, month: int | None, day: int | None) -> BirthDate:
    values = date_values_of(year, month, day)
    keys: frozenset[str] = frozenset()
    if "dob" in values and (month, day) != (1, 1):
        keys = frozenset("\x1f".join(values[name]) for name in COMPATIBLE_VALUES)
    return BirthDate(keys, year)


def birth_date_encoded(record: EncodedRecord) -> BirthDate:
    tokens = record.tokens
    # A 1 January date: the keyed hash of the date equals that of its year's 1 January.
    if "dob" not in tokens or tokens["dob"] == tokens.get("dob_january_first"):
        return UNKNOWN
    return BirthDate(frozenset(tokens[name] for name in COMPATIBLE_VALUES))


def birth_dates_of(
    records: Sequence[StandardRecord], encoded: Iterable[EncodedRecord] = ()
) -> Mapping[str, BirthDate]:
    """Record id -> its birth date for clustering. With encodings (privacy-preserving mode,
    where every record is encoded), full dates are compared by their encodings alone, so that
    a plain record and an encoded one compare as two encoded ones; the plain records' years
    still count against partial dates."""
    dates = {record.record_id: birth_date_plain(record) for record in records}
    for item in encoded:
        year = dates[item.record_id].year if item.record_id in dates else None
        dates[item.record_id] = BirthDate(birth_date_encoded(item).keys, year)
    return dates
