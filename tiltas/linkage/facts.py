"""What the analytical apps may know of one linked record (no Django, no identity): its
distinct person, who recorded it and when, and the clear statistical fields. Linkage's selectors
produce these from a run; estimation builds its capture-history tables from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# A person is a child when the year of recording minus the birth year is under this (birth
# years in clear are exact or estimated years, never dates).
ADULT_AGE = 18


@dataclass(frozen=True)
class LinkedFact:
    distinct_person_id: str
    organisation: str
    organisation_type: str
    recorded_on: date
    sex: str = ""
    birth_year: int | None = None
    exploitation_forms: tuple[str, ...] = ()
