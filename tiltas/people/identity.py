"""What a person record holds, as plain values, and its validation (shared by forms, the API and
imports so that every channel gives the same specific message for the same mistake)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import pycountry

from tiltas.lib.names import DOCUMENT_NUMBER_WRITTEN
from tiltas.people.models import ExploitationForm, Sex, VictimStatus

MAX_NAME_LENGTH = 200
MAX_NOTES_LENGTH = 20_000
EARLIEST_BIRTH_YEAR = 1900


@dataclass
class PersonInput:
    """Everything one can record about a person of concern."""

    given_name: str = ""
    family_name: str = ""
    given_name_latin: str = ""
    family_name_latin: str = ""
    sex: str = Sex.UNKNOWN
    status: str = VictimStatus.POTENTIAL
    date_of_birth: date | None = None
    birth_year: int | None = None
    birth_year_estimated: bool = False
    citizenships: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    exploitation_forms: list[str] = field(default_factory=list)
    contacts: str = ""
    document_numbers: list[str] = field(default_factory=list)
    notes: str = ""
    external_id: str | None = None
    recorded_on: date | None = None

    def identity(self) -> dict[str, Any]:
        """The identifying part, which is only ever stored encrypted."""
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "given_name_latin": self.given_name_latin,
            "family_name_latin": self.family_name_latin,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "contacts": self.contacts,
            "document_numbers": list(self.document_numbers),
            "notes": self.notes,
        }

    def effective_birth_year(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else self.birth_year

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str


def _valid_country(code: str) -> bool:
    return len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None


def _valid_language(code: str) -> bool:
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None


def person_input_errors(data: PersonInput, *, today: date) -> list[FieldError]:
    """Every problem with `data`, each naming its field; empty when the record may be stored."""
    errors: list[FieldError] = []
    if not any(
        value.strip()
        for value in (
            data.given_name,
            data.family_name,
            data.given_name_latin,
            data.family_name_latin,
        )
    ):
        errors.append(FieldError("family_name", "required", "Give at least one name (any script)."))
    for name in ("given_name", "family_name", "given_name_latin", "family_name_latin"):
        if len(getattr(data, name)) > MAX_NAME_LENGTH:
            errors.append(FieldError(name, "too_long", f"At most {MAX_NAME_LENGTH} characters."))
    if data.sex not in Sex.values:
        errors.append(FieldError("sex", "invalid_choice", "Use F, M, X or leave empty."))
    if data.status not in VictimStatus.values:
        allowed = ", ".join(VictimStatus.values)
        errors.append(FieldError("status", "invalid_choice", f"Use one of: {allowed}."))
    if data.date_of_birth is not None:
        if data.date_of_birth > today:
            errors.append(
                FieldError("date_of_birth", "in_future", "The date of birth is in the future.")
            )
        elif data.date_of_birth.year < EARLIEST_BIRTH_YEAR:
            errors.append(
                FieldError(
                    "date_of_birth",
                    "too_early",
                    f"Dates before {EARLIEST_BIRTH_YEAR} are not plausible.",
                )
            )
        if data.birth_year is not None and data.birth_year != data.date_of_birth.year:
            errors.append(
                FieldError(
                    "birth_year",
                    "inconsistent",
                    "The birth year differs from the year of the date of birth.",
                )
            )
    elif data.birth_year is not None and not EARLIEST_BIRTH_YEAR <= data.birth_year <= today.year:
        errors.append(
            FieldError(
                "birth_year",
                "out_of_range",
                f"The birth year must be between {EARLIEST_BIRTH_YEAR} and {today.year}.",
            )
        )
    for code in data.citizenships:
        if not _valid_country(code):
            errors.append(
                FieldError(
                    "citizenships",
                    "unknown_country",
                    f"{code!r} is not an ISO 3166 alpha-3 country code (for example LTU, UKR).",
                )
            )
    for code in data.languages:
        if not _valid_language(code):
            errors.append(
                FieldError(
                    "languages",
                    "unknown_language",
                    f"{code!r} is not an ISO 639 language code (for example lt, uk, ru).",
                )
            )
    for code in data.exploitation_forms:
        if code not in ExploitationForm.values:
            errors.append(
                FieldError(
                    "exploitation_forms",
                    "unknown_form",
                    f"{code!r} is not a form of exploitation "
                    f"(use: {', '.join(ExploitationForm.values)}).",
                )
            )
    for number in data.document_numbers:
        if not DOCUMENT_NUMBER_WRITTEN.match(number):
            errors.append(
                FieldError(
                    "document_numbers",
                    "invalid",
                    "A document number has 1 to 40 letters, digits, spaces, '-', '/' or '.'.",
                )
            )
    if data.recorded_on is not None and data.recorded_on > today:
        errors.append(
            FieldError("recorded_on", "in_future", "The recording date is in the future.")
        )
    if len(data.notes) > MAX_NOTES_LENGTH:
        errors.append(FieldError("notes", "too_long", f"At most {MAX_NOTES_LENGTH} characters."))
    if data.external_id is not None and len(data.external_id) > 100:
        errors.append(FieldError("external_id", "too_long", "At most 100 characters."))
    return errors


def exploitation_forms_ordered(codes: list[str]) -> list[str]:
    """Known codes once each, in the order of the standard list (how they are stored)."""
    return [code for code in ExploitationForm.values if code in codes]


def split_codes(text: str, *, upper: bool) -> list[str]:
    """'ltu, ukr' -> ['LTU', 'UKR']: the form and import spelling of a list of codes."""
    codes = [part.strip() for part in re.split(r"[,;\s]+", text or "") if part.strip()]
    return [code.upper() if upper else code.lower() for code in codes]
