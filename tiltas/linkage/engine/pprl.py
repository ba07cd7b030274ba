"""Privacy-preserving record linkage (PPRL): keyed encodings of standardised records (no Django).

An organisation that may not share identities gives the central linkage only an
`EncodedRecord` for each of its records: keyed Bloom filters of the standardised names (compared
by Dice similarity) and keyed hashes (HMAC-SHA256) of the standardised values, of the date parts
the comparisons need and of the blocking keys. The key is held by the organisations, never by
the central analysts: without it no one can run a dictionary attack (hash every name and date
of birth and look the encodings up). Encoding the *standardised* keys rather than the raw
spellings is what keeps the accuracy: the canonical given-name key, the family-name stem, the
phonetic keys, the swapped-name variants and the date parts are already equal across scripts,
transliteration systems and Lithuanian endings, so equal keys give equal encodings and Dice on
the Bloom filters only has to absorb typos. Identity document numbers are keyed hashes too, one
per standardised number (standardise.py `document_number_key`), compared as sets: two records
share a hash exactly when they share a number.

Plain records compared with encoded ones are compared on encodings too. The linkage engine
never holds the key: whoever links (the `tiltas link` command, simulating the organisations'
encoding step) encodes the plain records with the same key and hands the engine both the plain
records and their encodings (`pprl_prepare`).

What the encodings do not hide: equal values give equal encodings, so a party holding them sees
how often each (unknown) value occurs, and may guess the most frequent ones (a frequency
attack). Encodings are therefore shared with the central linkage only, never published.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .model import BLOCKING_RULES
from .standardise import RawRecord, StandardRecord, records_standardise

MIN_KEY_BYTES = 32
BLOOM_BITS = 1024
# Bits set per bigram: about 10 % of a 1,024-bit filter for a ten-letter name, so that
# unrelated names share few bits by chance while one typo leaves most bits in common.
BLOOM_HASHES = 10
# 12 base64 characters (72 bits): no collision expected among millions of values, and short
# enough for DuckDB to compare inline.
TOKEN_BYTES = 9
BLOOM_FIELDS = ("given_key", "family_stem", "locality")
# Digits of YYYY-MM-DD, and the adjacent pairs of digits inside the year, month and day.
_DATE_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9)
_DATE_TRANSPOSITIONS = (0, 1, 2, 5, 8)
DATE_NEAR_TOKENS = tuple(f"dob_near_{i}" for i in range(len(_DATE_DIGITS + _DATE_TRANSPOSITIONS)))
# Tokens named after the StandardRecord field whose value they hash; values of one meaning share a
# domain (a given name and the given name the record would have if its names were swapped).
_FIELD_DOMAINS = {
    "given_key": "given",
    "given_key_if_swapped": "given",
    "given_phonetic": "given_phonetic",
    "family_key": "family_key",
    "family_stem": "family_stem",
    "family_stem_if_swapped": "family_stem",
    "family_phonetic": "family_phonetic",
    "sex": "sex",
    "citizenship": "citizenship",
    "postcode": "postcode",
    "locality": "locality",
    # The address keys (address.py), compared as keyed hashes: exact levels only.
    "address_key": "address",
    "address_words": "address_words",
    "address_street": "address_street",
    "address_street_prefix": "address_street_prefix",
    "address_number": "address_number",
}
DATE_TOKENS = (
    "dob",
    "dob_swapped",
    "dob_next_year",
    "dob_january_first",
    "dob_year",
    "dob_year_next",
    "dob_year_plus_2",
    "dob_year_plus_3",
    "dob_year_month",
    *DATE_NEAR_TOKENS,
)
TOKEN_FIELDS = (*_FIELD_DOMAINS, *DATE_TOKENS)
# StandardRecord fields holding several values, each hashed: field -> domain.
TOKEN_SET_FIELDS = {"document_numbers": "document_number"}


class PprlKeyError(ValueError):
    """The PPRL key cannot be used: the file is missing, unreadable or too short."""


def pprl_key_read(path: Path) -> bytes:
    """The PPRL key in `path`: its bytes, surrounding white space dropped when the file is text
    (such as `openssl rand -hex 32`); at least MIN_KEY_BYTES."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PprlKeyError(f"{path}: cannot read the key file ({exc.strerror})") from exc
    stripped = data.strip()
    if stripped.isascii() and stripped.decode("ascii").isprintable():
        data = stripped
    if len(data) < MIN_KEY_BYTES:
        raise PprlKeyError(
            f"{path}: the key has {len(data)} bytes, at least {MIN_KEY_BYTES} are needed "
            "(make one with: openssl rand -hex 32)"
        )
    return data


