"""How agencies distort what they record about one person, each distortion with its probability.

Every agency type has its own habits (which script and transliteration it writes, how often fields
are missing, how careful it is), so that the records of one person differ between agencies the way
they do in the field. The functions here are pure: the caller passes its seeded random generator.
"""

from __future__ import annotations

import calendar
import random
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tiltas.demo.transliteration import System


class Variation(StrEnum):
    """A distortion applied to one record (written to the ground truth, in this order)."""

    RUSSIAN_FORM = "russian_form"  # a Ukrainian recorded under the Russian form of the name
    DIACRITICS_DROPPED = "diacritics_dropped"  # Šiaulienė -> Siauliene
    FEMININE_FORM = "feminine_form"  # -ienė/-aitė exchanged, or the masculine form (Ivanov)
    TYPO = "typo"
    NAMES_SWAPPED = "names_swapped"  # given and family name in each other's field
    UPPER_CASE = "upper_case"  # copied from a passport: IULIIA IVANOVA
    DAY_MONTH_SWAPPED = "day_month_swapped"
    DATE_ERROR = "date_error"  # a wrong year, month or day
    BIRTH_YEAR_ONLY = "birth_year_only"
    AGE_ESTIMATED = "age_estimated"  # no date, a year estimated from the apparent age
    MISSING_DATE_OF_BIRTH = "missing_date_of_birth"
    MISSING_GIVEN_NAME = "missing_given_name"
    MISSING_SEX = "missing_sex"
    MISSING_CITIZENSHIP = "missing_citizenship"
    MISSING_LANGUAGES = "missing_languages"
    # The organisation did not know the form of exploitation yet (exploitation.py).
    MISSING_EXPLOITATION_FORMS = "missing_exploitation_forms"


VARIATION_ORDER = {variation: index for index, variation in enumerate(Variation)}

# Base probabilities per record, before an agency's care (errors) and completeness (gaps) scale
# them. Name-form variations (Russian form, diacritics, script) are agency habits, below.
ERROR_RATES = {
    Variation.TYPO: 0.07,
    Variation.NAMES_SWAPPED: 0.03,
    Variation.DAY_MONTH_SWAPPED: 0.04,
    Variation.DATE_ERROR: 0.03,
}
GAP_RATES = {
    Variation.MISSING_DATE_OF_BIRTH: 0.06,
    Variation.BIRTH_YEAR_ONLY: 0.04,
    Variation.AGE_ESTIMATED: 0.04,
    Variation.MISSING_GIVEN_NAME: 0.02,
    Variation.MISSING_SEX: 0.03,
    Variation.MISSING_CITIZENSHIP: 0.04,
    Variation.MISSING_LANGUAGES: 0.08,
}
# A woman's surname recorded in another form (marriage, divorce, a foreign system without
# feminine forms).
FEMININE_FORM_RATE = 0.18
# Vietnamese names are written family name first, so agencies swap them far more often.
FAMILY_NAME_FIRST_SWAP_FACTOR = 6.0
MAX_PROBABILITY = 0.9


@dataclass(frozen=True)
class AgencyHabits:
    """How one type of agency writes names and how complete and careful its records are."""

    cyrillic: float  # share of Ukrainian and Russian names written in Cyrillic
    latin_alongside: float  # of those, share with the Latin fields filled as well
    systems: tuple[tuple[System, float], ...]  # transliteration systems and their weights
    russian_form: float  # share of Ukrainians recorded under the Russian form of their name
    diacritics_dropped: float
    upper_case: float
    errors: float  # scales ERROR_RATES
    gaps: float  # scales GAP_RATES
    documents: float  # share of records with the person's identity document number
    contacts: float  # share of records with a phone number

    def probability(self, variation: Variation) -> float:
        if variation in ERROR_RATES:
            return min(ERROR_RATES[variation] * self.errors, MAX_PROBABILITY)
        return min(GAP_RATES[variation] * self.gaps, MAX_PROBABILITY)


_PASSPORTS = ((System.ICAO, 0.55), (System.UKRAINIAN_NATIONAL, 0.45))

