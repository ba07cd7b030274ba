"""AZ-01 (every route is in the matrix), AZ-02 (every cell of the matrix holds) and AZ-03
(another organisation's record answers exactly like a missing one)."""

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import now

from tests.authz.matrix import ROLES, World, build_world, matrix, routes
from tiltas.accounts.models import User
from tiltas.accounts.testing import persona, verified_client
from tiltas.reference.models import OrganisationType
from tiltas.reference.services import profile_read

GROUP_FLAGS = {
    "records_persons": {"records_persons": True, "oversight": False},
    "oversight": {"records_persons": False, "oversight": True},
    "aggregates_only": {"records_persons": False, "oversight": False},
}


def _estimation_reference() -> str:
    """A stored estimate (national, owned by no organisation) for the estimation routes."""
    from tiltas.estimation.models import EstimationRun
    from tiltas.linkage.models import LinkageRun

    reference = "EST-2025-0001"
    if not EstimationRun.objects.filter(reference=reference).exists():
        EstimationRun.objects.create(
            reference=reference,
            linkage_run=LinkageRun.objects.create(status="done"),
            period_start="2025-01-01",
            period_end="2025-12-31",
            list_definition=[],
            method="stepwise",
            threshold=0.02,
            seed=1234,
            status="done",
        )
    return reference


def _linkage_run_id() -> uuid.UUID:
    """A finished linkage run (national, owned by no organisation) for the linkage routes."""
    from tiltas.linkage.models import LinkageRun

    run = LinkageRun.objects.filter(code_version="matrix").first()
    if run is None:
        run = LinkageRun.objects.create(status="done", code_version="matrix", finished_at=now())
    return run.pk


def _review_pair_id(subject: User, world: World) -> uuid.UUID:
    """A pair of the current run between the user's own person and another police record."""
    from tiltas.linkage.models import LinkageRun, ReviewPair

    own = world.own_person(subject)
    partner = world.partner_person()
    person_a, person_b = sorted((own, partner), key=lambda person: str(person.pk))
    pair, _ = ReviewPair.objects.get_or_create(
        run=LinkageRun.objects.get(pk=_linkage_run_id()),
        person_a=person_a,
        person_b=person_b,
        defaults={"probability": 0.8},
    )
    return pair.pk


def _path(name: str, keywords: tuple[str, ...], user: User | None, world: World) -> str:
    subject = user or world.users[("police", "caseworker")]
    values: dict[str, Any] = {
        "person_id": world.own_person(subject).pk,
        "job_id": world.own_job(subject),
        "kind": "person",
        "file_format": "csv",
    }
    if "linkage_run_id" in keywords:
        values["linkage_run_id"] = _linkage_run_id()
    if "review_pair_id" in keywords:
        values["review_pair_id"] = _review_pair_id(subject, world)
    if "reference" in keywords:
        values["reference"] = _estimation_reference()
    return reverse(name, kwargs={key: values[key] for key in keywords})


def _request(client: Client, method: str, path: str, *, api: bool, version: int) -> int:
    if method == "GET":
        return client.get(path).status_code
    if method == "POST":
        if api:
            return client.post(path, data="{}", content_type="application/json").status_code
        return client.post(path, data={}).status_code
    if method == "PUT":
        return client.put(
            path, data="{}", content_type="application/json", headers={"If-Match": f'"{version}"'}
        ).status_code
    if method == "PATCH":
        return client.patch(path, data="{}", content_type="application/json").status_code
    raise AssertionError(f"method {method} has no request recipe")


@pytest.mark.nodb
def test_every_route_of_the_project_is_in_the_matrix():
    in_project = {route.name for route in routes()}
    in_matrix = {row["name"] for row in matrix()["route"]}
    assert not in_project - in_matrix, "routes missing from permission_matrix.toml"
    assert not in_matrix - in_project, "matrix rows for routes that do not exist"
    # One row per route and method: a second row could silently contradict the first.
    keys = [(row["name"], row["method"]) for row in matrix()["route"]]
    assert not {key for key in keys if keys.count(key) > 1}, "routes listed twice"
    for row in matrix()["route"]:
        assert row["method"] in {"GET", "POST", "PUT", "PATCH", "DELETE"}, row
        for group in GROUP_FLAGS:
            assert set(row[group]) == set(ROLES), (row["name"], group)


