"""What one organisation wrote about an individual: names in its script and transliteration,
dates, documents and status, with its habitual distortions (see variation.py)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from tiltas.demo.individuals import EARLIEST_BIRTH_YEAR, DemoIndividual, weighted
from tiltas.demo.names import NameOrigin
from tiltas.demo.transliteration import RUSSIAN, UKRAINIAN, System, applicable_system
from tiltas.demo.transliteration import transliterate as _transliterate
from tiltas.demo.variation import (
    FAMILY_NAME_FIRST_SWAP_FACTOR,
    FEMININE_FORM_RATE,
    MAX_PROBABILITY,
    VARIATION_ORDER,
    AgencyHabits,
    Variation,
    date_error_make,
    day_month_swap,
    diacritics_drop,
    habits_for,
    typo_make,
)
from tiltas.people.identity import PersonInput
from tiltas.people.models import VictimStatus

_POTENTIAL = VictimStatus.POTENTIAL.value
_PRESUMED = VictimStatus.PRESUMED.value
_IDENTIFIED = VictimStatus.IDENTIFIED.value
_NOT_IDENTIFIED = VictimStatus.NOT_IDENTIFIED.value
# NGOs and first responders record potential victims; the police (and prosecution and courts,
# which take over police cases) identify.
STATUS_WEIGHTS: dict[str, tuple[tuple[str, float], ...]] = {
    "police": ((_IDENTIFIED, 45), (_PRESUMED, 25), (_POTENTIAL, 20), (_NOT_IDENTIFIED, 10)),
    "prosecution": ((_IDENTIFIED, 80), (_PRESUMED, 15), (_NOT_IDENTIFIED, 5)),
    "court": ((_IDENTIFIED, 90), (_NOT_IDENTIFIED, 10)),
    "border_guard": ((_POTENTIAL, 65), (_PRESUMED, 30), (_NOT_IDENTIFIED, 5)),
    "migration": ((_POTENTIAL, 70), (_PRESUMED, 25), (_NOT_IDENTIFIED, 5)),
    "labour_inspectorate": ((_POTENTIAL, 70), (_PRESUMED, 25), (_NOT_IDENTIFIED, 5)),
}
DEFAULT_STATUS_WEIGHTS = ((_POTENTIAL, 85), (_PRESUMED, 15))


@dataclass(frozen=True)
class DemoOrganisation:
    code: str
    type_code: str


@dataclass(frozen=True)
class DemoRecord:
    """One organisation's record of an individual, with how it was written."""

    person_id: str
    origin: str
    source: str
    data: PersonInput
    script: str = "latin"
    transliteration: str = ""
    variations: tuple[str, ...] = field(default_factory=tuple)
    # The individual's true forms of exploitation; the record's own (possibly none) are in data.
    exploitation_forms: tuple[str, ...] = ()


@dataclass
class _Names:
    given: str
    family: str
    given_latin: str = ""
    family_latin: str = ""
    script: str = "latin"
    transliteration: str = ""

    def latin_fields(self) -> list[str]:
        fields = ["given_latin", "family_latin"]
        if self.script == "latin":
            fields += ["given", "family"]
        return fields


def _family_name_form(
    rng: random.Random, individual: DemoIndividual, russian_form: bool, tags: list[str]
) -> str:
    if russian_form:
        usual, others = individual.family_name_russian, individual.family_name_russian_others
    else:
        usual, others = individual.family_name, individual.family_name_others
    if others and rng.random() < FEMININE_FORM_RATE:
        tags.append(Variation.FEMININE_FORM)
        # The most likely other form (e.g. the name before marriage) in 70 % of cases.
        return others[0] if len(others) == 1 or rng.random() < 0.7 else rng.choice(others[1:])
    return usual


def _names_render(
    rng: random.Random, individual: DemoIndividual, habits: AgencyHabits, tags: list[str]
) -> _Names:
    origin = individual.origin
    if origin not in (NameOrigin.UKRAINIAN, NameOrigin.RUSSIAN):
        return _Names(individual.given.name, _family_name_form(rng, individual, False, tags))
    russian_form = origin == NameOrigin.UKRAINIAN and rng.random() < habits.russian_form
    if russian_form:
        tags.append(Variation.RUSSIAN_FORM)
    given = individual.given.russian if russian_form else individual.given.name
    family = _family_name_form(rng, individual, russian_form, tags)
    language = RUSSIAN if russian_form or origin == NameOrigin.RUSSIAN else UKRAINIAN
    system = applicable_system(System(weighted(rng, habits.systems)), language)

    def latin(text: str) -> str:
        return _transliterate(text, system=system, language=language)

    if rng.random() < habits.cyrillic:
        names = _Names(given, family, script="cyrillic")
        if rng.random() < habits.latin_alongside:
            names.given_latin, names.family_latin = latin(given), latin(family)
            names.transliteration = system
        return names
    return _Names(latin(given), latin(family), transliteration=system)