@dataclass(frozen=True)
class EncodedRecord:
    """What an organisation that may not share identities gives the linkage for one record:
    keyed Bloom filters (`blooms`, field -> BLOOM_BITS bits), keyed hashes of standardised
    values and date parts (`tokens`), of the blocking keys (`blocks`) and of each value of a
    field holding several (`token_sets`: the document numbers, sorted); an unknown value has
    no entry. No plain identifying value."""

    record_id: str
    source: str
    blooms: Mapping[str, bytes]
    tokens: Mapping[str, str]
    blocks: Mapping[str, str]
    token_sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def blocking_columns(index: int) -> tuple[str, str]:
    """The encoded columns compared by blocking rule `index`: the keys of its left and of its
    right columns (one column when the rule compares each column with itself)."""
    rule = BLOCKING_RULES[index]
    if all(left == right for left, right in rule):
        return f"block_{index}", f"block_{index}"
    return f"block_{index}_a", f"block_{index}_b"


BLOCK_FIELDS = tuple(
    dict.fromkeys(name for index in range(len(BLOCKING_RULES)) for name in blocking_columns(index))
)


def _bigrams(text: str) -> list[str]:
    padded = f"_{text}_"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def _date_near(iso: str) -> list[str]:
    """One value per way a date can be one keystroke off another (a digit replaced, two
    adjacent digits exchanged): two dates share one of them exactly when their
    Damerau-Levenshtein distance is 1 (or they are equal)."""
    masked = [f"{iso[:i]}*{iso[i + 1 :]}" for i in _DATE_DIGITS]
    paired = [
        f"{iso[:i]}{''.join(sorted(iso[i : i + 2]))}{iso[i + 2 :]}" for i in _DATE_TRANSPOSITIONS
    ]
    return masked + paired


def date_values(record: StandardRecord) -> dict[str, tuple[str, str]]:
    """The date parts the date comparison needs, as (domain, value)."""
    return date_values_of(record.dob_year, record.dob_month, record.dob_day)


def date_values_of(
    year: int | None, month: int | None, day: int | None
) -> dict[str, tuple[str, str]]:
    """date_values of a date given by its parts."""
    if year is None:
        return {}
    values = {
        "dob_year": ("year", str(year)),
        "dob_year_next": ("year", str(year + 1)),
        # Years up to three apart, for a date known only to its year (model.py's levels).
        "dob_year_plus_2": ("year", str(year + 2)),
        "dob_year_plus_3": ("year", str(year + 3)),
        "dob_january_first": ("date", f"{year:04d}-01-01"),
    }
    if month is not None:
        values["dob_year_month"] = ("year_month", f"{year:04d}-{month:02d}")
    if month is not None and day is not None:
        values["dob"] = ("date", f"{year:04d}-{month:02d}-{day:02d}")
        values["dob_swapped"] = ("date", f"{year:04d}-{day:02d}-{month:02d}")
        values["dob_next_year"] = ("date", f"{year + 1:04d}-{month:02d}-{day:02d}")
        iso = values["dob"][1]
        for name, near in zip(DATE_NEAR_TOKENS, _date_near(iso), strict=True):
            values[name] = ("date_near", f"{name}:{near}")
        # For clustering (birth_dates.py): the year, or the next, with the month, the day, or
        # both in either order.
        low, high = sorted((month, day))
        for suffix, shown in (("", year), ("_next", year + 1)):
            values[f"dob_year_month{suffix}"] = ("year_month", f"{shown:04d}-{month:02d}")
            values[f"dob_year_day{suffix}"] = ("year_day", f"{shown:04d}-{day:02d}")
            values[f"dob_year_pair{suffix}"] = ("year_pair", f"{shown:04d}-{low:02d}-{high:02d}")
    return values


