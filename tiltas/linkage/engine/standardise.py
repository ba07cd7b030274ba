"""Standardising person records before comparison (no Django).

Every name becomes a canonical Latin key that is equal for the spellings agencies really use for
one person: with and without Lithuanian diacritics (š, sh, s), in Cyrillic and under the several
transliteration systems (Ukrainian national, ICAO 9303, BGN/PCGN, ISO 9, the Lithuanian and
German renderings), with Lithuanian grammatical endings (-as, -ienė, -aitė, -ytė, -utė, -ūtė)
reduced to a common stem, and Ukrainian given names mapped to their Russian form.

Identity document numbers (passport, ID card) are compared by their letters and digits alone, as
the person search compares them: "AB 123456", "ab-123456" and "AB123456" give one number.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from tiltas.lib.names import name_skeleton, normalise_document_number, to_ascii

from .address import AddressKeys, address_keys
from .given_names import UKRAINIAN_RUSSIAN_GIVEN_NAMES
from .parallel import mapped_on_all_cores

# ISO 9 writes one Latin letter with a diacritic for a Cyrillic letter that other systems spell
# with two; stripping the diacritic alone would lose the glide (Юлія -> Ûlìâ -> "ula").
_ISO9_LETTERS = {"â": "ia", "û": "iu", "ê": "ie", "ŝ": "shch", "ë": "io", "ï": "i", "ì": "i"}
# Masculine endings the Lithuanian rendering adds to foreign names (Андрій -> Andrijus,
# Шевчук -> Ševčukas), and the Lithuanian feminine surname suffixes (married -ienė, unmarried
# -aitė, -ytė, -utė, -ūtė), longest first.
_GIVEN_ENDINGS = re.compile(r"(?:as|is|ys|us)$")
_FAMILY_ENDINGS = re.compile(r"(?:uviene|iene|aite|iute|ute|yte|ius|as|is|ys|us)$")
_TRAILING_VOWELS = re.compile(r"[aeiou]+$")
_NON_LETTERS = re.compile(r"[^a-z]+")
# Postcodes are mostly digits: "LT-01103" and "01103" give "lt01103" and "01103".
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_MIN_STEM = 3
_PHONETIC_CLASSES = str.maketrans(
    {"b": "p", "d": "t", "g": "k", "h": "k", "q": "k", "c": "s", "z": "s", "x": "s", "v": "f",
     "w": "f"}
)  # fmt: skip
_VOWELS_TO_DROP = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
# Shorter values ("-", "0", "n/a", "nėra") are placeholders, not document numbers.
MIN_DOCUMENT_LENGTH = 5
SWAP_MARGIN = 1.0
# Long enough to be rare, short enough to survive a typo or a changed ending later in the name.
FAMILY_PREFIX_LENGTH = 4
GIVEN_PREFIX_LENGTH = 2
SEXES = frozenset({"F", "M"})
# Names repeat (a file of 100,000 records holds about 8,500 distinct names): each name's keys are
# computed once, which makes standardising about ten times faster. Bounded, for the long-lived
# worker processes of the Django side.
_NAME_CACHE_SIZE = 1 << 17
# Surnames vary far more than given names: a million demo records hold about 330,000 distinct
# written surnames and 43,000 given names. Each is standardised once, in a cache of its own (a
# cache of the pairs would hold most records), and folded to Latin letters once for its keys.
_FAMILY_CACHE_SIZE = 1 << 19


@lru_cache(maxsize=_FAMILY_CACHE_SIZE)
def latin_fold(text: str) -> str:
    """Lower-case ASCII letters only: Cyrillic transliterated, Lithuanian and ISO 9 letters
    folded ('Šiaulienė' -> 'siauliene', 'Ûlìâ' -> 'iulia')."""
    lowered = unicodedata.normalize("NFC", text or "").lower()
    lowered = "".join(_ISO9_LETTERS.get(char, char) for char in lowered)
    return _NON_LETTERS.sub("", to_ascii(lowered))


def _strip(pattern: re.Pattern[str], text: str) -> str:
    stripped = pattern.sub("", text)
    return stripped if len(stripped) >= _MIN_STEM else text


def _initial_ye(key: str) -> str:
    # Initial Є / Е is "Ye", "Ie", "Je" or "E" depending on the system (Yevhen, Ievgen, Evgenii).
    return key[1:] if key.startswith("ie") else key


def _given_core(text: str) -> str:
    # Ukrainian Г is H in Ukrainian systems and G in Russian ones (Halyna / Galina).
    return _initial_ye(name_skeleton(_strip(_GIVEN_ENDINGS, latin_fold(text))).replace("h", "g"))


_RUSSIAN_FORM_OF = {
    _given_core(ukrainian): _given_core(russian)
    for ukrainian, russian in UKRAINIAN_RUSSIAN_GIVEN_NAMES
    if _given_core(ukrainian) != _given_core(russian)
}


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def given_name_key(text: str) -> str:
    """The canonical key of a given name: 'Oleksandr', 'Aleksandras', 'Олександр' and
    'Александр' give one key."""
    core = _given_core(text)
    return _RUSSIAN_FORM_OF.get(core, core)


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def family_name_key(text: str) -> str:
    """The canonical key of a surname, keeping its gender form ('Ivanova' != 'Ivanov')."""
    return _initial_ye(name_skeleton(latin_fold(text)).replace("h", "g"))


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def family_name_stem(text: str) -> str:
    """The surname without its gender or marital ending: Petrauskas, Petrauskienė,
    Petrauskaitė, Petrauskaite give one stem; so do Ivanov/Ivanova and Ševčukas/Shevchuk."""
    stem = _initial_ye(name_skeleton(_strip(_FAMILY_ENDINGS, latin_fold(text))).replace("h", "g"))
    return _strip(_TRAILING_VOWELS, stem)


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def phonetic_key(key: str) -> str:
    """A coarse sound key of a canonical name key: first letter, then consonant classes."""
    if not key:
        return ""
    head, tail = key[0], key[1:].translate(_PHONETIC_CLASSES)
    return _REPEATS.sub(r"\1", head.translate(_PHONETIC_CLASSES) + _VOWELS_TO_DROP.sub("", tail))


def document_number_key(text: str) -> str | None:
    """A document number as compared: its letters (Cyrillic transliterated) and digits, upper
    case (lib.names, as the person search: 'ab 123-456' -> 'AB123456'); None when fewer than
    MIN_DOCUMENT_LENGTH remain."""
    key = normalise_document_number(text or "")
    return key if len(key) >= MIN_DOCUMENT_LENGTH else None


def document_numbers_key(texts: Sequence[str]) -> tuple[str, ...] | None:
    """The distinct document numbers of a record as compared, sorted; None when it has none."""
    keys = sorted({key for text in texts if (key := document_number_key(text)) is not None})
    return tuple(keys) or None


@dataclass(frozen=True)
class PartialDate:
    """A date of birth known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


