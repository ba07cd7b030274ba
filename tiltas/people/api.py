"""REST endpoints of the people domain (mounted under /api/v1/ by tiltas.config.api_urls).

The same access policy as the web pages: every record comes through people.selectors, a token
acts as its user, missing and forbidden records both answer 404 with one body (AZ-03), and every
record shown is audited on the "api" channel. Names never travel in a URL: search is a POST
(API-05). A change must name the version it was made on in If-Match (RL-01).
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler

from tiltas.accounts.access import require_permission
from tiltas.accounts.models import User
from tiltas.accounts.roles import Permission
from tiltas.audit.services import actor_for_user
from tiltas.people.identity import FieldError
from tiltas.people.models import Person
from tiltas.people.selectors import (
    get_person_for_user,
    person_identity,
    persons_audit_read,
    persons_search,
    persons_visible_to,
)
from tiltas.people.serializers import (
    ErrorSerializer,
    PersonSearchSerializer,
    PersonSerializer,
    PersonWriteSerializer,
    StaleVersionSerializer,
    ValidationErrorSerializer,
    person_input_of,
    person_representation,
)
from tiltas.people.services import (
    PersonValidationError,
    StaleEditError,
    person_create,
    person_update,
)

CHANNEL = "api"
_IF_MATCH = re.compile(r'^\s*"(\d{1,9})"\s*$')


class PersonPagination(LimitOffsetPagination):
    """`?limit=&offset=`; at most 100 records a page whatever the client asks (API-04)."""

    default_limit = 50
    max_limit = 100


def _error_field(parent: str, key: str) -> str:
    """The name of a nested error's field: a list item's errors come keyed by its position,
    named here as `parent[position]` so that the message still names the field."""
    if key == "non_field_errors":
        return parent
    if key.isdigit() and parent != "non_field_errors":
        return f"{parent}[{key}]"
    return key


def _body_errors(detail: Any, field: str = "non_field_errors") -> list[dict[str, str]]:
    """DRF's nested error detail as flat {field, code, message} entries, naming the field (and
    the item of a list) at fault."""
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in _body_errors(value, _error_field(field, str(key)))
        ]
    if isinstance(detail, list):
        errors: list[dict[str, str]] = []
        for item in detail:
            errors.extend(_body_errors(item, field))
        return errors
    code = getattr(detail, "code", None) or "invalid"
    return [{"field": field, "code": str(code), "message": str(detail)}]


def _field_errors(errors: list[FieldError]) -> list[dict[str, str]]:
    return [{"field": e.field, "code": e.code, "message": e.message} for e in errors]


def _bad_request(errors: list[dict[str, str]]) -> Response:
    return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every problem with a request body answers 400 in one shape, {"errors": [...]}, each entry
    naming its field; other refusals keep DRF's {"detail": ...}."""
    if isinstance(exc, exceptions.ValidationError):
        return _bad_request(_body_errors(exc.detail))
    if isinstance(exc, exceptions.ParseError):
        return _bad_request(
            [{"field": "non_field_errors", "code": "parse_error", "message": str(exc.detail)}]
        )
    return exception_handler(exc, context)


def _etag(version: int) -> str:
    return f'"{version}"'


class PersonApiView(GenericAPIView[Person]):
    """JSON in, JSON out; errors in the documented shapes."""

    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    def get_exception_handler(self) -> Any:
        return api_exception_handler

    @property
    def user(self) -> User:
        # IsAuthenticated (the default permission) has run: the user is a real account.
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101
        return user

    def record_response(self, person: Person, status_code: int = 200) -> Response:
        response = Response(
            person_representation(person, person_identity(person)), status=status_code
        )
        response["ETag"] = _etag(person.version)
        return response

    def page_response(self, persons: Any, purpose: str) -> Response:
        page = self.paginate_queryset(persons) or []
        persons_audit_read(user=self.user, persons=page, channel=CHANNEL, purpose=purpose)
        return self.get_paginated_response(
            [person_representation(person, person_identity(person)) for person in page]
        )


NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such record, or not one you may see: the two are indistinguishable.",
)
BAD_BODY = OpenApiResponse(
    ValidationErrorSerializer, description="The body is invalid; nothing was stored."
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The record\'s version, e.g. "3": send it back in If-Match to change it.',
    response=[200, 201],
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=r'^"[0-9]{1,9}"$',
    description='The ETag of the version you edited, e.g. "3" (quotes included). A change made '
    "on an older version is refused with 412, never merged.",
)
CHANGE_RESPONSES = {
    200: PersonSerializer,
    400: BAD_BODY,
    404: NOT_FOUND,
    412: OpenApiResponse(
        StaleVersionSerializer,
        description="Someone changed the record since your version; nothing was changed. "
        "Reload it and make your change again.",
    ),
    428: OpenApiResponse(
        ErrorSerializer, description='If-Match is missing or not a version like "3".'
    ),
}


