"""The synthetic individuals of the demo country: the ground truth behind the records.

Names come from the pools in names.py; age, citizenship, languages, documents and the day of first
contact follow the shape of the field (most persons Lithuanian, many Ukrainian; about 15 %
children; more persons found every year).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tiltas.demo import names as pools
from tiltas.demo.names import FEMALE, MALE, GivenName, NameOrigin, OtherOrigin, Surname

YEARS_BACK = 3  # full calendar years before the current one, so year-over-year figures exist
CHILD_SHARE = 0.15
EARLIEST_BIRTH_YEAR = 1900
# More persons come to light every year (better screening), which year-over-year figures show.
YEAR_GROWTH = 0.1

SEX_WEIGHTS = ((FEMALE, 68.0), (MALE, 31.5), ("X", 0.5))


@dataclass(frozen=True)
class DemoIndividual:
    """The synthetic person behind the records: the ground truth."""

    person_id: str
    origin: str
    sex: str
    given: GivenName
    family_name: str
    # Other forms of a woman's surname that agencies record (the form before or after marriage,
    # the masculine form), most likely first; empty when the surname has one form.
    family_name_others: tuple[str, ...]
    date_of_birth: date
    citizenships: tuple[str, ...]
    languages: tuple[str, ...]
    document: str
    phone: str
    first_contact: date
    other_origin: OtherOrigin | None = None
    # The Russian form of a Ukrainian's surname, and its other forms.
    family_name_russian: str = ""
    family_name_russian_others: tuple[str, ...] = ()
    # Drawn after the rest from a stream of its own (see exploitation.py and generator.py).
    exploitation_forms: tuple[str, ...] = ()

    @property
    def is_child(self) -> bool:
        """Under 18 when first met."""
        return years_ago(self.first_contact, 18) < self.date_of_birth


def weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([value for value, _ in options], [weight for _, weight in options])[0]


def years_ago(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def first_contact_draw(rng: random.Random, today: date) -> date:
    """A day from 1 January three years back up to `today`, later years a little more likely."""
    first_year = today.year - YEARS_BACK
    spans = []
    for year in range(first_year, today.year + 1):
        start = date(year, 1, 1)
        end = today if year == today.year else date(year, 12, 31)
        weight = (1 + YEAR_GROWTH * (year - first_year)) * ((end - start).days + 1)
        spans.append((start, end, weight))
    start, end, _ = rng.choices(spans, [weight for _, _, weight in spans])[0]
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _age_draw(rng: random.Random, child: bool) -> int:
    if child:
        band = rng.random()
        if band < 0.6:
            return rng.randint(14, 17)
        if band < 0.9:
            return rng.randint(10, 13)
        return rng.randint(3, 9)
    return min(int(rng.triangular(18, 66, 24)), 65)


_DOCUMENT_LETTERS = "ABCEHKMOPTX"


def _document_draw(rng: random.Random, citizenship: str) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(9))
    letters = "".join(rng.choice(_DOCUMENT_LETTERS) for _ in range(2))
    if citizenship == "LTU":
        return digits[:8]
    if citizenship == "UKR":
        return letters + digits[:6]
    if citizenship == "RUS":
        return digits
    if citizenship == "BLR":
        return "MP" + digits[:7]
    return letters + digits[:7]


_PHONE_PREFIXES = {"LTU": "+370 6", "UKR": "+380 ", "RUS": "+7 9", "BLR": "+375 2"}


def _phone_draw(rng: random.Random, citizenship: str) -> str:
    prefix = _PHONE_PREFIXES.get(citizenship, "+44 7")
    digits = "".join(str(rng.randrange(10)) for _ in range(8))
    return f"{prefix}{digits[:2]} {digits[2:5]} {digits[5:]}"


def _citizenships_draw(rng: random.Random, origin: str, other: OtherOrigin | None) -> list[str]:
    roll = rng.random()
    if origin == NameOrigin.LITHUANIAN:
        if roll < 0.97:
            return ["LTU"]
        return ["LTU", rng.choice(("GBR", "IRL", "NOR"))]
    if origin == NameOrigin.UKRAINIAN:
        return ["UKR"] if roll < 0.96 else ["LTU"]
    if origin == NameOrigin.RUSSIAN:
        # Russian names belong to Russians, Belarusians and Lithuania's own Russian speakers.
        return [weighted(rng, (("RUS", 35), ("BLR", 30), ("LTU", 25), ("KAZ", 5), ("UKR", 5)))]
    if origin == NameOrigin.ENGLISH:
        return [weighted(rng, (("GBR", 50), ("IRL", 20), ("USA", 20), ("CAN", 10)))]
    if other is None:
        raise ValueError("origin: 'other' needs its group of names")
    return [other.citizenship]


def _languages_draw(
    rng: random.Random, origin: str, citizenships: list[str], other: OtherOrigin | None
) -> list[str]:
    if origin == NameOrigin.LITHUANIAN:
        languages = ["lt"]
        if rng.random() < 0.15:
            languages.append("ru")
        if rng.random() < 0.1:
            languages.append("en")
        return languages
    if origin == NameOrigin.UKRAINIAN:
        roll = rng.random()
        return ["uk", "ru"] if roll < 0.6 else (["uk"] if roll < 0.95 else ["ru"])
    if origin == NameOrigin.RUSSIAN:
        languages = ["ru"]
        if "LTU" in citizenships:
            languages.append("lt")
        if "BLR" in citizenships and rng.random() < 0.2:
            languages.append("be")
        return languages
    if origin == NameOrigin.ENGLISH:
        return ["en"]
    if other is None:
        raise ValueError("origin: 'other' needs its group of names")
    return list(other.languages)


def individual_draw(rng: random.Random, *, index: int, today: date) -> DemoIndividual:
    """One synthetic person of concern, first met between three years ago and `today`."""
    origin = weighted(rng, list(pools.ORIGIN_WEIGHTS.items()))
    sex = weighted(rng, SEX_WEIGHTS)
    name_sex = sex if sex in (FEMALE, MALE) else rng.choice((FEMALE, MALE))
    other: OtherOrigin | None = None
    surname: Surname | None = None
    # Surnames are drawn with realistic, long-tailed frequencies (names.py); so are the given
    # names of the main origins, those of the smaller origins uniformly.
    if origin == NameOrigin.OTHER:
        other = rng.choice(pools.OTHER_ORIGINS)
        given = rng.choice([name for name in other.given if name.sex == name_sex])
        surname = other.surnames.draw(rng)
    else:
        given = pools.GIVEN_NAME_POOLS[origin, name_sex].draw(rng)
        if origin == NameOrigin.LITHUANIAN:
            masculine = pools.LITHUANIAN_SURNAME_POOL.draw(rng)
        else:
            surname = pools.SURNAME_POOLS[origin].draw(rng)
    first_contact = first_contact_draw(rng, today)
    age = _age_draw(rng, child=rng.random() < CHILD_SHARE)
    family_name_others: tuple[str, ...] = ()
    family_name_russian, family_name_russian_others = "", family_name_others
    if surname is None:
        family_name, family_name_others = _lithuanian_surname_forms(
            rng, masculine, female=name_sex == FEMALE, adult_age=age
        )
    else:
        family_name, family_name_others = _surname_forms(
            surname.masculine, surname.feminine, female=name_sex == FEMALE
        )
        if surname.russian_masculine:
            family_name_russian, family_name_russian_others = _surname_forms(
                surname.russian_masculine, surname.russian_feminine, female=name_sex == FEMALE
            )
    latest_birth = years_ago(first_contact, age)
    date_of_birth = latest_birth - timedelta(days=rng.randrange(365))
    citizenships = _citizenships_draw(rng, origin, other)
    languages = _languages_draw(rng, origin, citizenships, other)
    # Many trafficked persons have had their documents taken away.
    document = _document_draw(rng, citizenships[0]) if rng.random() < 0.8 else ""
    phone = _phone_draw(rng, citizenships[0]) if rng.random() < 0.6 else ""
    return DemoIndividual(
        person_id=f"P{index + 1:07d}",
        origin=origin,
        sex=sex,
        given=given,
        family_name=family_name,
        family_name_others=family_name_others,
        date_of_birth=date_of_birth,
        citizenships=tuple(citizenships),
        languages=tuple(languages),
        document=document,
        phone=phone,
        first_contact=first_contact,
        other_origin=other,
        family_name_russian=family_name_russian,
        family_name_russian_others=family_name_russian_others,
    )


def _lithuanian_surname_forms(
    rng: random.Random, masculine: str, *, female: bool, adult_age: int
) -> tuple[str, tuple[str, ...]]:
    if not female:
        return masculine, ()
    married, unmarried = pools.lithuanian_feminine_forms(masculine)
    if adult_age >= 22 and rng.random() < 0.55:
        return married, (unmarried, masculine)
    return unmarried, (married, masculine)


def _surname_forms(masculine: str, feminine: str, *, female: bool) -> tuple[str, tuple[str, ...]]:
    if not female or feminine == masculine:
        return masculine, ()
    return feminine, (masculine,)
