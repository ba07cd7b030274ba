"""Fixtures for testing the API as a whole, in-process over WSGI: who calls (three identities),
the records that exist, and the OpenAPI schema."""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from tiltas.accounts.models import User
from tiltas.accounts.services import api_token_create
from tiltas.accounts.testing import persona
from tiltas.audit.models import AuditEntry
from tiltas.audit.services import actor_for_user
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person
from tiltas.people.services import person_create


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Each identity needs fresh accounts per test; Argon2 at production strength would make
    # account creation dominate the run. These are test-only passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class ApiIdentity:
    """Who calls the API in a test, and the records that exist when each example starts."""

    label: str
    user: User | None
    headers: dict[str, str] = field(default_factory=dict)
    # Path parameter name -> an existing record the caller may reach / may not reach.
    own_records: dict[str, str] = field(default_factory=dict)
    foreign_records: dict[str, str] = field(default_factory=dict)

    def database_state(self) -> tuple[int, int]:
        """What every example must start from: (persons, audit entries)."""
        return Person.objects.count(), AuditEntry.objects.count()


def _token_headers(user: User) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="schemathesis")
    return {"Authorization": f"Token {secret}"}


def _person(user: User, family_name: str) -> Person:
    assert user.organisation is not None
    return person_create(
        actor=actor_for_user(user, channel="web"),
        owner=user.organisation,
        data=PersonInput(
            given_name="Olena",
            family_name=family_name,
            given_name_latin="Olena",
            family_name_latin=family_name,
            sex="F",
            citizenships=["UKR"],
            languages=["uk", "ru"],
            document_numbers=["FA123456"],
            contacts="+380 00 000 0000",
            notes="Seed record for the API tests.",
            external_id=f"seed-{family_name}",
        ),
        created_by=user,
    )


@pytest.fixture(params=["police-caseworker", "ngo-supervisor", "anonymous"])
def api_identity(request: pytest.FixtureRequest, lt_profile: None) -> ApiIdentity:
    """A police caseworker's token, an NGO supervisor's token, or no credentials at all; a
    person recorded by each of the two organisations exists."""
    police = persona("LT-LCPB", "caseworker")
    ngo = persona("LT-NGO-CARITAS", "supervisor")
    police_person = _person(police, "Policijos")
    ngo_person = _person(ngo, "Caritas")
    if request.param == "police-caseworker":
        return ApiIdentity(
            "police-caseworker",
            police,
            _token_headers(police),
            own_records={"person_id": str(police_person.pk)},
            foreign_records={"person_id": str(ngo_person.pk)},
        )
    if request.param == "ngo-supervisor":
        return ApiIdentity(
            "ngo-supervisor",
            ngo,
            _token_headers(ngo),
            own_records={"person_id": str(ngo_person.pk)},
            foreign_records={"person_id": str(police_person.pk)},
        )
    return ApiIdentity(
        "anonymous",
        None,
        foreign_records={"person_id": str(police_person.pk)},
    )


def generated_schema() -> dict[str, Any]:
    """The OpenAPI document as /api/schema/ renders it, generated in-process (no database)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    rendered: dict[str, Any] = json.loads(
        OpenApiJsonRenderer().render(document, renderer_context={})
    )
    return rendered


@pytest.fixture
def requests_keep_the_connection() -> Iterator[None]:
    """Django closes the database connection at the end of each request it serves; in-process
    calls made inside a test's transaction must not (django.test.Client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