class _Encoder:
    """Keyed hashing with one sub-key per use, remembering what it has hashed (a file repeats
    its years, sexes and bigrams a great many times)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise PprlKeyError(f"the key has {len(key)} bytes, at least {MIN_KEY_BYTES} needed")
        self._token_key = hmac.digest(key, b"tiltas pprl token", hashlib.sha256)
        self._bloom_key = hmac.digest(key, b"tiltas pprl bloom", hashlib.sha256)
        self._tokens: dict[tuple[str, str], str] = {}
        self._positions: dict[tuple[str, str], tuple[int, ...]] = {}

    def token(self, domain: str, value: str) -> str:
        cached = self._tokens.get((domain, value))
        if cached is None:
            message = f"{domain}\x1f{value}".encode()
            digest = hmac.digest(self._token_key, message, hashlib.sha256)
            cached = base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode("ascii")
            self._tokens[domain, value] = cached
        return cached

    def _bigram_positions(self, domain: str, bigram: str) -> tuple[int, ...]:
        cached = self._positions.get((domain, bigram))
        if cached is None:
            # Independent positions from one keyed digest ("random hashing"), not double
            # hashing, whose regular pattern eases attacks on Bloom filters.
            digest = hmac.digest(self._bloom_key, f"{domain}\x1f{bigram}".encode(), hashlib.sha256)
            cached = tuple(
                int.from_bytes(digest[2 * i : 2 * i + 2], "big") % BLOOM_BITS
                for i in range(BLOOM_HASHES)
            )
            self._positions[domain, bigram] = cached
        return cached

    def bloom(self, domain: str, text: str) -> bytes:
        bits = bytearray(BLOOM_BITS // 8)
        for bigram in _bigrams(text):
            for position in self._bigram_positions(domain, bigram):
                bits[position // 8] |= 0x80 >> (position % 8)
        return bytes(bits)

    def record(self, record: StandardRecord) -> EncodedRecord:
        tokens = {
            name: self.token(domain, value)
            for name, domain in _FIELD_DOMAINS.items()
            if (value := getattr(record, name)) is not None
        }
        tokens |= {name: self.token(*value) for name, value in date_values(record).items()}
        blooms = {
            name: self.bloom(name, value)
            for name in BLOOM_FIELDS
            if (value := getattr(record, name)) is not None
        }
        blocks: dict[str, str] = {}
        for index, rule in enumerate(BLOCKING_RULES):
            for columns, name in zip(zip(*rule, strict=True), blocking_columns(index), strict=True):
                values = [getattr(record, column) for column in columns]
                if None not in values:
                    blocks[name] = self.token(f"block_{index}", "\x1f".join(map(str, values)))
        token_sets = {
            name: tuple(sorted(self.token(domain, value) for value in values))
            for name, domain in TOKEN_SET_FIELDS.items()
            if (values := getattr(record, name))
        }
        return EncodedRecord(record.record_id, record.source, blooms, tokens, blocks, token_sets)


def records_encode(records: Sequence[StandardRecord], *, key: bytes) -> list[EncodedRecord]:
    """The keyed encodings of standardised records (deterministic for a key)."""
    encoder = _Encoder(key)
    return [encoder.record(record) for record in records]


@dataclass(frozen=True)
class PprlInput:
    """What the linkage receives in privacy-preserving mode: the plain records of the sources
    that may share identities, and encodings of every record (the plain ones included)."""

    plain: list[StandardRecord]
    encoded: list[EncodedRecord]


def pprl_prepare(
    records: Sequence[RawRecord], *, sources: Collection[str], key: bytes
) -> PprlInput:
    """Encode the records of `sources` as their organisations would, each source standardising
    its own records alone, and keep only their encodings; standardise the other records
    together and encode them too, for comparison with the encoded ones."""
    by_source: dict[str, list[RawRecord]] = {}
    for record in records:
        by_source.setdefault(record.source.strip(), []).append(record)
    encoder = _Encoder(key)
    encoded: list[EncodedRecord] = []
    for source in sorted(by_source.keys() & set(sources)):
        encoded += [encoder.record(record) for record in records_standardise(by_source[source])]
    plain = records_standardise(
        [record for record in records if record.source.strip() not in sources]
    )
    return PprlInput(plain, [encoder.record(record) for record in plain] + encoded)


def encoded_sources_missing(records: Sequence[RawRecord], *, sources: Collection[str]) -> list[str]:
    """The names in `sources` that no record has as its source (probably a typing error)."""
    present = {record.source.strip() for record in records}
    return sorted(set(sources) - present)


def encodings_by_record(encoded: Sequence[EncodedRecord]) -> Mapping[str, EncodedRecord]:
    """The encodings by record id; a record id may appear only once."""
    result: dict[str, EncodedRecord] = {}
    for item in encoded:
        if item.record_id in result:
            raise ValueError(f"encoded: record_id {item.record_id!r} appears twice")
        result[item.record_id] = item
    return result
