"""The JSON shapes of person records in the API: an explicit allow-list of what a client may send
(nothing else is accepted, AZ-06) and what it receives back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tiltas.lib.names import name_tokens, normalise_document_number
from tiltas.people.identity import MAX_NAME_LENGTH, MAX_NOTES_LENGTH, PersonInput
from tiltas.people.models import ExploitationForm, Person, Sex, VictimStatus
from tiltas.people.selectors import PersonIdentity, PersonSearch

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_CODES = 20
MAX_DOCUMENT_NUMBERS = 20

# Fields the server alone sets. Naming them gives a specific refusal instead of "unknown field".
SERVER_CONTROLLED_FIELDS: dict[str, Any] = {
    "id": _("The id is assigned by the server."),
    "owner": _("The owner is always your own organisation."),
    "version": _("Send the version you edited in the If-Match header, not in the body."),
    "created_by": _("The author is recorded by the server."),
    "created_at": _("Set by the server."),
    "updated_at": _("Set by the server."),
    "identity_ciphertext": _("Set by the server."),
}


class ErrorSerializer(serializers.Serializer[Any]):
    """Any refusal that is not about the request body: 401, 404, 428..."""

    detail = serializers.CharField()


class FieldErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text=_("The field at fault ('non_field_errors': the body)."))
    code = serializers.CharField(help_text=_("A stable machine-readable code."))
    message = serializers.CharField(help_text=_("What is wrong and how to fix it."))


class ValidationErrorSerializer(serializers.Serializer[Any]):
    """400: every problem with the request body, each naming its field; nothing was stored."""

    # DRF's metaclass moves declared fields out of the class: this does not shadow .errors.
    errors = FieldErrorSerializer(many=True)  # type: ignore[assignment]


class StaleVersionSerializer(serializers.Serializer[Any]):
    """412: the record changed since the version named in If-Match; nothing was changed."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField()


class ClosedInputSerializer(serializers.Serializer[Any]):
    """A request body that accepts its declared fields only: anything else is refused by name
    rather than silently dropped, so a client never believes it set a field it did not."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            refused: dict[str, Any] = {}
            for key in data:
                if key in self.fields:
                    continue
                name = str(key)
                if name in SERVER_CONTROLLED_FIELDS:
                    message, code = SERVER_CONTROLLED_FIELDS[name], "read_only"
                else:
                    message, code = _("Unknown field."), "unknown_field"
                refused[name] = [serializers.ErrorDetail(str(message), code=code)]
            if refused:
                try:
                    super().to_internal_value(data)
                except serializers.ValidationError as exc:
                    if isinstance(exc.detail, dict):
                        refused = {**exc.detail, **refused}
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)


class ClosedInputSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]  # registry hook
    """Declare what ClosedInputSerializer enforces: no additional properties."""

    target_class = ClosedInputSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(  # type: ignore[no-untyped-call]
            self.target, direction, bypass_extensions=True
        )
        schema["additionalProperties"] = False
        return schema


def _name_field() -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, max_length=MAX_NAME_LENGTH)


def _code_list(help_text: StrOrPromise) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=3),
        required=False,
        max_length=MAX_CODES,
        help_text=help_text,
    )


@extend_schema_field({"type": "string", "enum": ExploitationForm.values})
class ExploitationFormCodeField(serializers.CharField):
    """One form-of-exploitation code. The schema lists the codes; an unknown one is refused by
    people.identity like in the forms and imports (field exploitation_forms, code
    unknown_form), not here, so every channel words the refusal alike."""


def _exploitation_forms_field(*, read_only: bool = False) -> serializers.ListField:
    return serializers.ListField(
        child=ExploitationFormCodeField(allow_blank=True),
        read_only=read_only,
        required=False,
        max_length=MAX_CODES,
        help_text=_(
            "Every form of exploitation known so far (a person may suffer several); "
            "empty while not known."
        ),
    )


class PersonWriteSerializer(ClosedInputSerializer):
    """What a client may set on a person record. The owner is always the client's own
    organisation; id, version and author are the server's."""

    given_name = _name_field()
    family_name = _name_field()
    given_name_latin = _name_field()
    family_name_latin = _name_field()
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    status = serializers.ChoiceField(choices=VictimStatus.choices, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1900,
        max_value=2100,
        help_text=_("Exact or estimated year of birth when the date is unknown."),
    )
    birth_year_estimated = serializers.BooleanField(required=False)
    citizenships = _code_list(_("ISO 3166 alpha-3 codes, e.g. LTU, UKR."))
    languages = _code_list(_("ISO 639 codes, e.g. lt, uk, ru."))
    exploitation_forms = _exploitation_forms_field()
    contacts = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_NOTES_LENGTH, trim_whitespace=False
    )
    document_numbers = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=MAX_DOCUMENT_NUMBERS,
    )
    notes = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_NOTES_LENGTH, trim_whitespace=False
    )
    external_id = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=100,
        help_text=_("Your own stable id for the record (unique within your organisation)."),
    )
    recorded_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("When your organisation first recorded the person (default: today)."),
    )

    def person_input(self, base: PersonInput | None = None) -> PersonInput:
        """The validated fields laid over `base` (PATCH) or over an empty record (POST, PUT)."""
        values = dict(self.validated_data)
        if "citizenships" in values:
            values["citizenships"] = [code.upper() for code in values["citizenships"]]
        if "languages" in values:
            values["languages"] = [code.lower() for code in values["languages"]]
        if "exploitation_forms" in values:
            values["exploitation_forms"] = [code.lower() for code in values["exploitation_forms"]]
        return replace(base or PersonInput(), **values)