# Keyed by organisation type code of the country profile; unknown types get DEFAULT_HABITS.
AGENCY_HABITS: dict[str, AgencyHabits] = {
    "police": AgencyHabits(
        cyrillic=0.2,
        latin_alongside=0.8,
        systems=((System.LITHUANIAN, 0.55), (System.ICAO, 0.3), (System.BGN_PCGN, 0.15)),
        russian_form=0.2,
        diacritics_dropped=0.06,
        upper_case=0.05,
        errors=1.0,
        gaps=0.6,
        documents=0.55,
        contacts=0.3,
    ),
    "prosecution": AgencyHabits(
        cyrillic=0.15,
        latin_alongside=1.0,
        systems=((System.LITHUANIAN, 0.6), (System.ICAO, 0.3), (System.ISO9, 0.1)),
        russian_form=0.1,
        diacritics_dropped=0.03,
        upper_case=0.02,
        errors=0.6,
        gaps=0.3,
        documents=0.7,
        contacts=0.1,
    ),
    "court": AgencyHabits(
        cyrillic=0.1,
        latin_alongside=1.0,
        systems=((System.LITHUANIAN, 0.6), (System.ICAO, 0.25), (System.ISO9, 0.15)),
        russian_form=0.08,
        diacritics_dropped=0.02,
        upper_case=0.02,
        errors=0.5,
        gaps=0.3,
        documents=0.6,
        contacts=0.0,
    ),
    "labour_inspectorate": AgencyHabits(
        cyrillic=0.05,
        latin_alongside=1.0,
        systems=(*_PASSPORTS, (System.LITHUANIAN, 0.4)),
        russian_form=0.1,
        diacritics_dropped=0.1,
        upper_case=0.1,
        errors=1.0,
        gaps=0.8,
        documents=0.6,
        contacts=0.2,
    ),
    "border_guard": AgencyHabits(
        cyrillic=0.05,
        latin_alongside=1.0,
        systems=_PASSPORTS,
        russian_form=0.05,
        diacritics_dropped=0.15,
        upper_case=0.4,
        errors=0.7,
        gaps=0.5,
        documents=0.85,
        contacts=0.05,
    ),
    "migration": AgencyHabits(
        cyrillic=0.1,
        latin_alongside=1.0,
        systems=_PASSPORTS,
        russian_form=0.05,
        diacritics_dropped=0.08,
        upper_case=0.25,
        errors=0.6,
        gaps=0.4,
        documents=0.9,
        contacts=0.2,
    ),
    "child_protection": AgencyHabits(
        cyrillic=0.15,
        latin_alongside=0.6,
        systems=((System.LITHUANIAN, 0.7), (System.ICAO, 0.3)),
        russian_form=0.15,
        diacritics_dropped=0.05,
        upper_case=0.02,
        errors=1.0,
        gaps=1.0,
        documents=0.3,
        contacts=0.3,
    ),
    "ngo_service_provider": AgencyHabits(
        cyrillic=0.6,
        latin_alongside=0.4,
        systems=(
            (System.LITHUANIAN, 0.5),
            (System.UKRAINIAN_NATIONAL, 0.2),
            (System.BGN_PCGN, 0.2),
            (System.GERMAN, 0.1),
        ),
        russian_form=0.25,
        diacritics_dropped=0.12,
        upper_case=0.0,
        errors=1.3,
        gaps=1.6,
        documents=0.15,
        contacts=0.5,
    ),
    "shelter": AgencyHabits(
        cyrillic=0.5,
        latin_alongside=0.3,
        systems=((System.LITHUANIAN, 0.6), (System.BGN_PCGN, 0.2), (System.GERMAN, 0.2)),
        russian_form=0.25,
        diacritics_dropped=0.1,
        upper_case=0.0,
        errors=1.2,
        gaps=1.4,
        documents=0.25,
        contacts=0.2,
    ),
    "hotline": AgencyHabits(
        cyrillic=0.3,
        latin_alongside=0.2,
        systems=((System.LITHUANIAN, 0.6), (System.BGN_PCGN, 0.3), (System.GERMAN, 0.1)),
        russian_form=0.35,
        diacritics_dropped=0.3,
        upper_case=0.0,
        errors=1.8,
        gaps=3.0,
        documents=0.03,
        contacts=0.7,
    ),
    "municipal_social_services": AgencyHabits(
        cyrillic=0.1,
        latin_alongside=0.7,
        systems=((System.LITHUANIAN, 0.7), (System.ICAO, 0.3)),
        russian_form=0.15,
        diacritics_dropped=0.08,
        upper_case=0.03,
        errors=1.1,
        gaps=1.2,
        documents=0.4,
        contacts=0.4,
    ),
}
DEFAULT_HABITS = AgencyHabits(
    cyrillic=0.2,
    latin_alongside=0.7,
    systems=((System.LITHUANIAN, 0.5), (System.ICAO, 0.5)),
    russian_form=0.15,
    diacritics_dropped=0.1,
    upper_case=0.05,
    errors=1.0,
    gaps=1.0,
    documents=0.4,
    contacts=0.3,
)


