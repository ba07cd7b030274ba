"""A small hand-made population for the Django-side linkage tests: 24 persons recorded once by
one of several organisations (the first three by the police), a few persons recorded by several
organisations in several scripts, and a record of a name alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tiltas.accounts.models import Organisation
from tiltas.audit.services import system_actor
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person
from tiltas.people.services import person_create

GIVEN = [
    "Jonas",
    "Petras",
    "Rūta",
    "Asta",
    "Ieva",
    "Mantas",
    "Darius",
    "Lina",
    "Agnė",
    "Tomas",
    "Marija",
    "Andrius",
    "Oksana",
    "Iryna",
    "Dmytro",
    "Serhii",
    "Natalia",
    "Viktor",
    "Yulia",
    "Maksym",
    "Anna",
    "Pavel",
    "Irina",
    "Sergei",
]
FAMILY = [
    "Kazlauskas",
    "Jankauskienė",
    "Petrauskaitė",
    "Stankevičius",
    "Vasiliauskas",
    "Žukauskas",
    "Butkus",
    "Paulauskienė",
    "Urbonas",
    "Kavaliauskas",
    "Melnyk",
    "Shevchenko",
    "Boyko",
    "Tkachenko",
    "Kravchenko",
    "Kovalchuk",
    "Oliynyk",
    "Ivanov",
    "Smirnova",
    "Kuznetsov",
    "Popova",
    "Sokolov",
    "Lebedeva",
    "Novikov",
]


def person_add(
    organisation_code: str,
    *,
    given_name: str = "",
    family_name: str = "",
    given_name_latin: str = "",
    family_name_latin: str = "",
    date_of_birth: date | None = None,
    birth_year: int | None = None,
    sex: str = "",
    citizenships: tuple[str, ...] = (),
    recorded_on: date | None = None,
    document_numbers: tuple[str, ...] = (),
) -> Person:
    owner = Organisation.objects.get(code=organisation_code)
    return person_create(
        actor=system_actor(organisation_code=owner.code, channel="cli"),
        owner=owner,
        data=PersonInput(
            given_name=given_name,
            family_name=family_name,
            given_name_latin=given_name_latin,
            family_name_latin=family_name_latin,
            date_of_birth=date_of_birth,
            birth_year=birth_year,
            sex=sex,
            citizenships=list(citizenships),
            recorded_on=recorded_on,
            document_numbers=list(document_numbers),
        ),
    )


@dataclass
class Population:
    # Olena Kovalenko: border guard (Cyrillic), NGO (Latin), police (day and month swapped).
    olena_border: Person
    olena_ngo: Person
    olena_police: Person
    # Ivan Bondar: labour inspectorate (Latin, with a date), border guard (Cyrillic, no date).
    ivan_labour: Person
    ivan_border: Person
    singles: list[Person]
    # A border guard's record of a name alone, Oksana Bojko: perhaps the police's Oksana Boyko
    # (one of the singles), perhaps not; the model leaves them apart, unsure (a review pair).
    oksana_name_only: Person


# The organisations that recorded the singles in turn, the police first: a person is recorded
# once, by whichever organisation met them.
SINGLES_RECORDED_BY = ("LT-LCPB", "LT-PD", "LT-SLI", "LT-CPS", "LT-MIGD")


def population_create() -> Population:
    singles = [
        person_add(
            SINGLES_RECORDED_BY[index % len(SINGLES_RECORDED_BY)] if index >= 3 else "LT-LCPB",
            given_name=given,
            family_name=family,
            date_of_birth=date(1970 + index, 1 + index % 12, 1 + index),
            sex="F" if given[-1] in "aė" else "M",
            citizenships=("LTU",),
            recorded_on=date(2025, 1 + index % 12, 10),
        )
        for index, (given, family) in enumerate(zip(GIVEN, FAMILY, strict=True))
    ]
    return Population(
        olena_border=person_add(
            "LT-SBGS",
            given_name="Олена",
            family_name="Коваленко",
            date_of_birth=date(1990, 3, 4),
            sex="F",
            citizenships=("UKR",),
            recorded_on=date(2025, 2, 1),
        ),
        olena_ngo=person_add(
            "LT-NGO-CARITAS",
            given_name="Olena",
            family_name="Kovalenko",
            date_of_birth=date(1990, 3, 4),
            sex="F",
            citizenships=("UKR",),
            recorded_on=date(2025, 3, 1),
        ),
        olena_police=person_add(
            "LT-LCPB",
            given_name="Olena",
            family_name="Kovalenko",
            date_of_birth=date(1990, 4, 3),
            sex="F",
            citizenships=("UKR",),
            recorded_on=date(2024, 12, 20),
        ),
        ivan_labour=person_add(
            "LT-SLI",
            given_name="Ivan",
            family_name="Bondar",
            date_of_birth=date(1979, 2, 2),
            sex="M",
            citizenships=("UKR",),
            recorded_on=date(2025, 6, 1),
        ),
        ivan_border=person_add(
            "LT-SBGS",
            given_name="Иван",
            family_name="Бондарь",
            sex="M",
            citizenships=("UKR",),
            recorded_on=date(2025, 6, 2),
        ),
        singles=singles,
        oksana_name_only=person_add(
            "LT-SBGS", given_name="Oksana", family_name="Bojko", recorded_on=date(2025, 5, 5)
        ),
    )
