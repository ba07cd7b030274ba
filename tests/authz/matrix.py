"""The permission matrix (AZ-01, AZ-02): reading the hand-written expectations, listing every
route of the project, and building a world with one user per organisation type and role."""

import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tiltas.accounts.models import Organisation, User
from tiltas.accounts.roles import Role
from tiltas.accounts.testing import load_test_profile, persona
from tiltas.audit.services import actor_for_user, system_actor
from tiltas.exchange.registry import kind_get
from tiltas.exchange.services import import_file
from tiltas.exchange.templates import template_csv_bytes
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person
from tiltas.people.services import person_create
from tiltas.reference.models import OrganisationType

MATRIX_FILE = Path(__file__).resolve().parents[2] / "tiltas" / "accounts" / "permission_matrix.toml"
ROLES = [role.value for role in Role]


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    keywords: tuple[str, ...]


def routes() -> list[Route]:
    """Every named URL pattern of the project, with its namespace."""
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                keywords = tuple(entry.pattern.regex.groupindex)
                yield Route(f"{namespace}{entry.name or ''}", prefix + str(entry.pattern), keywords)

    found.extend(walk(get_resolver(), "", ""))
    return found


def matrix() -> dict[str, Any]:
    with MATRIX_FILE.open("rb") as handle:
        return tomllib.load(handle)


@dataclass
class World:
    """One user per (organisation type, role), and for every organisation that records persons
    a person and an import job it owns."""

    users: dict[tuple[str, str], User] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    jobs: dict[str, uuid.UUID] = field(default_factory=dict)
    fallback_organisation: str = "LT-LCPB"
    partner: Person | None = None

    def own_person(self, user: User) -> Person:
        code = user.organisation.code
        return self.persons.get(code) or self.persons[self.fallback_organisation]

    def partner_person(self) -> Person:
        """A second record of the fallback organisation, to pair with anyone's own record."""
        if self.partner is None:
            owner = Organisation.objects.get(code=self.fallback_organisation)
            self.partner = person_create(
                actor=system_actor(organisation_code=owner.code, channel="cli"),
                owner=owner,
                data=PersonInput(given_name="Matrix", family_name="Partner"),
            )
        return self.partner

    def own_job(self, user: User) -> uuid.UUID:
        code = user.organisation.code
        return self.jobs.get(code) or self.jobs[self.fallback_organisation]


def build_world(type_codes: list[str]) -> World:
    load_test_profile()
    world = World()
    # A refused import (a row with no values), so that its result page and error report exist.
    header = template_csv_bytes(kind_get("person")).splitlines()[0]
    refused_file = header + b"\r\n" + b"," * header.count(b",") + b"\r\n"
    for type_code in type_codes:
        organisation = Organisation.objects.filter(type__code=type_code).order_by("code").first()
        assert organisation is not None, f"no organisation of type {type_code}"
        for role in ROLES:
            world.users[(type_code, role)] = persona(
                organisation.code, role, username=f"matrix-{type_code}-{role}"
            )
        if OrganisationType.objects.get(code=type_code).records_persons:
            caseworker = world.users[(type_code, Role.CASEWORKER)]
            world.persons[organisation.code] = person_create(
                actor=actor_for_user(caseworker, channel="web"),
                owner=organisation,
                data=PersonInput(given_name="Matrix", family_name=f"Person {organisation.code}"),
            )
            report = import_file(
                kind=kind_get("person"),
                organisation=organisation,
                content=refused_file,
                dry_run=True,
                channel="cli",
                actor=system_actor(organisation_code=organisation.code, channel="cli"),
            )
            world.jobs[organisation.code] = report.run.job_id
    return world
