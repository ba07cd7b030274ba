"""The generator alone (no database): reproducibility, realism and validity of the records."""

import random
from collections import Counter
from datetime import date

import pytest

from tiltas.demo.generator import CaseNumbers, demo_records
from tiltas.demo.records import DemoOrganisation
from tiltas.demo.variation import (
    Variation,
    date_error_make,
    day_month_swap,
    diacritics_drop,
    typo_make,
)
from tiltas.people.identity import person_input_errors
from tiltas.people.models import ExploitationForm

pytestmark = pytest.mark.nodb

TODAY = date(2026, 6, 30)
# The organisations of the Lithuanian profile that record persons.
ORGANISATIONS = [
    DemoOrganisation(code, type_code)
    for code, type_code in (
        ("LT-CPS", "child_protection"),
        ("LT-CSAC", "shelter"),
        ("LT-GPO", "prosecution"),
        ("LT-HOTLINE", "hotline"),
        ("LT-LCPB", "police"),
        ("LT-MIGD", "migration"),
        ("LT-NGO-CARITAS", "ngo_service_provider"),
        ("LT-NGO-MPFSC", "ngo_service_provider"),
        ("LT-PD", "police"),
        ("LT-RRC", "shelter"),
        ("LT-SBGS", "border_guard"),
        ("LT-SLI", "labour_inspectorate"),
        ("LT-VAT", "court"),
        ("LT-VAVPK", "police"),
        ("LT-VMSA", "municipal_social_services"),
    )
]


def _people(persons=3000, seed=1, organisations=ORGANISATIONS, today=TODAY):
    return list(demo_records(seed=seed, persons=persons, organisations=organisations, today=today))


@pytest.fixture(scope="module")
def people():
    return _people()


@pytest.fixture(scope="module")
def records(people):
    return [record for person in people for record in person]


def test_same_seed_gives_the_same_records_and_another_seed_others():
    first, again, other = _people(300), _people(300), _people(300, seed=2)
    assert first == again
    assert first != other


def test_an_individual_does_not_depend_on_how_many_persons_are_asked_for(people):
    assert _people(200) == people[:200]


def test_about_thirty_percent_of_persons_are_recorded_by_two_or_more_organisations(people):
    share = sum(len(person) >= 2 for person in people) / len(people)
    assert 0.25 <= share <= 0.35
    for person in people:
        sources = [record.source for record in person]
        assert len(sources) == len(set(sources)), "one organisation records a person once"


def test_every_variation_kind_occurs(records):
    seen = Counter(tag for record in records for tag in record.variations)
    missing = [variation for variation in Variation if seen[variation] == 0]
    assert missing == []


def test_cyrillic_names_and_several_transliterations_exist(records):
    cyrillic = [r for r in records if r.script == "cyrillic"]
    assert cyrillic
    assert any("\u0400" <= char <= "\u04ff" for char in cyrillic[0].data.family_name)
    systems = {r.transliteration for r in records if r.transliteration}
    assert systems >= {"ukrainian_national", "icao", "lithuanian", "bgn_pcgn", "german"}


def test_ukrainians_are_sometimes_recorded_under_the_russian_form(records):
    russian_forms = [r for r in records if Variation.RUSSIAN_FORM in r.variations]
    assert russian_forms
    assert {r.origin for r in russian_forms} == {"uk"}


def test_name_origins_and_citizenships_look_like_the_field(people):
    origins = Counter(person[0].origin for person in people)
    assert set(origins) == {"lt", "uk", "ru", "en", "other"}
    assert origins.most_common(1)[0][0] == "lt"
    citizenships = Counter(code for person in people for code in person[0].data.citizenships[:1])
    assert citizenships.most_common(1)[0][0] == "LTU"
    assert {"UKR", "RUS", "BLR"} <= set(citizenships)


def test_records_cover_three_previous_years_and_the_current_year_to_date(records):
    years = Counter(r.data.recorded_on.year for r in records)
    assert set(years) == {2023, 2024, 2025, 2026}
    assert max(r.data.recorded_on for r in records) <= TODAY


def test_about_fifteen_percent_are_children(people):
    def is_child(record):
        born = record.data.date_of_birth
        return born is not None and (record.data.recorded_on - born).days < 18 * 365.25

    first_records = [person[0] for person in people if person[0].data.date_of_birth]
    share = sum(is_child(r) for r in first_records) / len(first_records)
    assert 0.10 <= share <= 0.20