def person_input_of(person: Person, identity: PersonIdentity) -> PersonInput:
    """The stored record as input, the starting point of a partial update."""
    return PersonInput(
        given_name=identity.given_name,
        family_name=identity.family_name,
        given_name_latin=identity.given_name_latin,
        family_name_latin=identity.family_name_latin,
        sex=person.sex,
        status=person.status,
        date_of_birth=identity.date_of_birth,
        # The stored year is derived from the date when there is one: left unset, it follows a
        # changed date instead of contradicting it.
        birth_year=None if identity.date_of_birth else person.birth_year,
        birth_year_estimated=person.birth_year_estimated,
        citizenships=list(person.citizenships),
        languages=list(person.languages),
        exploitation_forms=list(person.exploitation_forms),
        contacts=identity.contacts,
        document_numbers=list(identity.document_numbers),
        notes=identity.notes,
        external_id=person.external_id,
        recorded_on=person.recorded_on,
    )


class PersonSerializer(serializers.Serializer[Any]):
    """A person record as the API returns it, identity decrypted."""

    id = serializers.UUIDField(read_only=True)
    owner = serializers.CharField(
        read_only=True, help_text=_("Code of the organisation that owns the record.")
    )
    version = serializers.IntegerField(
        read_only=True, help_text=_("Send it back in If-Match to change the record.")
    )
    status = serializers.ChoiceField(choices=VictimStatus.choices, read_only=True)
    sex = serializers.ChoiceField(choices=Sex.choices, read_only=True)
    birth_year = serializers.IntegerField(read_only=True, allow_null=True)
    birth_year_estimated = serializers.BooleanField(read_only=True)
    citizenships = serializers.ListField(child=serializers.CharField(), read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    exploitation_forms = _exploitation_forms_field(read_only=True)
    external_id = serializers.CharField(read_only=True, allow_null=True)
    recorded_on = serializers.DateField(read_only=True)
    given_name = serializers.CharField(read_only=True)
    family_name = serializers.CharField(read_only=True)
    given_name_latin = serializers.CharField(read_only=True)
    family_name_latin = serializers.CharField(read_only=True)
    date_of_birth = serializers.DateField(read_only=True, allow_null=True)
    contacts = serializers.CharField(read_only=True)
    document_numbers = serializers.ListField(child=serializers.CharField(), read_only=True)
    notes = serializers.CharField(read_only=True)


def person_representation(person: Person, identity: PersonIdentity) -> dict[str, Any]:
    """The response body of one record (the caller has audited the read)."""
    record = {
        "id": person.pk,
        "owner": person.owner.code,
        "version": person.version,
        "status": person.status,
        "sex": person.sex,
        "birth_year": person.birth_year,
        "birth_year_estimated": person.birth_year_estimated,
        "citizenships": person.citizenships,
        "languages": person.languages,
        "exploitation_forms": person.exploitation_forms,
        "external_id": person.external_id,
        "recorded_on": person.recorded_on,
        "given_name": identity.given_name,
        "family_name": identity.family_name,
        "given_name_latin": identity.given_name_latin,
        "family_name_latin": identity.family_name_latin,
        "date_of_birth": identity.date_of_birth,
        "contacts": identity.contacts,
        "document_numbers": identity.document_numbers,
        "notes": identity.notes,
    }
    data: dict[str, Any] = PersonSerializer(record).data
    return data


class PersonSearchSerializer(ClosedInputSerializer):
    """Search criteria, sent in the body so that names never appear in a URL (API-05). Every
    criterion given must match."""

    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_NAME_LENGTH,
        help_text=_("Name words in any script: Šiaulienė, Siauliene and Шяулене match alike."),
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=40)

    def validate_name(self, value: str) -> str:
        if value.strip() and not name_tokens(value):
            raise serializers.ValidationError(
                _("Give at least one word with letters or digits."), code="no_searchable_word"
            )
        return value

    def validate_document_number(self, value: str) -> str:
        if value.strip() and not normalise_document_number(value):
            raise serializers.ValidationError(
                _("Give the letters and digits of the document number."),
                code="no_searchable_character",
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.search_of(attrs).is_empty():
            raise serializers.ValidationError(
                _("Give at least one criterion: name, date_of_birth or document_number."),
                code="no_criterion",
            )
        return attrs

    @staticmethod
    def search_of(attrs: Mapping[str, Any]) -> PersonSearch:
        return PersonSearch(
            name=attrs.get("name") or "",
            date_of_birth=attrs.get("date_of_birth"),
            document_number=attrs.get("document_number") or "",
        )

    def person_search(self) -> PersonSearch:
        return self.search_of(self.validated_data)
