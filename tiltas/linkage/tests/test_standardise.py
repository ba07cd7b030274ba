import io

import pytest

from tiltas.linkage.engine.records_file import RecordsFileError, records_parse
from tiltas.linkage.engine.standardise import (
    PartialDate,
    RawRecord,
    family_name_key,
    family_name_stem,
    given_name_key,
    latin_fold,
    partial_date_parse,
    phonetic_key,
    records_standardise,
)

pytestmark = pytest.mark.nodb


def test_lithuanian_letters_and_their_ascii_fallbacks_fold_alike():
    assert latin_fold("Šiaulienė") == "siauliene"
    assert family_name_key("Šiaulienė") == family_name_key("Siauliene")
    assert family_name_key("Žukauskaitė") == family_name_key("Zhukauskaite")
    assert family_name_key("Čepulis") == family_name_key("Chepulis")


@pytest.mark.parametrize(
    "spellings",
    [
        # Юлія: Cyrillic, national 2010, ICAO, BGN/PCGN, ISO 9, Lithuanian, German renderings.
        ("Юлія", "Yuliia", "Iuliia", "Yuliya", "Ûlìâ", "Julija", "Julija"),
        ("Наталья", "Natalia", "Natal’ya", "Natal'ja", "NATALIA"),
        ("Сергій", "Serhii", "Serhij", "Sergii"),
    ],
)
def test_transliterations_of_one_cyrillic_given_name_share_a_key(spellings):
    assert len({given_name_key(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(
    "spellings",
    [
        ("Шевчук", "Shevchuk", "Ševčuk", "Ševčukas", "SHEVCHUK"),
        ("Щербаков", "Shcherbakov", "Ŝerbakov", "Ščerbakov"),
    ],
)
def test_transliterations_of_one_cyrillic_surname_share_a_stem(spellings):
    assert len({family_name_stem(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(
    ("ukrainian", "russian"),
    [("Oleksandr", "Aleksandr"), ("Олена", "Елена"), ("Olena", "Elena"), ("Andrii", "Andrei"),
     ("Mykola", "Nikolai"), ("Halyna", "Galina"), ("Андрій", "Andrejus")],
)  # fmt: skip
def test_ukrainian_and_russian_forms_of_a_given_name_compare_equal(ukrainian, russian):
    assert given_name_key(ukrainian) == given_name_key(russian)


def test_different_given_names_keep_different_keys():
    assert given_name_key("Olena") != given_name_key("Oleg")
    assert given_name_key("Jonas") != given_name_key("Tomas")
    assert given_name_key("Aleksandr") != given_name_key("Aleksandra")


@pytest.mark.parametrize(
    "forms",
    [
        ("Petrauskas", "Petrauskienė", "Petrauskaitė", "PETRAUSKAITE"),
        ("Stankevičius", "Stankevičienė", "Stankevičiūtė"),
        ("Jonaitis", "Jonaitienė", "Jonaitytė"),
        ("Ivanov", "Ivanova", "Иванова"),
        ("Єременко", "Yeremenko", "Ieremenko", "Eremenko", "Jeremenko"),
    ],
)
def test_gender_and_marital_surname_forms_share_a_stem(forms):
    assert len({family_name_stem(form) for form in forms}) == 1


def test_surname_key_keeps_the_gender_form_apart():
    assert family_name_key("Petrauskas") != family_name_key("Petrauskienė")
    assert family_name_stem("Petraitis") != family_name_stem("Petrauskas")


def test_phonetic_key_merges_voiced_and_unvoiced_consonants():
    assert phonetic_key("dobrovolskii") == phonetic_key("tobrofolski")
    assert phonetic_key("") == ""


def test_partial_dates_are_read_and_impossible_ones_refused():
    assert partial_date_parse("1990") == PartialDate(1990)
    assert partial_date_parse("1990-04") == PartialDate(1990, 4)
    assert partial_date_parse("1990-04-09") == PartialDate(1990, 4, 9)
    assert PartialDate(1990, 4, 9).iso == "1990-04-09"
    assert partial_date_parse("") is None
    for impossible in ("1945-04-93", "1990-13", "2001-02-30", "09/04/1990", "0001"):
        with pytest.raises(ValueError):
            partial_date_parse(impossible)


def test_swapped_given_and_family_names_are_put_back():
    records = [
        RawRecord(record_id=str(n), given_name="Rasa", family_name=f"Kazlauskaitė{n % 3}")
        for n in range(6)
    ] + [RawRecord(record_id="swapped", given_name="Petrauskaitė", family_name="RASA")]
    standard = {record.record_id: record for record in records_standardise(records)}
    assert standard["swapped"].names_swapped
    assert standard["swapped"].given_key == given_name_key("Rasa")
    assert standard["swapped"].family_stem == family_name_stem("Petrauskaitė")
    assert not standard["0"].names_swapped


def test_records_file_treats_bad_values_as_unknown_with_a_warning():
    text = (
        "record_id,source,given_name,family_name,date_of_birth,sex,citizenship\n"
        "a,police,Jonas,Jonaitis,1945-04-93,M,LTU\n"
        "b,ngo,,,,Q,LT\n"
    )
    parsed = records_parse(io.StringIO(text))
    assert [record.record_id for record in parsed.records] == ["a", "b"]
    assert parsed.records[0].date_of_birth is None
    assert parsed.records[1].sex == "" and parsed.records[1].citizenship == ""
    assert any(w.startswith("row 2: date_of_birth") for w in parsed.warnings)
    assert any(w.startswith("row 3: sex") for w in parsed.warnings)
    assert any(w.startswith("row 3: citizenship") for w in parsed.warnings)


def test_records_file_refuses_missing_and_duplicated_record_ids_naming_rows():
    text = (
        "record_id,source,given_name,family_name,date_of_birth,sex,citizenship\n"
        "a,police,Jonas,Jonaitis,,M,LTU\n"
        ",ngo,Rasa,,,,\n"
        "a,ngo,Rasa,,,,\n"
    )
    with pytest.raises(RecordsFileError) as caught:
        records_parse(io.StringIO(text))
    assert caught.value.problems == [
        "row 3: record_id is empty",
        "row 4: record_id 'a' already used in row 2",
    ]


def test_records_file_refuses_missing_columns():
    with pytest.raises(RecordsFileError, match="missing column"):
        records_parse(io.StringIO("record_id,given_name\n1,Jonas\n"))


def test_postcodes_keep_their_digits():
    standard = records_standardise(
        [
            RawRecord("a", postcode="LT-01103"),
            RawRecord("b", postcode="lt 01103"),
            RawRecord("c", postcode="LT-44280"),
            RawRecord("d", postcode="4223"),
            RawRecord("e", postcode=" - "),
        ]
    )
    assert [record.postcode for record in standard] == [
        "lt01103",
        "lt01103",
        "lt44280",
        "4223",
        None,
    ]


def test_records_file_reads_short_rows_and_skips_blank_lines():
    text = (
        "record_id,source,given_name,family_name,date_of_birth,sex,citizenship,locality\n"
        "r1,police,Rasa,Petrauskaitė\n"
        "\n"
        "r2,ngo,Jonas,Jonaitis,1980,M,LTU,Vilnius\n"
    )
    parsed = records_parse(io.StringIO(text))
    first, second = parsed.records
    assert (first.record_id, first.family_name, first.sex, first.date_of_birth) == (
        "r1",
        "Petrauskaitė",
        "",
        None,
    )
    assert second.locality == "Vilnius" and second.date_of_birth == PartialDate(1980)
    assert parsed.warnings == []
