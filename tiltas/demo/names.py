"""Name pools of the demo country, per name origin, with the grammar of each language's surnames.

Lithuanian women's surnames are derived from the masculine form: married -ienė (Petrauskas ->
Petrauskienė, Vaitkus -> Vaitkuvienė), unmarried -aitė/-ytė/-utė/-ūtė (Petrauskaitė, Jonaitytė,
Vaitkutė, Stankevičiūtė). Ukrainian names carry their Russian equivalents (Олександр/Александр,
Олена/Елена), because Ukrainians are often recorded under the Russian form of their name.

The common names, most common first, are in names_lithuanian.py, names_slavic.py and
names_english.py, the rare surnames in names_formed.py, the smaller origins' names in
names_other.py; here they are drawn with long-tailed frequencies (RankedPool, SurnamePool).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Generic, TypeVar

from tiltas.demo import names_english as english
from tiltas.demo import names_formed as formed
from tiltas.demo import names_lithuanian as lithuanian
from tiltas.demo import names_other as other
from tiltas.demo import names_slavic as slavic

T = TypeVar("T")

FEMALE = "F"
MALE = "M"


class NameOrigin:
    LITHUANIAN = "lt"
    UKRAINIAN = "uk"
    RUSSIAN = "ru"
    ENGLISH = "en"
    OTHER = "other"


NAME_ORIGINS = (
    NameOrigin.LITHUANIAN,
    NameOrigin.UKRAINIAN,
    NameOrigin.RUSSIAN,
    NameOrigin.ENGLISH,
    NameOrigin.OTHER,
)


@dataclass(frozen=True)
class GivenName:
    """A given name; `russian` is its Russian equivalent when the name is Ukrainian."""

    name: str
    sex: str
    russian: str = ""


@dataclass(frozen=True)
class Surname:
    """A surname in its masculine and feminine forms (equal when the name does not change)."""

    masculine: str
    feminine: str
    russian_masculine: str = ""
    russian_feminine: str = ""


# --- Frequencies ----------------------------------------------------------------------------------

# Real name frequencies have long tails: a few names are very common and most are rare. The pools
# list names most common first, and a name of rank r (from 1) is drawn with a weight
# 1 / (r + offset), a Zipf-Mandelbrot law. This is an approximation of the shape, not fitted to
# official statistics: the offsets make the most common surname about ten times as frequent as
# the 200th, and the most common given name a few per cent of its sex, as in the field.
SURNAME_RANK_OFFSET = 20
GIVEN_NAME_RANK_OFFSET = 5
# Surnames are far more varied than given names: the commonest Lithuanian one, Kazlauskas, was
# borne by 0.37 % of the population in 2014 among about 50,000 registered surnames. A surname pool
# gives its commonest name that share, which fixes the share of all its listed names (about a
# fifth for the Lithuanian list); the rest of the people bear the rare surnames of names_formed.py,
# drawn uniformly. The same share is used for the other languages, whose surnames are at least as
# varied (only the Lithuanian figure is sourced).
COMMONEST_SURNAME_SHARE = 0.0037


@dataclass(frozen=True)
class RankedPool(Generic[T]):
    """Names most common first, drawn with weights falling with the rank."""

    items: tuple[T, ...]
    cumulative_weights: tuple[float, ...]

    def draw(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cumulative_weights)[0]

    def share_of_first(self) -> float:
        return self.cumulative_weights[0] / self.cumulative_weights[-1]


def ranked_pool(items: Sequence[T], offset: int) -> RankedPool[T]:
    """A pool drawing the name of rank r (from 1) with weight 1 / (r + offset)."""
    if len(set(items)) != len(items):
        raise ValueError("a name pool lists a name twice")
    weights = [1 / (rank + offset) for rank in range(1, len(items) + 1)]
    return RankedPool(tuple(items), tuple(accumulate(weights)))


@dataclass(frozen=True)
class SurnamePool(Generic[T]):
    """The listed common surnames, ranked, and the long tail of rare ones, drawn uniformly."""

    listed: RankedPool[T]
    rare: tuple[T, ...]
    listed_share: float

    def draw(self, rng: random.Random) -> T:
        if rng.random() < self.listed_share:
            return self.listed.draw(rng)
        return rng.choice(self.rare)


def surname_pool(listed: Sequence[T], rare: Sequence[T]) -> SurnamePool[T]:
    """A pool whose commonest surname is borne by COMMONEST_SURNAME_SHARE of the people."""
    if set(listed) & set(rare):
        raise ValueError("a rare surname is listed as a common one")
    ranked = ranked_pool(listed, SURNAME_RANK_OFFSET)
    share = min(COMMONEST_SURNAME_SHARE / ranked.share_of_first(), 1.0)
    return SurnamePool(ranked, tuple(rare), share)


# --- Lithuanian -------------------------------------------------------------------------------

LITHUANIAN_MALE = lithuanian.MALE
LITHUANIAN_FEMALE = lithuanian.FEMALE
LITHUANIAN_SURNAMES_MASCULINE = lithuanian.SURNAMES_MASCULINE


def lithuanian_feminine_forms(masculine: str) -> tuple[str, str]:
    """(married, unmarried) forms of a Lithuanian masculine surname."""
    for ending, stem_cut, married, unmarried in (
        ("ius", 3, "ienė", "iūtė"),
        ("us", 2, "uvienė", "utė"),
        ("as", 2, "ienė", "aitė"),
        ("is", 2, "ienė", "ytė"),
        ("ys", 2, "ienė", "ytė"),
        ("a", 1, "ienė", "aitė"),
        ("ė", 1, "ienė", "aitė"),
    ):
        if masculine.endswith(ending):
            stem = masculine[:-stem_cut]
            return stem + married, stem + unmarried
    return masculine, masculine


# --- Ukrainian (with Russian equivalents) -------------------------------------------------------


def _ukrainian_given(spec: str, sex: str) -> GivenName:
    ukrainian, _, russian = spec.partition("|")
    return GivenName(ukrainian, sex, russian or ukrainian)


UKRAINIAN_GIVEN: tuple[GivenName, ...] = (
    *(_ukrainian_given(spec, MALE) for spec in slavic.UKRAINIAN_MALE),
    *(_ukrainian_given(spec, FEMALE) for spec in slavic.UKRAINIAN_FEMALE),
)


def ukrainian_feminine(masculine: str) -> str:
    """The feminine form of a Ukrainian surname: adjectival -ий -> -а, -ов/-ев/-єв/-ин -> +а,
    others (-енко, -ук, -ник, -ів) unchanged."""
    if masculine.endswith("ий"):
        return masculine[:-2] + "а"
    if masculine.endswith(("ов", "ев", "єв", "ин")):
        return masculine + "а"
    return masculine


def russian_feminine(masculine: str) -> str:
    """The feminine form of a Russian surname: -ов/-ев/-ин -> +а, -ий/-ый/-ой -> -ая."""
    if masculine.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return masculine + "а"
    if masculine.endswith(("ий", "ый", "ой")):
        return masculine[:-2] + "ая"
    return masculine


def _ukrainian_surname(spec: str) -> Surname:
    ukrainian, _, russian = spec.partition("|")
    russian = russian or ukrainian
    return Surname(
        masculine=ukrainian,
        feminine=ukrainian_feminine(ukrainian),
        russian_masculine=russian,
        russian_feminine=russian_feminine(russian),
    )


UKRAINIAN_SURNAMES = tuple(_ukrainian_surname(spec) for spec in slavic.UKRAINIAN_SURNAMES)

# --- Russian ------------------------------------------------------------------------------------


def _russian_given(names: Sequence[str], sex: str) -> tuple[GivenName, ...]:
    # The Russian forms of Ukrainian names are Russian names too: those the Russian pool lacks
    # (Роксолана, Марьян) come last, the rarest.
    russian_forms = (name.russian for name in UKRAINIAN_GIVEN if name.sex == sex)
    return tuple(GivenName(name, sex) for name in dict.fromkeys((*names, *russian_forms)))


RUSSIAN_GIVEN: tuple[GivenName, ...] = (
    *_russian_given(slavic.RUSSIAN_MALE, MALE),
    *_russian_given(slavic.RUSSIAN_FEMALE, FEMALE),
)
RUSSIAN_SURNAMES = tuple(
    Surname(masculine=name, feminine=russian_feminine(name)) for name in slavic.RUSSIAN_SURNAMES
)

# --- English ------------------------------------------------------------------------------------

ENGLISH_GIVEN: tuple[GivenName, ...] = (
    *(GivenName(name, MALE) for name in english.MALE),
    *(GivenName(name, FEMALE) for name in english.FEMALE),
)
ENGLISH_SURNAMES = tuple(Surname(name, name) for name in english.SURNAMES)

# --- Other origins met in the field: labour migrants and people trafficked through Lithuania ------


@dataclass(frozen=True)
class OtherOrigin:
    """A group of names with the citizenship and languages that usually go with them."""

    code: str
    citizenship: str
    languages: tuple[str, ...]
    given: tuple[GivenName, ...]
    surnames: SurnamePool[Surname]
    family_name_first: bool = False


def uniform_pool(items: Sequence[T]) -> SurnamePool[T]:
    """A pool drawing each of `items` equally often, without a tail (the Vietnamese surnames:
    a few names borne by nearly everyone)."""
    listed = RankedPool(tuple(items), tuple(accumulate([1.0] * len(items))))
    return SurnamePool(listed, (), 1.0)


def _latin_slavic_surnames(*names: str) -> tuple[Surname, ...]:
    # Karimov -> Karimova; Rahmonzoda is the same for women.
    return tuple(
        Surname(name, name + "a" if name.endswith(("ov", "ev")) else name) for name in names
    )


def _given(male: tuple[str, ...], female: tuple[str, ...]) -> tuple[GivenName, ...]:
    return tuple(GivenName(n, MALE) for n in male) + tuple(GivenName(n, FEMALE) for n in female)


def _central_asian_surnames(male: tuple[str, ...], *, tajik: bool) -> SurnamePool[Surname]:
    listed = other.patronymic_surnames(male, tajik=tajik)
    return surname_pool(
        _latin_slavic_surnames(*listed),
        _latin_slavic_surnames(*other.central_asian_formed(male, listed, tajik=tajik)),
    )


def _unchanging_surnames(listed: Sequence[str], formed: Sequence[str]) -> SurnamePool[Surname]:
    # Filipino and Nigerian surnames are the same for women.
    return surname_pool(
        [Surname(name, name) for name in listed], [Surname(name, name) for name in formed]
    )


OTHER_ORIGINS = (
    OtherOrigin(
        "uz",
        "UZB",
        ("uz", "ru"),
        _given(other.UZBEK_MALE, other.UZBEK_FEMALE),
        _central_asian_surnames(other.UZBEK_MALE, tajik=False),
    ),
    OtherOrigin(
        "tg",
        "TJK",
        ("tg", "ru"),
        _given(other.TAJIK_MALE, other.TAJIK_FEMALE),
        _central_asian_surnames(other.TAJIK_MALE, tajik=True),
    ),
    OtherOrigin(
        "vi",
        "VNM",
        ("vi",),
        _given(
            other.vietnamese_given(other.VIETNAMESE_MIDDLE_MALE, other.VIETNAMESE_MALE),
            other.vietnamese_given(other.VIETNAMESE_MIDDLE_FEMALE, other.VIETNAMESE_FEMALE),
        ),
        uniform_pool([Surname(name, name) for name in other.VIETNAMESE_SURNAMES]),
        family_name_first=True,
    ),
    OtherOrigin(
        "fil",
        "PHL",
        ("fil", "en"),
        _given(other.FILIPINO_MALE, other.FILIPINO_FEMALE),
        _unchanging_surnames(
            other.FILIPINO_SURNAMES, other.filipino_formed(other.FILIPINO_SURNAMES)
        ),
    ),
    OtherOrigin(
        "ng",
        "NGA",
        ("en", "yo"),
        _given(other.NIGERIAN_MALE, other.NIGERIAN_FEMALE),
        _unchanging_surnames(
            other.NIGERIAN_SURNAMES, other.nigerian_formed(other.NIGERIAN_SURNAMES)
        ),
    ),
)

# How often each origin is met among persons of concern in the demo country.
ORIGIN_WEIGHTS = {
    NameOrigin.LITHUANIAN: 55,
    NameOrigin.UKRAINIAN: 18,
    NameOrigin.RUSSIAN: 12,
    NameOrigin.ENGLISH: 4,
    NameOrigin.OTHER: 11,
}


# --- Pools, per origin and sex -----------------------------------------------------------

LITHUANIAN_SURNAME_POOL = surname_pool(
    LITHUANIAN_SURNAMES_MASCULINE, formed.lithuanian_formed(LITHUANIAN_SURNAMES_MASCULINE)
)
GIVEN_NAME_POOLS: dict[tuple[str, str], RankedPool[GivenName]] = {
    (NameOrigin.LITHUANIAN, MALE): ranked_pool(
        [GivenName(name, MALE) for name in LITHUANIAN_MALE], GIVEN_NAME_RANK_OFFSET
    ),
    (NameOrigin.LITHUANIAN, FEMALE): ranked_pool(
        [GivenName(name, FEMALE) for name in LITHUANIAN_FEMALE], GIVEN_NAME_RANK_OFFSET
    ),
    **{
        (origin, sex): ranked_pool(
            [name for name in given if name.sex == sex], GIVEN_NAME_RANK_OFFSET
        )
        for origin, given in (
            (NameOrigin.UKRAINIAN, UKRAINIAN_GIVEN),
            (NameOrigin.RUSSIAN, RUSSIAN_GIVEN),
            (NameOrigin.ENGLISH, ENGLISH_GIVEN),
        )
        for sex in (MALE, FEMALE)
    },
}
SURNAME_POOLS: dict[str, SurnamePool[Surname]] = {
    NameOrigin.UKRAINIAN: surname_pool(
        UKRAINIAN_SURNAMES,
        [
            _ukrainian_surname(f"{ukrainian}|{russian}")
            for ukrainian, russian in formed.ukrainian_formed(
                [surname.masculine for surname in UKRAINIAN_SURNAMES],
                [name.name for name in UKRAINIAN_GIVEN if name.sex == MALE],
            )
        ],
    ),
    NameOrigin.RUSSIAN: surname_pool(
        RUSSIAN_SURNAMES,
        [
            Surname(masculine=name, feminine=russian_feminine(name))
            for name in formed.russian_formed(
                [surname.masculine for surname in RUSSIAN_SURNAMES],
                [name.name for name in RUSSIAN_GIVEN if name.sex == MALE],
            )
        ],
    ),
    NameOrigin.ENGLISH: surname_pool(
        ENGLISH_SURNAMES,
        [Surname(name, name) for name in formed.english_formed(english.SURNAMES)],
    ),
}
