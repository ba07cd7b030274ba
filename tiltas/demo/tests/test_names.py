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
    assert len(pools.LITHUANIAN_SURNAME_POOL.items) >= 250
    for origin in (NameOrigin.UKRAINIAN, NameOrigin.RUSSIAN):
        assert len(pools.SURNAME_POOLS[origin].items) >= 200
    for origin in (NameOrigin.LITHUANIAN, NameOrigin.UKRAINIAN, NameOrigin.RUSSIAN):
        for sex in (FEMALE, MALE):
            assert len(pools.GIVEN_NAME_POOLS[origin, sex].items) >= 75


def test_russian_forms_of_ukrainian_names_are_written_in_russian_letters():
    for given in pools.UKRAINIAN_GIVEN:
        assert not _UKRAINIAN_ONLY_LETTERS & set(given.russian), given
    for surname in pools.UKRAINIAN_SURNAMES:
        assert not _UKRAINIAN_ONLY_LETTERS & set(surname.russian_masculine), surname


def test_ukrainian_possessive_surnames_take_a_for_women():
    assert ukrainian_feminine("Волошин") == "Волошина"
    assert ukrainian_feminine("Чорний") == "Чорна"
    assert ukrainian_feminine("Ковальчук") == "Ковальчук"


def test_a_pool_lists_a_name_once():
    with pytest.raises(ValueError, match="twice"):
        ranked_pool(["Jonas", "Tomas", "Jonas"], offset=5)


def test_names_are_drawn_with_a_long_tail():
    pool = pools.LITHUANIAN_SURNAME_POOL
    rng = random.Random(1)
    counts = Counter(pool.draw(rng) for _ in range(100_000))
    first, two_hundredth = pool.items[0], pool.items[199]
    # Weights 1 / (rank + 20): the first about ten times the 200th.
    assert 7 < counts[first] / counts[two_hundredth] < 15
    assert len(counts) == len(pool.items)