@pytest.mark.nodb
def test_groups_cover_every_organisation_type_of_the_profile_once():
    groups = matrix()["groups"]
    listed = [code for codes in groups.values() for code in codes]
    assert len(listed) == len(set(listed)), "a type is in two groups"
    profile_types = profile_read("lt")["organisation_types"]
    assert set(listed) == {entry["code"] for entry in profile_types}
    for entry in profile_types:
        group = next(name for name, codes in groups.items() if entry["code"] in codes)
        for flag, value in GROUP_FLAGS[group].items():
            assert bool(entry.get(flag, False)) is value, (entry["code"], flag)


@pytest.mark.django_db
@pytest.mark.slow
def test_every_cell_of_the_permission_matrix():
    data = matrix()
    type_codes = [code for codes in data["groups"].values() for code in codes]
    world = build_world(type_codes)
    assert set(OrganisationType.objects.values_list("code", flat=True)) == set(type_codes)
    route_keywords = {route.name: route.keywords for route in routes()}
    clients: dict[tuple[str, str], Client] = {}
    mismatches: list[str] = []
    unexpected_success = 0
    for row in data["route"]:
        name, method, api = row["name"], row["method"], row["name"].startswith("api:")
        keywords = route_keywords[name]
        status = _request(Client(), method, _path(name, keywords, None, world), api=api, version=1)
        if status != row["anonymous"]:
            mismatches.append(f"{name} {method} anonymous: {status} != {row['anonymous']}")
        for group, codes in data["groups"].items():
            for type_code in codes:
                for role in ROLES:
                    user = world.users[(type_code, role)]
                    key = (type_code, role)
                    if key not in clients or name == "accounts:logout":
                        clients[key] = verified_client(user)
                    path = _path(name, keywords, user, world)
                    version = world.own_person(user).version
                    status = _request(clients[key], method, path, api=api, version=version)
                    expected = row[group][role]
                    if status != expected:
                        mismatches.append(
                            f"{name} {method} {type_code}/{role}: {status} != {expected}"
                        )
                        if status < 400 <= expected:
                            unexpected_success += 1
                    if name == "accounts:logout":
                        del clients[key]
    if mismatches:
        pytest.fail(
            f"{len(mismatches)} cells differ from the matrix, {unexpected_success} of them "
            "answered 2xx/3xx where the matrix refuses:\n" + "\n".join(mismatches)
        )


OBJECT_ROUTES = [
    ("people:detail", "caseworker"),
    ("people:edit", "caseworker"),
    ("api:person", "caseworker"),
    ("jobs:detail", "supervisor"),
    ("jobs:progress", "supervisor"),
    ("api:job-detail", "supervisor"),
    ("exchange:result", "supervisor"),
    ("exchange:error_report", "supervisor"),
    ("api:import-detail", "supervisor"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), OBJECT_ROUTES)
def test_another_organisations_record_answers_exactly_like_a_missing_one(name, role):
    world = build_world(["police", "ngo_service_provider"])
    ngo_user = persona("LT-NGO-CARITAS", role, username=f"az03-{role}")
    client = verified_client(ngo_user)
    police_user = world.users[("police", role)]
    keywords = {route.name: route.keywords for route in routes()}[name]
    foreign = _path(name, keywords, police_user, world)
    values = {"person_id": uuid.uuid4(), "job_id": uuid.uuid4()}
    missing = reverse(name, kwargs={key: values[key] for key in keywords})
    foreign_response, missing_response = client.get(foreign), client.get(missing)
    assert foreign_response.status_code == missing_response.status_code == 404
    assert foreign_response.content == missing_response.content
    # The owner itself does reach it, so the 404 above is the policy, not a broken route.
    assert verified_client(police_user).get(foreign).status_code == 200
