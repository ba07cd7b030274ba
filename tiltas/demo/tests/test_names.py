import random
from collections import Counter

import pytest

from tiltas.demo import names as pools
from tiltas.demo.names import (
    FEMALE,
    MALE,
    NameOrigin,
    lithuanian_feminine_forms,
    ranked_pool,
    ukrainian_feminine,
)

pytestmark = pytest.mark.nodb

_UKRAINIAN_ONLY_LETTERS = set("іїєґІЇЄҐ'")


def test_every_lithuanian_surname_has_its_feminine_forms():
    for masculine in pools.LITHUANIAN_SURNAMES_MASCULINE:
        married, unmarried = lithuanian_feminine_forms(masculine)
        assert married.endswith("ienė"), masculine
        assert unmarried.endswith(("aitė", "ytė", "utė", "ūtė")), masculine


def test_the_main_origins_have_a_few_hundred_surnames_and_many_given_names():
    assert len(pools.LITHUANIAN_SURNAME_POOL.listed.items) >= 250
    for origin in (NameOrigin.UKRAINIAN, NameOrigin.RUSSIAN):
        assert len(pools.SURNAME_POOLS[origin].listed.items) >= 200
    for origin in (NameOrigin.LITHUANIAN, NameOrigin.UKRAINIAN, NameOrigin.RUSSIAN):
        for sex in (FEMALE, MALE):
            assert len(pools.GIVEN_NAME_POOLS[origin, sex].items) >= 75


def test_russian_forms_of_ukrainian_names_are_written_in_russian_letters():
    for given in pools.UKRAINIAN_GIVEN:
        assert not _UKRAINIAN_ONLY_LETTERS & set(given.russian), given
    for surname in (*pools.UKRAINIAN_SURNAMES, *pools.SURNAME_POOLS[NameOrigin.UKRAINIAN].rare):
        assert not _UKRAINIAN_ONLY_LETTERS & set(surname.russian_masculine), surname


def test_ukrainian_possessive_surnames_take_a_for_women():
    assert ukrainian_feminine("Волошин") == "Волошина"
    assert ukrainian_feminine("Чорний") == "Чорна"
    assert ukrainian_feminine("Ковальчук") == "Ковальчук"


def test_a_pool_lists_a_name_once():
    with pytest.raises(ValueError, match="twice"):
        ranked_pool(["Jonas", "Tomas", "Jonas"], offset=5)


def test_listed_names_are_drawn_with_falling_weights():
    pool = pools.LITHUANIAN_SURNAME_POOL.listed
    rng = random.Random(1)
    counts = Counter(pool.draw(rng) for _ in range(100_000))
    first, two_hundredth = pool.items[0], pool.items[199]
    # Weights 1 / (rank + 20): the first about ten times the 200th.
    assert 7 < counts[first] / counts[two_hundredth] < 15
    assert len(counts) == len(pool.items)


def test_the_commonest_surname_has_its_real_share_and_the_rest_is_a_long_tail():
    pool = pools.LITHUANIAN_SURNAME_POOL
    rng = random.Random(2)
    draws = 400_000
    counts = Counter(pool.draw(rng) for _ in range(draws))
    # Kazlauskas: 0.37 % in 2014; 1,480 expected, a standard deviation of about 38.
    assert abs(counts["Kazlauskas"] - draws * 0.0037) < 5 * 38
    rare = set(pool.rare)
    assert len(rare) >= 45_000  # about 50,000 registered in Lithuania
    rare_drawn = sum(count for name, count in counts.items() if name in rare)
    assert 0.7 < rare_drawn / draws < 0.85  # about four in five people bear a rare surname
    assert max(counts[name] for name in rare) < counts[pool.listed.items[-1]] * 3


def test_rare_surnames_are_new_and_have_every_form():
    for origin, pool in pools.SURNAME_POOLS.items():
        listed = {surname.masculine.casefold() for surname in pool.listed.items}
        # Tens of thousands, so that a million records do not give a rare surname dozens of
        # bearers (names_formed.py).
        assert len(pool.rare) >= 10_000, origin
        assert len({surname.masculine for surname in pool.rare}) == len(pool.rare), origin
        assert not listed & {surname.masculine.casefold() for surname in pool.rare}, origin
    for masculine in pools.LITHUANIAN_SURNAME_POOL.rare:
        married, unmarried = lithuanian_feminine_forms(masculine)
        assert married.endswith("ienė"), masculine
        assert unmarried.endswith(("aitė", "ytė", "utė", "ūtė")), masculine
    russian = {s.masculine: s.feminine for s in pools.SURNAME_POOLS[NameOrigin.RUSSIAN].rare}
    assert russian["Тарасушкин"] == "Тарасушкина"
    assert russian["Климский"] == "Климская"
    ukrainian = {s.masculine: s for s in pools.SURNAME_POOLS[NameOrigin.UKRAINIAN].rare}
    assert ukrainian["Гнатів"].russian_masculine == "Гнатов"
    assert ukrainian["Гнатський"].feminine == "Гнатська"
    assert ukrainian["Бабиченко"].feminine == "Бабиченко"


def test_smaller_origins_have_enough_names_and_their_own_grammar():
    by_code = {origin.code: origin for origin in pools.OTHER_ORIGINS}

    def surnames(code):
        pool = by_code[code].surnames
        return (*pool.listed.items, *pool.rare)

    for origin in pools.OTHER_ORIGINS:
        assert len(surnames(origin.code)) >= 15, origin.code
        for sex in (FEMALE, MALE):
            given = [name.name for name in origin.given if name.sex == sex]
            assert len(given) >= 50 and len(set(given)) == len(given), origin.code
    # Apart from the Vietnamese, whose few surnames are borne by nearly everyone, a long tail of
    # rarer surnames: fifteen thousand people of one origin (a million-record demo file) do not
    # share a handful of names.
    for code in ("uz", "tg", "fil", "ng"):
        assert len(surnames(code)) >= 500, code
    assert not by_code["vi"].surnames.rare
    tajik = {surname.masculine: surname.feminine for surname in surnames("tg")}
    assert tajik["Rahmonov"] == "Rahmonova"
    assert tajik["Rahmonzoda"] == "Rahmonzoda"
    assert tajik["Sharifjonov"] == "Sharifjonova"
    uzbek = {surname.masculine for surname in surnames("uz")}
    assert {"Karimov", "Abdullayev", "Ulugbekov", "Tursunboyev", "Karimjonov"} <= uzbek
    nigerian = {surname.masculine for surname in surnames("ng")}
    assert {"Okafor", "Adeyemi", "Oluwaseun", "Chukwuemeka", "Obinna"} <= nigerian
    filipino = {surname.masculine for surname in surnames("fil")}
    assert {"Santos", "Dimaculangan", "Malakas"} <= filipino
    assert "Văn Hùng" in {name.name for name in by_code["vi"].given}