def habits_for(type_code: str) -> AgencyHabits:
    return AGENCY_HABITS.get(type_code, DEFAULT_HABITS)


# --- distortions --------------------------------------------------------------------------------

# Letters that do not decompose into a base letter and a diacritic.
_UNDECOMPOSABLE = {"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O"}


def diacritics_drop(text: str) -> str:
    """Latin letters without diacritics (Šiaulienė -> Siauliene, Nguyễn -> Nguyen); Cyrillic is
    left alone (й is not и with a breve to a Russian or Ukrainian reader)."""
    out = []
    for char in text:
        if char in _UNDECOMPOSABLE:
            out.append(_UNDECOMPOSABLE[char])
        elif char.isalpha() and "LATIN" in unicodedata.name(char, ""):
            decomposed = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
        elif unicodedata.combining(char):
            # A combining mark after a Latin letter (ISO 9 g̀) goes too.
            continue
        else:
            out.append(char)
    return "".join(out)


_LATIN_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_CYRILLIC_ROWS = ("йцукенгшщзхї", "фівапролджє", "ячсмитьбю")


def _neighbours(rows: tuple[str, ...]) -> dict[str, str]:
    result: dict[str, str] = {}
    for row in rows:
        for index, char in enumerate(row):
            result[char] = row[max(index - 1, 0) : index] + row[index + 1 : index + 2]
    return result


_NEIGHBOURS = {**_neighbours(_LATIN_ROWS), **_neighbours(_CYRILLIC_ROWS)}


def typo_make(rng: random.Random, text: str) -> str:
    """`text` with one slip of the keyboard: a neighbouring key, a dropped, doubled or swapped
    letter. Never empty, never the first letter (people rarely get that wrong)."""
    letters = [index for index, char in enumerate(text) if char.isalpha() and index > 0]
    if len(text) < 3 or not letters:
        return text
    for _attempt in range(4):
        index = rng.choice(letters)
        char = text[index]
        kind = rng.random()
        if kind < 0.4 and char.lower() in _NEIGHBOURS:
            replacement = rng.choice(_NEIGHBOURS[char.lower()])
            replacement = replacement.upper() if char.isupper() else replacement
            result = text[:index] + replacement + text[index + 1 :]
        elif kind < 0.65:
            result = text[:index] + text[index + 1 :]
        elif kind < 0.8:
            result = text[:index] + char + text[index:]
        elif index + 1 < len(text) and text[index + 1].isalpha():
            result = text[:index] + text[index + 1] + char + text[index + 2 :]
        else:
            result = text[:index] + text[index + 1 :]
        if result != text and result.strip():
            return result
    return text


def day_month_swap(value: date, *, latest: date) -> date | None:
    """The date with day and month exchanged (3 April read as 4 March), if that is a different,
    real date no later than `latest`."""
    if value.day > 12 or value.day == value.month:
        return None
    # Both numbers are at most 12, so the swapped date always exists.
    swapped = date(value.year, value.day, value.month)
    return None if swapped > latest else swapped


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def date_error_make(rng: random.Random, value: date, *, latest: date, earliest_year: int) -> date:
    """A plausible wrong date: a year off by one or by ten (a mistyped digit), a day off by one or
    a neighbouring month; always a real date between `earliest_year` and `latest`."""
    candidates = []
    for years in (-1, 1, -10, 10):
        year = value.year + years
        if year >= earliest_year:
            candidates.append(date(year, value.month, min(value.day, _days_in(year, value.month))))
    for days in (-1, 1):
        day = value.day + days
        if 1 <= day <= _days_in(value.year, value.month):
            candidates.append(value.replace(day=day))
    for months in (-1, 1):
        month = value.month + months
        if 1 <= month <= 12:
            candidates.append(date(value.year, month, min(value.day, _days_in(value.year, month))))
    plausible = [c for c in candidates if c != value and c <= latest]
    return rng.choice(plausible) if plausible else value
