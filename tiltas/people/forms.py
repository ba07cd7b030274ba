"""Forms of the people pages. They parse and present; the rules live in people.identity, so the
web, the API and imports give the same verdict on the same input."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tiltas.people.identity import (
    EARLIEST_BIRTH_YEAR,
    MAX_NAME_LENGTH,
    MAX_NOTES_LENGTH,
    FieldError,
    PersonInput,
    person_input_errors,
    split_codes,
)
from tiltas.people.models import ExploitationForm, Person, Sex, VictimStatus
from tiltas.people.selectors import PersonIdentity, PersonSearch

MAX_EXTERNAL_ID_LENGTH = 100
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%Y.%m.%d", "%d/%m/%Y"]
_DOCUMENT_SEPARATORS = re.compile(r"[\n\r,;]+")


class IsoDateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO 8601, whatever the page language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=IsoDateInput(),
        help_text=help_text,
    )


def split_document_numbers(text: str) -> list[str]:
    """One number per line (commas and semicolons also separate; no number contains them)."""
    return [part.strip() for part in _DOCUMENT_SEPARATORS.split(text or "") if part.strip()]


def _code_in(error: FieldError, codes: list[str]) -> str:
    """Which of the typed codes an unknown-code error is about (its message starts with it)."""
    return next((code for code in codes if error.message.startswith(repr(code))), "")


def _too_long(field: str) -> int:
    if field == "notes":
        return MAX_NOTES_LENGTH
    if field == "external_id":
        return MAX_EXTERNAL_ID_LENGTH
    return MAX_NAME_LENGTH


# The domain's messages, in the user's language. Keyed by (field, code); a problem the table does
# not know yet falls back to the domain's own (English) message rather than being hidden.
MessageBuilder = Callable[[FieldError, PersonInput], str]
FIELD_ERROR_MESSAGES: dict[tuple[str, str], MessageBuilder] = {
    ("family_name", "required"): lambda e, d: gettext("Give at least one name (any script)."),
    ("sex", "invalid_choice"): lambda e, d: gettext("Choose female, male, other or unknown."),
    ("status", "invalid_choice"): lambda e, d: gettext("Choose one of the listed statuses."),
    ("date_of_birth", "in_future"): lambda e, d: gettext("The date of birth is in the future."),
    ("date_of_birth", "too_early"): lambda e, d: (
        gettext("Dates of birth before %(year)s are not plausible.") % {"year": EARLIEST_BIRTH_YEAR}
    ),
    ("birth_year", "inconsistent"): lambda e, d: gettext(
        "The birth year differs from the year of the date of birth."
    ),
    ("birth_year", "out_of_range"): lambda e, d: (
        gettext("The birth year must be between %(first)s and %(last)s.")
        % {"first": EARLIEST_BIRTH_YEAR, "last": timezone.localdate().year}
    ),
    ("citizenships", "unknown_country"): lambda e, d: (
        gettext("“%(code)s” is not an ISO 3166 alpha-3 country code (for example LTU, UKR).")
        % {"code": _code_in(e, d.citizenships)}
    ),
    ("languages", "unknown_language"): lambda e, d: (
        gettext("“%(code)s” is not an ISO 639 language code (for example lt, uk, ru).")
        % {"code": _code_in(e, d.languages)}
    ),
    ("exploitation_forms", "unknown_form"): lambda e, d: (
        gettext("“%(code)s” is not one of the listed forms of exploitation.")
        % {"code": _code_in(e, d.exploitation_forms)}
    ),
    ("document_numbers", "invalid"): lambda e, d: gettext(
        "A document number has 1 to 40 letters, digits, spaces, “-”, “/” or “.”."
    ),
    ("recorded_on", "in_future"): lambda e, d: gettext("The recording date is in the future."),
}


def field_error_message(error: FieldError, data: PersonInput) -> str:
    """The message for one domain validation error, in the active language."""
    if error.code == "too_long":
        return gettext("At most %(limit)s characters.") % {"limit": _too_long(error.field)}
    builder = FIELD_ERROR_MESSAGES.get((error.field, error.code))
    return builder(error, data) if builder is not None else error.message


class TiltasForm(forms.Form):
    """Labels without a trailing colon: the label is the question, its field the answer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PersonForm(TiltasForm):
    """Recording or changing a person of concern."""

    given_name = forms.CharField(label=_("Given name"), required=False)
    family_name = forms.CharField(label=_("Family name"), required=False)
    given_name_latin = forms.CharField(
        label=_("Given name in Latin letters"),
        required=False,
        help_text=_("Only when the name is written in another script, for example Cyrillic."),
    )
    family_name_latin = forms.CharField(
        label=_("Family name in Latin letters"),
        required=False,
        help_text=_("Only when the name is written in another script, for example Cyrillic."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=VictimStatus.choices, initial=VictimStatus.POTENTIAL
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    date_of_birth = _date_field(_("Date of birth"))
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        help_text=_("When the exact date of birth is not known."),
    )
    birth_year_estimated = forms.BooleanField(
        label=_("The year of birth is an estimate"), required=False
    )
    citizenships = forms.CharField(
        label=_("Citizenships"),
        required=False,
        help_text=_("Country codes (ISO 3166 alpha-3) separated by commas, for example LTU, UKR."),
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Language codes (ISO 639) separated by commas, for example lt, uk, ru."),
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every form known so far; leave all unticked while it is not known."),
    )
    document_numbers = forms.CharField(
        label=_("Identity document numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One number per line."),
    )
    contacts = forms.CharField(
        label=_("Contacts"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea())
    external_id = forms.CharField(
        label=_("Your organisation's reference"),
        required=False,
        help_text=_("Optional: the number of this record in your own files."),
    )
    recorded_on = _date_field(
        _("Recorded on"),
        _("When your organisation first recorded the person; today when left empty."),
    )

    def person_input(self) -> PersonInput:
        """The parsed input as the domain's value object (valid fields only)."""
        cleaned = self.cleaned_data
        date_of_birth: date | None = cleaned.get("date_of_birth")
        return PersonInput(
            given_name=(cleaned.get("given_name") or "").strip(),
            family_name=(cleaned.get("family_name") or "").strip(),
            given_name_latin=(cleaned.get("given_name_latin") or "").strip(),
            family_name_latin=(cleaned.get("family_name_latin") or "").strip(),
            sex=cleaned.get("sex") or Sex.UNKNOWN,
            status=cleaned.get("status") or VictimStatus.POTENTIAL,
            date_of_birth=date_of_birth,
            birth_year=cleaned.get("birth_year"),
            birth_year_estimated=bool(cleaned.get("birth_year_estimated")),
            citizenships=split_codes(cleaned.get("citizenships") or "", upper=True),
            languages=split_codes(cleaned.get("languages") or "", upper=False),
            exploitation_forms=list(cleaned.get("exploitation_forms") or []),
            contacts=(cleaned.get("contacts") or "").strip(),
            document_numbers=split_document_numbers(cleaned.get("document_numbers") or ""),
            notes=cleaned.get("notes") or "",
            external_id=(cleaned.get("external_id") or "").strip() or None,
            recorded_on=cleaned.get("recorded_on"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        data = self.person_input()
        for error in person_input_errors(data, today=timezone.localdate()):
            self.add_domain_error(error, data)
        return cleaned

    def add_domain_error(self, error: FieldError, data: PersonInput) -> None:
        """Attach a domain error to its field (or to the form when no field has its name)."""
        field = error.field if error.field in self.fields else None
        if field is not None and field in self.errors:
            return  # the field's own parsing error already says what is wrong
        self.add_error(field, field_error_message(error, data))

    @staticmethod
    def initial_for(person: Person, identity: PersonIdentity) -> dict[str, Any]:
        """The form's starting values for an existing record."""
        return {
            "given_name": identity.given_name,
            "family_name": identity.family_name,
            "given_name_latin": identity.given_name_latin,
            "family_name_latin": identity.family_name_latin,
            "status": person.status,
            "sex": person.sex,
            "date_of_birth": identity.date_of_birth,
            "birth_year": None if identity.date_of_birth else person.birth_year,
            "birth_year_estimated": person.birth_year_estimated,
            "citizenships": ", ".join(person.citizenships),
            "languages": ", ".join(person.languages),
            "exploitation_forms": list(person.exploitation_forms),
            "document_numbers": "\n".join(identity.document_numbers),
            "contacts": identity.contacts,
            "notes": identity.notes,
            "external_id": person.external_id or "",
            "recorded_on": person.recorded_on,
            "version": person.version,
        }


class PersonEditForm(PersonForm):
    """Changing a record: carries the version the edit started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PersonSearchForm(TiltasForm):
    """Finding a person by name words, exact date of birth and/or document number (POST only:
    names never travel in a URL)."""

    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=MAX_NAME_LENGTH,
        help_text=_("Any spelling: with or without diacritics, or in Cyrillic."),
    )
    date_of_birth = _date_field(_("Date of birth"))
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=40)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and self.search().is_empty():
            raise forms.ValidationError(
                _("Give a name, a date of birth or a document number."), code="empty"
            )
        return cleaned

    def search(self) -> PersonSearch:
        cleaned = self.cleaned_data
        return PersonSearch(
            name=(cleaned.get("name") or "").strip(),
            date_of_birth=cleaned.get("date_of_birth"),
            document_number=(cleaned.get("document_number") or "").strip(),
        )