def test_ngos_record_most_persons_and_police_identify(records):
    by_type = Counter(r.source for r in records)
    ngo = by_type["LT-NGO-CARITAS"] + by_type["LT-NGO-MPFSC"]
    police = by_type["LT-LCPB"] + by_type["LT-PD"] + by_type["LT-VAVPK"]
    assert ngo > police > by_type["LT-VAT"]
    identified = Counter(r.source for r in records if r.data.status == "identified")
    ngo_identified = identified["LT-NGO-CARITAS"] + identified["LT-NGO-MPFSC"]
    assert ngo_identified == 0
    assert identified["LT-LCPB"] > 0


def test_every_record_passes_the_person_validation(records):
    problems = [
        (r.person_id, r.source, errors)
        for r in records
        if (errors := person_input_errors(r.data, today=TODAY))
    ]
    assert problems == []


def test_an_individuals_records_name_all_of_its_forms_of_exploitation_or_none(people):
    for person in people:
        truth = person[0].exploitation_forms
        assert 1 <= len(truth) <= 2
        assert set(truth) <= set(ExploitationForm.values)
        for record in person:
            assert record.exploitation_forms == truth
            assert record.data.exploitation_forms in ([], list(truth))
            missing = Variation.MISSING_EXPLOITATION_FORMS in record.variations
            assert missing == (record.data.exploitation_forms == [])
    several = sum(len(person[0].exploitation_forms) == 2 for person in people) / len(people)
    assert 0.08 <= several <= 0.16


def test_first_responders_often_do_not_know_the_form_and_the_police_nearly_always_do(records):
    def unknown_share(sources):
        chosen = [r for r in records if r.source in sources]
        return sum(not r.data.exploitation_forms for r in chosen) / len(chosen)

    assert unknown_share({"LT-HOTLINE", "LT-SBGS"}) > 0.5
    assert unknown_share({"LT-LCPB", "LT-PD", "LT-VAVPK"}) < 0.2
    assert unknown_share({"LT-VAT", "LT-GPO"}) < 0.1
    assert 0.2 <= unknown_share({r.source for r in records}) <= 0.4


def test_forms_of_exploitation_follow_the_field(people):
    def most_common(sex):
        forms = Counter(
            form
            for person in people
            if person[0].data.sex == sex
            for form in person[0].exploitation_forms
        )
        return [form for form, _ in forms.most_common(2)]

    assert most_common("F") == ["sexual", "labour"]
    assert most_common("M") == ["labour", "criminal"]
    every = Counter(form for person in people for form in person[0].exploitation_forms)
    assert set(every) == set(ExploitationForm.values)


def test_external_ids_are_unique_and_reveal_no_order():
    numbers = CaseNumbers(seed=1)
    made = [numbers.make(serial, 2025) for serial in range(1, 20_001)]
    assert len(set(made)) == len(made)
    assert sorted(made) != made


def test_an_organisation_list_without_recording_types_is_refused():
    with pytest.raises(ValueError, match="organisations"):
        next(demo_records(seed=1, persons=1, organisations=[], today=TODAY))


def test_a_single_organisation_still_works():
    people = _people(50, organisations=[DemoOrganisation("X-NGO", "unknown_type")])
    assert all(len(person) == 1 for person in people)


def test_diacritics_are_dropped_from_latin_letters_only():
    assert diacritics_drop("Šiaulienė") == "Siauliene"
    assert diacritics_drop("Nguyễn Đức") == "Nguyen Duc"
    assert diacritics_drop("Андрій") == "Андрій"


def test_a_typo_changes_one_letter_and_keeps_the_first():
    rng = random.Random(5)
    for _ in range(200):
        mistyped = typo_make(rng, "Petrauskienė")
        assert mistyped != "Petrauskienė"
        assert mistyped[0] == "P"
        assert abs(len(mistyped) - len("Petrauskienė")) <= 1


def test_date_errors_stay_real_and_not_in_the_future():
    assert day_month_swap(date(1990, 4, 3), latest=TODAY) == date(1990, 3, 4)
    assert day_month_swap(date(1990, 4, 13), latest=TODAY) is None
    assert day_month_swap(date(1990, 4, 4), latest=TODAY) is None
    assert day_month_swap(date(2026, 3, 9), latest=TODAY) is None  # 3 September is ahead
    rng = random.Random(1)
    for _ in range(200):
        wrong = date_error_make(rng, date(2026, 6, 29), latest=TODAY, earliest_year=1900)
        assert wrong != date(2026, 6, 29)
        assert wrong <= TODAY