def _names_distort(
    rng: random.Random,
    individual: DemoIndividual,
    habits: AgencyHabits,
    names: _Names,
    tags: list[str],
) -> None:
    if rng.random() < habits.diacritics_dropped:
        changed = False
        for name in names.latin_fields():
            value = getattr(names, name)
            plain = diacritics_drop(value)
            if plain != value:
                setattr(names, name, plain)
                changed = True
        if changed:
            tags.append(Variation.DIACRITICS_DROPPED)
    if rng.random() < habits.probability(Variation.TYPO):
        name = "family" if rng.random() < 0.6 else "given"
        value = getattr(names, name)
        mistyped = typo_make(rng, value)
        if mistyped != value:
            setattr(names, name, mistyped)
            tags.append(Variation.TYPO)
    swap = habits.probability(Variation.NAMES_SWAPPED)
    if individual.other_origin is not None and individual.other_origin.family_name_first:
        swap = min(swap * FAMILY_NAME_FIRST_SWAP_FACTOR, MAX_PROBABILITY)
    if rng.random() < swap:
        names.given, names.family = names.family, names.given
        names.given_latin, names.family_latin = names.family_latin, names.given_latin
        tags.append(Variation.NAMES_SWAPPED)
    if rng.random() < habits.upper_case:
        for name in names.latin_fields():
            setattr(names, name, getattr(names, name).upper())
        tags.append(Variation.UPPER_CASE)
    if rng.random() < habits.probability(Variation.MISSING_GIVEN_NAME):
        names.given = names.given_latin = ""
        tags.append(Variation.MISSING_GIVEN_NAME)


def _birth_render(
    rng: random.Random,
    individual: DemoIndividual,
    habits: AgencyHabits,
    recorded_on: date,
    tags: list[str],
) -> tuple[date | None, int | None, bool]:
    """(date of birth, birth year, estimated) as this agency recorded them."""
    true_date = individual.date_of_birth
    roll = rng.random()
    for variation in (
        Variation.MISSING_DATE_OF_BIRTH,
        Variation.BIRTH_YEAR_ONLY,
        Variation.AGE_ESTIMATED,
    ):
        chance = habits.probability(variation)
        if roll < chance:
            tags.append(variation)
            if variation == Variation.MISSING_DATE_OF_BIRTH:
                return None, None, False
            if variation == Variation.BIRTH_YEAR_ONLY:
                return None, true_date.year, False
            estimate = true_date.year + rng.randint(-3, 3)
            return None, max(EARLIEST_BIRTH_YEAR, min(estimate, recorded_on.year)), True
        roll -= chance
    if rng.random() < habits.probability(Variation.DAY_MONTH_SWAPPED):
        swapped = day_month_swap(true_date, latest=recorded_on)
        if swapped is not None:
            tags.append(Variation.DAY_MONTH_SWAPPED)
            return swapped, None, False
    if rng.random() < habits.probability(Variation.DATE_ERROR):
        wrong = date_error_make(
            rng, true_date, latest=recorded_on, earliest_year=EARLIEST_BIRTH_YEAR
        )
        if wrong != true_date:
            tags.append(Variation.DATE_ERROR)
            return wrong, None, False
    return true_date, None, False


def _document_render(rng: random.Random, document: str) -> str:
    """Agencies write one passport number with and without a space after its letters."""
    if document[:2].isalpha() and rng.random() < 0.3:
        return f"{document[:2]} {document[2:]}"
    if document.isdigit() and len(document) == 9 and rng.random() < 0.3:
        return f"{document[:2]} {document[2:]}"
    return document


def record_render(
    rng: random.Random,
    individual: DemoIndividual,
    organisation: DemoOrganisation,
    *,
    recorded_on: date,
    external_id: str,
    exploitation_known: bool = True,
) -> DemoRecord:
    """What `organisation` wrote about `individual` on `recorded_on`; `exploitation_known`:
    whether the record names the individual's forms of exploitation (drawn by the caller from a
    stream of its own, so that it does not shift this record's other draws)."""
    habits = habits_for(organisation.type_code)
    tags: list[str] = []
    names = _names_render(rng, individual, habits, tags)
    _names_distort(rng, individual, habits, names, tags)
    date_of_birth, birth_year, estimated = _birth_render(rng, individual, habits, recorded_on, tags)
    sex = individual.sex
    if rng.random() < habits.probability(Variation.MISSING_SEX):
        sex = ""
        tags.append(Variation.MISSING_SEX)
    citizenships = list(individual.citizenships)
    if rng.random() < habits.probability(Variation.MISSING_CITIZENSHIP):
        citizenships = []
        tags.append(Variation.MISSING_CITIZENSHIP)
    languages = list(individual.languages)
    if rng.random() < habits.probability(Variation.MISSING_LANGUAGES):
        languages = []
        tags.append(Variation.MISSING_LANGUAGES)
    documents = []
    if individual.document and rng.random() < habits.documents:
        documents.append(_document_render(rng, individual.document))
    contacts = individual.phone if individual.phone and rng.random() < habits.contacts else ""
    status = weighted(rng, STATUS_WEIGHTS.get(organisation.type_code, DEFAULT_STATUS_WEIGHTS))
    exploitation_forms = list(individual.exploitation_forms) if exploitation_known else []
    if individual.exploitation_forms and not exploitation_known:
        tags.append(Variation.MISSING_EXPLOITATION_FORMS)
    data = PersonInput(
        given_name=names.given,
        family_name=names.family,
        given_name_latin=names.given_latin,
        family_name_latin=names.family_latin,
        sex=sex,
        status=status,
        date_of_birth=date_of_birth,
        birth_year=birth_year,
        birth_year_estimated=estimated,
        citizenships=citizenships,
        languages=languages,
        exploitation_forms=exploitation_forms,
        contacts=contacts,
        document_numbers=documents,
        external_id=external_id,
        recorded_on=recorded_on,
    )
    return DemoRecord(
        person_id=individual.person_id,
        origin=individual.origin,
        source=organisation.code,
        data=data,
        script=names.script,
        transliteration=names.transliteration,
        variations=tuple(sorted(set(tags), key=lambda tag: VARIATION_ORDER[Variation(tag)])),
        exploitation_forms=individual.exploitation_forms,
    )