def partial_date_parse(text: str) -> PartialDate | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as a PartialDate; raises ValueError if impossible."""
    return _partial_date_parse((text or "").strip())


# Dates of birth repeat (a million records hold about 30,000 distinct ones); an impossible date
# raises and is not cached.
@lru_cache(maxsize=_NAME_CACHE_SIZE)
def _partial_date_parse(value: str) -> PartialDate | None:
    if not value:
        return None
    match = _DATE.match(value)
    if match is None:
        raise ValueError(f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    month, day = (int(group) if group else None for group in match.groups()[1:])
    if year < 1850 or year > 2200:
        raise ValueError(f"{value!r}: year {year} is out of range")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{value!r}: month {month} does not exist")
    if month is not None and day is not None:
        try:
            date(year, month, day)
        except ValueError:
            raise ValueError(f"{value!r} is not a date of the calendar") from None
    return PartialDate(year, month, day)


@dataclass(frozen=True)
class RawRecord:
    """One input record as the agency wrote it; any value may be empty."""

    record_id: str
    source: str = ""
    given_name: str = ""
    family_name: str = ""
    date_of_birth: PartialDate | None = None
    sex: str = ""
    citizenship: str = ""
    address: str = ""
    postcode: str = ""
    locality: str = ""
    # Identity document numbers (passport, ID card) as written; a person may hold several.
    document_numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class StandardRecord:
    """The comparison fields of one record; None stands for unknown."""

    record_id: str
    source: str
    given_key: str | None
    given_phonetic: str | None
    given_prefix: str | None
    family_key: str | None
    family_stem: str | None
    family_phonetic: str | None
    family_prefix: str | None
    dob: str | None
    dob_year: int | None
    dob_month: int | None
    dob_day: int | None
    sex: str | None
    citizenship: str | None
    postcode: str | None
    locality: str | None
    # The keys the names would have if the agency had swapped given and family name.
    given_key_if_swapped: str | None = None
    family_stem_if_swapped: str | None = None
    # The address keys (address.py), compared only when the file has addresses.
    address_key: str | None = None
    address_street: str | None = None
    address_street_prefix: str | None = None
    address_words: str | None = None
    address_number: str | None = None
    # The document numbers (document_numbers_key), compared as a set: one in common is strong
    # evidence, none in common weak evidence only (people hold several documents).
    document_numbers: tuple[str, ...] | None = None
    # For blocking, which joins on equal values: the smallest number, and the largest when
    # there are two or more. Two records sharing a number share one of these whenever each
    # holds at most two numbers.
    document_first: str | None = None
    document_second: str | None = None
    names_swapped: bool = False


def _none_if_empty(text: str) -> str | None:
    return text or None


# The name, date and place fields of a record depend on its name, date or place alone, and these
# repeat across a file: each is computed once per distinct value (a million records hold a few
# hundred thousand distinct name pairs), which makes a large file several times faster.
_NameFields = tuple[str | None, str | None, str | None, str | None, str | None, str | None,
                    str | None, str | None, str | None]  # fmt: skip
_DateFields = tuple[str | None, int | None, int | None, int | None]


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def _given_fields(given: str) -> tuple[str, str, str, str]:
    """given_key, given_phonetic, given_prefix, and family_stem_if_swapped."""
    given_key = given_name_key(given)
    return (
        given_key,
        phonetic_key(given_key),
        given_key[:GIVEN_PREFIX_LENGTH],
        family_name_stem(given),
    )


@lru_cache(maxsize=_FAMILY_CACHE_SIZE)
def _family_fields(family: str) -> tuple[str, str, str, str, str]:
    """family_key, family_stem, family_phonetic, family_prefix, and given_key_if_swapped."""
    family_stem = family_name_stem(family)
    return (
        family_name_key(family),
        family_stem,
        phonetic_key(family_stem),
        family_stem[:FAMILY_PREFIX_LENGTH],
        given_name_key(family),
    )


# The fields of the distinct given and family names of a file, computed ahead (on every core).
_GivenFieldsOf = Mapping[str, tuple[str, str, str, str]]
_FamilyFieldsOf = Mapping[str, tuple[str, str, str, str, str]]


def _name_fields(
    given: str,
    family: str,
    given_fields_of: _GivenFieldsOf | None = None,
    family_fields_of: _FamilyFieldsOf | None = None,
) -> _NameFields:
    """given_key, given_phonetic, given_prefix, family_key, family_stem, family_phonetic,
    family_prefix, given_key_if_swapped, family_stem_if_swapped; from the fields computed
    ahead where they hold the name."""
    given_fields = given_fields_of.get(given) if given_fields_of else None
    given_key, given_phonetic, given_prefix, family_stem_if_swapped = given_fields or _given_fields(
        given
    )
    family_fields = family_fields_of.get(family) if family_fields_of else None
    family_key, family_stem, family_phonetic, family_prefix, given_key_if_swapped = (
        family_fields or _family_fields(family)
    )
    return (
        _none_if_empty(given_key),
        _none_if_empty(given_phonetic),
        _none_if_empty(given_prefix),
        _none_if_empty(family_key),
        _none_if_empty(family_stem),
        _none_if_empty(family_phonetic),
        _none_if_empty(family_prefix),
        _none_if_empty(given_key_if_swapped),
        _none_if_empty(family_stem_if_swapped),
    )


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def _date_fields(dob: PartialDate | None) -> _DateFields:
    """dob (the full date only), dob_year, dob_month, dob_day."""
    if dob is None:
        return None, None, None, None
    return dob.iso if dob.day is not None else None, dob.year, dob.month, dob.day


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def _postcode_key(text: str) -> str | None:
    return _none_if_empty(_NON_ALPHANUMERIC.sub("", to_ascii(text)))


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def _locality_key(text: str) -> str | None:
    return _none_if_empty(latin_fold(text))


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def _address_keys(text: str) -> AddressKeys:
    return address_keys(text)  # AddressKeys is frozen: one object serves every equal address


def record_standardise(
    record: RawRecord,
    *,
    swap_names: bool = False,
    given_fields_of: _GivenFieldsOf | None = None,
    family_fields_of: _FamilyFieldsOf | None = None,
) -> StandardRecord:
    """The standard fields of one record (given and family name exchanged if `swap_names`);
    the fields of its names taken from those computed ahead where they hold them."""
    given, family = record.given_name, record.family_name
    if swap_names:
        given, family = family, given
    (
        given_key,
        given_phonetic,
        given_prefix,
        family_key,
        family_stem,
        family_phonetic,
        family_prefix,
        given_key_if_swapped,
        family_stem_if_swapped,
    ) = _name_fields(given, family, given_fields_of, family_fields_of)
    dob, dob_year, dob_month, dob_day = _date_fields(record.date_of_birth)
    sex = record.sex.strip().upper()
    citizenship = record.citizenship.strip().upper()
    address = _address_keys(record.address)
    documents = document_numbers_key(record.document_numbers)
    return StandardRecord(
        record_id=record.record_id,
        source=record.source.strip(),
        given_key=given_key,
        given_phonetic=given_phonetic,
        given_prefix=given_prefix,
        family_key=family_key,
        family_stem=family_stem,
        family_phonetic=family_phonetic,
        family_prefix=family_prefix,
        dob=dob,
        dob_year=dob_year,
        dob_month=dob_month,
        dob_day=dob_day,
        sex=sex if sex in SEXES else None,
        citizenship=citizenship if len(citizenship) == 3 and citizenship.isalpha() else None,
        postcode=_postcode_key(record.postcode),
        locality=_locality_key(record.locality),
        given_key_if_swapped=given_key_if_swapped,
        family_stem_if_swapped=family_stem_if_swapped,
        address_key=address.key,
        address_street=address.street,
        address_street_prefix=address.street_prefix,
        address_words=address.words,
        address_number=address.number,
        document_numbers=documents,
        document_first=documents[0] if documents else None,
        document_second=documents[-1] if documents and len(documents) > 1 else None,
        names_swapped=swap_names,
    )


def _orientation_score(
    given: Counter[str], family: Counter[str], first: str, second: str, *, own: int
) -> float:
    """How much the file supports reading `first` as a given and `second` as a family name,
    not counting the `own` uses by the record itself."""
    return math.log1p(max(given[first] - own, 0)) + math.log1p(max(family[second] - own, 0))


def records_standardise(records: Sequence[RawRecord]) -> list[StandardRecord]:
    """Standardise a file of records, putting given and family names back in their places
    where an agency swapped them: a name that the file mostly holds as a surname is not a
    given name. The file's distinct names are standardised first, on every core of a large
    file (parallel.py); the records are then put together from them."""
    givens = sorted({record.given_name for record in records})
    families = sorted({record.family_name for record in records})
    given_fields_of = dict(zip(givens, mapped_on_all_cores(_given_fields, givens), strict=True))
    family_fields_of = dict(
        zip(families, mapped_on_all_cores(_family_fields, families), strict=True)
    )
    plain = [
        record_standardise(
            record, given_fields_of=given_fields_of, family_fields_of=family_fields_of
        )
        for record in records
    ]
    given_counts = Counter(rec.given_key for rec in plain if rec.given_key)
    family_counts = Counter(rec.family_stem for rec in plain if rec.family_stem)
    # The decision depends on the four keys alone, which repeat: each combination is weighed once.
    swap_of: dict[tuple[str, str, str, str], bool] = {}
    result = []
    for record, rec in zip(records, plain, strict=True):
        keys = (
            rec.given_key or "",
            rec.family_stem or "",
            rec.given_key_if_swapped or "",
            rec.family_stem_if_swapped or "",
        )
        swap = swap_of.get(keys)
        if swap is None:
            kept = _orientation_score(given_counts, family_counts, keys[0], keys[1], own=1)
            exchanged = _orientation_score(given_counts, family_counts, keys[2], keys[3], own=0)
            # A margin keeps names that are common in both roles (Tomas / Tomas) where they are.
            swap = swap_of[keys] = exchanged > kept + SWAP_MARGIN
        result.append(record_standardise(record, swap_names=True) if swap else rec)
    return result