class PersonListView(PersonApiView):
    pagination_class = PersonPagination

    @extend_schema(
        operation_id="persons_list",
        summary="Persons your organisation recorded",
        description="Newest first, at most 100 a page. Each record returned is written to the "
        "audit trail. A role without access to persons gets 404, as on the web pages.",
        responses={200: PersonSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        require_permission(self.user, Permission.PERSONAL_VIEW)
        persons = persons_visible_to(self.user).order_by("-created_at", "-id")
        return self.page_response(persons, purpose="list")

    @extend_schema(
        operation_id="persons_create",
        summary="Record a person",
        description="The record is owned by your organisation. Sending a field the server sets "
        "(id, owner, version, created_by...) or an unknown field is refused with 400.",
        request=PersonWriteSerializer,
        responses={
            201: PersonSerializer,
            400: BAD_BODY,
            404: OpenApiResponse(
                ErrorSerializer, description="Your roles do not allow recording persons."
            ),
        },
        parameters=[ETAG_HEADER],
    )
    def post(self, request: Request) -> Response:
        require_permission(self.user, Permission.PERSONAL_CREATE)
        body = PersonWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organisation = self.user.organisation
        assert organisation is not None  # noqa: S101 - a user with permissions has one
        try:
            person = person_create(
                actor=actor_for_user(self.user, channel=CHANNEL),
                owner=organisation,
                data=body.person_input(),
                created_by=self.user,
                purpose="api",
            )
        except PersonValidationError as exc:
            return _bad_request(_field_errors(exc.errors))
        except (DjangoValidationError, IntegrityError):
            # The only database rule a valid body can break: one external id per organisation.
            return _bad_request(_duplicate_external_id())
        response = self.record_response(person, status.HTTP_201_CREATED)
        response["Location"] = f"{request.path}{person.pk}/"
        return response


def _duplicate_external_id() -> list[dict[str, str]]:
    return [
        {
            "field": "external_id",
            "code": "duplicate",
            "message": _("Your organisation already has a record with this external id."),
        }
    ]


class PersonDetailView(PersonApiView):
    @extend_schema(
        operation_id="persons_retrieve",
        summary="One person",
        description="The read is written to the audit trail. The ETag header is the version "
        "to send back in If-Match.",
        responses={200: PersonSerializer, 404: NOT_FOUND},
        parameters=[ETAG_HEADER],
    )
    def get(self, request: Request, person_id: UUID) -> Response:
        person = get_person_for_user(
            user=self.user, person_id=person_id, channel=CHANNEL, purpose="api"
        )
        return self.record_response(person)

    @extend_schema(
        operation_id="persons_update",
        summary="Replace a person record",
        description="Fields left out take their empty value (use PATCH to change a few).",
        request=PersonWriteSerializer,
        responses=CHANGE_RESPONSES,
        parameters=[IF_MATCH_HEADER, ETAG_HEADER],
    )
    def put(self, request: Request, person_id: UUID) -> Response:
        return self._change(person_id, partial=False)

    @extend_schema(
        operation_id="persons_partial_update",
        summary="Change some fields of a person record",
        request=PersonWriteSerializer,
        responses=CHANGE_RESPONSES,
        parameters=[IF_MATCH_HEADER, ETAG_HEADER],
    )
    def patch(self, request: Request, person_id: UUID) -> Response:
        return self._change(person_id, partial=True)

    def _change(self, person_id: UUID, *, partial: bool) -> Response:
        # Preconditions before the body, as HTTP orders them (RFC 9110 13.2.2): a record the
        # user may not change answers 404 whatever the headers say.
        person = get_person_for_user(
            user=self.user,
            person_id=person_id,
            channel=CHANNEL,
            purpose="api change",
            permission=Permission.PERSONAL_CHANGE,
        )
        match = _IF_MATCH.match(self.request.headers.get("If-Match", ""))
        if match is None:
            return Response(
                {
                    "detail": _(
                        "Send If-Match with the ETag of the version you edited (the ETag header "
                        'of GET), e.g. If-Match: "3".'
                    )
                },
                status=status.HTTP_428_PRECONDITION_REQUIRED,
            )
        expected_version = int(match.group(1))
        if expected_version != person.version:
            return _stale(person.version)
        body = PersonWriteSerializer(data=self.request.data, partial=partial)
        body.is_valid(raise_exception=True)
        base = person_input_of(person, person_identity(person)) if partial else None
        data = body.person_input(base)
        try:
            person = person_update(
                actor=actor_for_user(self.user, channel=CHANNEL),
                person=person,
                expected_version=expected_version,
                data=data,
                purpose="api",
            )
        except StaleEditError as exc:
            return _stale(exc.current_version)
        except PersonValidationError as exc:
            return _bad_request(_field_errors(exc.errors))
        except (DjangoValidationError, IntegrityError):
            return _bad_request(_duplicate_external_id())
        return self.record_response(person)


def _stale(current_version: int) -> Response:
    response = Response(
        {"detail": str(StaleEditError(current_version)), "current_version": current_version},
        status=status.HTTP_412_PRECONDITION_FAILED,
    )
    response["ETag"] = _etag(current_version)
    return response


class PersonSearchView(PersonApiView):
    pagination_class = PersonPagination

    @extend_schema(
        operation_id="persons_search",
        summary="Search persons by name, date of birth or document number",
        description="A POST so that the criteria never appear in a URL or an access log. Every "
        "criterion given must match; names match across scripts and diacritics. Each record "
        "returned is written to the audit trail.",
        request=PersonSearchSerializer,
        responses={200: PersonSerializer(many=True), 400: BAD_BODY, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        require_permission(self.user, Permission.PERSONAL_VIEW)
        body = PersonSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        persons = persons_search(user=self.user, search=body.person_search()).order_by(
            "-created_at", "-id"
        )
        return self.page_response(persons, purpose="search")


urlpatterns: list[URLPattern | URLResolver] = [
    path("persons/", PersonListView.as_view(), name="persons"),
    path("persons/search/", PersonSearchView.as_view(), name="persons-search"),
    path("persons/<uuid:person_id>/", PersonDetailView.as_view(), name="person"),
]
