import pytest

from tiltas.demo.names import (
    RUSSIAN_GIVEN,
    UKRAINIAN_GIVEN,
    UKRAINIAN_SURNAMES,
    lithuanian_feminine_forms,
    russian_feminine,
)
from tiltas.demo.transliteration import System, applicable_system, transliterate
from tiltas.lib.names import name_skeleton

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    ("cyrillic", "system", "latin"),
    [
        # Ukrainian national system (2010): word-initial Є, Ї, Й, Ю, Я differ, зг -> zgh.
        ("Юлія", System.UKRAINIAN_NATIONAL, "Yuliia"),
        ("Сергій", System.UKRAINIAN_NATIONAL, "Serhii"),
        ("Євген", System.UKRAINIAN_NATIONAL, "Yevhen"),
        ("Дмитро", System.UKRAINIAN_NATIONAL, "Dmytro"),
        ("Згурський", System.UKRAINIAN_NATIONAL, "Zghurskyi"),
        ("Олійник", System.UKRAINIAN_NATIONAL, "Oliinyk"),
        # ICAO Doc 9303 for Ukrainian: Г -> H, И -> Y, Є -> IE everywhere.
        ("Євген", System.ICAO, "Ievhen"),
        ("Шевченко", System.ICAO, "Shevchenko"),
        # Lithuanian rendering: š, č, j; Ukrainian г -> h.
        ("Ковальчук", System.LITHUANIAN, "Kovalčuk"),
        ("Юлія", System.LITHUANIAN, "Julija"),
        ("Щербак", System.LITHUANIAN, "Ščerbak"),
        # ISO 9: one letter for one letter.
        ("Наталія", System.ISO9, "Natalìâ"),
        ("Шевченко", System.GERMAN, "Schewtschenko"),
    ],
)
def test_ukrainian_names_follow_each_system(cyrillic, system, latin):
    assert transliterate(cyrillic, system=system, language="uk") == latin


@pytest.mark.parametrize(
    ("cyrillic", "system", "latin"),
    [
        ("Юлия", System.ICAO, "Iuliia"),  # as in Russian passports since 2014
        ("Алексей", System.ICAO, "Aleksei"),
        ("Соловьёв", System.ICAO, "Solovev"),
        ("Наталья", System.BGN_PCGN, "Natal’ya"),
        ("Елена", System.BGN_PCGN, "Yelena"),
        ("Пётр", System.BGN_PCGN, "Pëtr"),
        ("Щербаков", System.ISO9, "Ŝerbakov"),
        ("Юлия", System.LITHUANIAN, "Julija"),
        ("Татьяна", System.LITHUANIAN, "Tatjana"),
        ("Людмила", System.LITHUANIAN, "Liudmila"),
        ("Горбачёв", System.LITHUANIAN, "Gorbačiov"),
        ("Жуков", System.GERMAN, "Schukow"),
        ("Горбачёв", System.GERMAN, "Gorbatschow"),
        ("Дмитрий", System.GERMAN, "Dmitri"),
        ("Василий", System.GERMAN, "Wassili"),
        ("Александр", System.GERMAN, "Alexandr"),
    ],
)
def test_russian_names_follow_each_system(cyrillic, system, latin):
    assert transliterate(cyrillic, system=system, language="ru") == latin


def test_case_pattern_and_separators_are_kept():
    assert transliterate("ЮЛИЯ", system=System.ICAO, language="ru") == "IULIIA"
    assert transliterate("Анна-Мария", system=System.BGN_PCGN, language="ru") == "Anna-Mariya"


def test_a_system_of_one_language_falls_back_to_the_passport_system_of_the_other():
    assert applicable_system(System.BGN_PCGN, "uk") == System.UKRAINIAN_NATIONAL
    assert applicable_system(System.UKRAINIAN_NATIONAL, "ru") == System.ICAO
    assert applicable_system(System.LITHUANIAN, "ru") == System.LITHUANIAN
    with pytest.raises(ValueError, match="system"):
        transliterate("Юлия", system=System.BGN_PCGN, language="uk")
    with pytest.raises(ValueError, match="language"):
        transliterate("Jonas", system=System.ICAO, language="lt")


def test_renderings_differ_but_meet_in_the_search_skeleton():
    # Different strings (that is the point of the demo), one key for people.selectors' search.
    renderings = {
        transliterate("Шевченко", system=system, language="uk")
        for system in (System.UKRAINIAN_NATIONAL, System.ICAO, System.LITHUANIAN, System.ISO9)
    }
    assert len(renderings) == 2
    assert len({name_skeleton(value) for value in renderings}) == 1


@pytest.mark.parametrize(
    ("masculine", "married", "unmarried"),
    [
        ("Petrauskas", "Petrauskienė", "Petrauskaitė"),
        ("Jonaitis", "Jonaitienė", "Jonaitytė"),
        ("Vaitkus", "Vaitkuvienė", "Vaitkutė"),
        ("Stankevičius", "Stankevičienė", "Stankevičiūtė"),
        ("Kairys", "Kairienė", "Kairytė"),
        ("Šiaulys", "Šiaulienė", "Šiaulytė"),
        ("Mažeika", "Mažeikienė", "Mažeikaitė"),
    ],
)
def test_lithuanian_feminine_surnames(masculine, married, unmarried):
    assert lithuanian_feminine_forms(masculine) == (married, unmarried)


def test_slavic_feminine_surnames():
    assert russian_feminine("Иванов") == "Иванова"
    assert russian_feminine("Островский") == "Островская"
    assert russian_feminine("Толстой") == "Толстая"
    assert russian_feminine("Шевченко") == "Шевченко"
    savytskyi = next(s for s in UKRAINIAN_SURNAMES if s.masculine == "Савицький")
    assert (savytskyi.feminine, savytskyi.russian_feminine) == ("Савицька", "Савицкая")


def test_ukrainian_given_names_carry_their_russian_equivalents():
    pairs = {name.name: name.russian for name in UKRAINIAN_GIVEN}
    assert pairs["Олександр"] == "Александр"
    assert pairs["Олена"] == "Елена"
    assert pairs["Юлія"] == "Юлия"
    assert all(pairs.values())
    russian = {name.name for name in RUSSIAN_GIVEN}
    assert set(pairs.values()) <= russian
