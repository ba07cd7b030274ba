"""The `person` record kind of the exchange framework: persons of concern, imported on behalf of
the organisation that owns them. Checks are those of the forms and the API
(people.identity.person_input_errors), so every channel gives the same message for the same
mistake; only turning text cells into values (dates, numbers, lists) is import-specific."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiltas.accounts.models import Organisation
from tiltas.accounts.roles import Permission
from tiltas.audit.services import AuditActor
from tiltas.exchange.registry import (
    Column,
    ColumnError,
    ParseContext,
    RecordKind,
    StoreCounts,
    kind_register,
)
from tiltas.people.identity import PersonInput, person_input_errors, split_codes
from tiltas.people.models import Sex, VictimStatus
from tiltas.people.services import persons_store

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_TRUE = frozenset({"1", "true", "yes", "y", "taip"})
_FALSE = frozenset({"", "0", "false", "no", "n", "ne"})

COLUMNS = (
    Column(
        "external_id",
        gettext_lazy(
            "Your organisation's own stable id for the person (case number, register id). "
            "Importing a row with an id you already imported updates that record instead of "
            "creating a second one. At most 100 characters."
        ),
        "LCPB-2024-0153",
        required=True,
    ),
    Column(
        "recorded_on",
        gettext_lazy("When your organisation first recorded the person, YYYY-MM-DD. Empty: today."),
        "2024-03-18",
    ),
    Column(
        "status",
        gettext_lazy(
            "potential, presumed, identified or not_identified (victim status). Empty: potential."
        ),
        "presumed",
    ),
    Column("given_name", gettext_lazy("Given name(s) as written by the person."), "Олена"),
    Column(
        "family_name",
        gettext_lazy(
            "Family name as written by the person. At least one of the four name columns "
            "must be filled."
        ),
        "Коваленко",
    ),
    Column("given_name_latin", gettext_lazy("Given name(s) in Latin letters."), "Olena"),
    Column("family_name_latin", gettext_lazy("Family name in Latin letters."), "Kovalenko"),
    Column("sex", gettext_lazy("F, M, X or empty (unknown)."), "F"),
    Column(
        "date_of_birth",
        gettext_lazy("Date of birth, YYYY-MM-DD. Leave empty when unknown and give birth_year."),
        "1998-05-21",
    ),
    Column(
        "birth_year",
        gettext_lazy("Year of birth when the full date is unknown (a whole number)."),
        "",
    ),
    Column(
        "birth_year_estimated",
        gettext_lazy("true when birth_year is an estimate, otherwise false or empty."),
        "false",
    ),
    Column(
        "citizenships",
        gettext_lazy("ISO 3166 alpha-3 country codes separated by ';' or ',' (LTU;UKR)."),
        "UKR",
    ),
    Column(
        "languages",
        gettext_lazy("ISO 639 language codes separated by ';' or ',' (uk;ru)."),
        "uk;ru",
    ),
    Column(
        "exploitation_forms",
        gettext_lazy(
            "Forms of exploitation known so far, separated by ';' or ',': sexual, labour, "
            "criminal, begging, marriage, organ_removal, other. Empty: not known yet."
        ),
        "labour;sexual",
    ),
    Column("contacts", gettext_lazy("Phone numbers, e-mail or other contacts (free text)."), ""),
    Column(
        "document_numbers",
        gettext_lazy("Identity document numbers separated by ';'."),
        "FX123456",
    ),
    Column("notes", gettext_lazy("Free-text notes (kept encrypted)."), ""),
)


def _date(cells: Mapping[str, str], column: str, errors: list[ColumnError]) -> date | None:
    text = cells.get(column, "")
    if not text:
        return None
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    errors.append(
        ColumnError(column, "invalid_date", _("Not a valid date: write it as YYYY-MM-DD."))
    )
    return None


def _integer(cells: Mapping[str, str], column: str, errors: list[ColumnError]) -> int | None:
    text = cells.get(column, "")
    if not text:
        return None
    if _INTEGER.match(text):
        return int(text)
    errors.append(ColumnError(column, "invalid_integer", _("Not a whole number.")))
    return None


def _boolean(cells: Mapping[str, str], column: str, errors: list[ColumnError]) -> bool:
    text = cells.get(column, "").lower()
    if text in _TRUE:
        return True
    if text not in _FALSE:
        errors.append(ColumnError(column, "invalid_boolean", _("Write true or false.")))
    return False


def person_row_parse(
    cells: Mapping[str, str], context: ParseContext
) -> tuple[PersonInput | None, list[ColumnError]]:
    """One row of text cells -> a PersonInput, or every problem with the row's cells."""
    errors: list[ColumnError] = []
    status = cells.get("status", "").lower() or VictimStatus.POTENTIAL
    sex = cells.get("sex", "").upper() or Sex.UNKNOWN
    data = PersonInput(
        external_id=cells.get("external_id", "") or None,
        recorded_on=_date(cells, "recorded_on", errors),
        status=status,
        given_name=cells.get("given_name", ""),
        family_name=cells.get("family_name", ""),
        given_name_latin=cells.get("given_name_latin", ""),
        family_name_latin=cells.get("family_name_latin", ""),
        sex=sex,
        date_of_birth=_date(cells, "date_of_birth", errors),
        birth_year=_integer(cells, "birth_year", errors),
        birth_year_estimated=_boolean(cells, "birth_year_estimated", errors),
        citizenships=split_codes(cells.get("citizenships", ""), upper=True),
        languages=split_codes(cells.get("languages", ""), upper=False),
        exploitation_forms=split_codes(cells.get("exploitation_forms", ""), upper=False),
        contacts=cells.get("contacts", ""),
        document_numbers=[
            number.strip()
            for number in cells.get("document_numbers", "").split(";")
            if number.strip()
        ],
        notes=cells.get("notes", ""),
    )
    errors.extend(
        ColumnError(error.field, error.code, str(error.message))
        for error in person_input_errors(data, today=context.today)
    )
    return (None if errors else data), errors


def persons_import_store(
    *,
    actor: AuditActor,
    organisation: Organisation,
    records: Sequence[Any],
    purpose: str,
) -> StoreCounts:
    """Store validated rows through the people service (bulk, idempotent by external id)."""
    result = persons_store(actor=actor, owner=organisation, inputs=records, purpose=purpose)
    return StoreCounts(created=result.created, updated=result.updated, unchanged=result.unchanged)


PERSON = kind_register(
    RecordKind(
        name="person",
        label=gettext_lazy("Persons of concern"),
        description=gettext_lazy(
            "Potential, presumed and identified victims recorded by your organisation. Each row "
            "is one person; the external id makes a re-import update instead of duplicate."
        ),
        columns=COLUMNS,
        parse_row=person_row_parse,
        store=persons_import_store,
        permission=Permission.PERSONAL_IMPORT,
        external_id_column="external_id",
    )
)
