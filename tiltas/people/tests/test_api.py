"""The persons REST API per persona and per token: the same access policy as the pages, the audit
trail, mass-assignment refusal (AZ-06), optimistic locking (RL-01) and search by POST (API-05)."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tiltas.accounts.models import User
from tiltas.accounts.services import api_token_create, api_token_revoke
from tiltas.accounts.testing import persona, verified_client
from tiltas.audit.models import AuditEntry
from tiltas.audit.services import actor_for_user, system_actor
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person
from tiltas.people.selectors import person_identity
from tiltas.people.services import OBJECT_TYPE, person_create, persons_store

pytestmark = pytest.mark.usefixtures("lt_profile")

PERSONS = "/api/v1/persons/"
SEARCH = "/api/v1/persons/search/"


def _url(person) -> str:
    return f"{PERSONS}{person.pk}/"


def _token_client(user: User, **token_fields) -> Client:
    _, secret = api_token_create(user=user, name="integration", **token_fields)
    return Client(headers={"authorization": f"Token {secret}"})


def _record(user: User, **fields) -> Person:
    assert user.organisation is not None
    return person_create(
        actor=actor_for_user(user, channel="web"),
        owner=user.organisation,
        data=PersonInput(**fields),
        created_by=user,
    )


def _send(client: Client, method: str, url: str, body=None, **headers):
    return getattr(client, method)(
        url,
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=headers,
    )


def _api_reads(person) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action="read", object_type=OBJECT_TYPE, object_id=str(person.pk), channel="api"
        )
    )


@pytest.fixture
def officer():
    return persona("LT-LCPB", "caseworker")


@pytest.fixture
def ngo_worker():
    return persona("LT-NGO-CARITAS", "caseworker")


@pytest.fixture
def analyst():
    return persona("LT-LCPB", "analyst")


@pytest.fixture
def police_person(officer):
    return _record(
        officer,
        given_name="Rūta",
        family_name="Šiaulienė",
        given_name_latin="Ruta",
        family_name_latin="Siauliene",
        sex="F",
        status="presumed",
        date_of_birth=timezone.localdate().replace(year=1990, month=3, day=4),
        citizenships=["LTU", "UKR"],
        languages=["lt", "ru"],
        exploitation_forms=["labour", "sexual"],
        document_numbers=["AB123456"],
        contacts="+370 600 00000",
        notes="Met at the bus station.",
        external_id="LCPB-1",
    )


# --- authentication -------------------------------------------------------------------------


def test_anonymous_client_gets_401_with_a_token_challenge():
    response = Client().get(PERSONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("header", ["Token not-a-real-secret", "Token", "Token a b"])
def test_unknown_or_malformed_token_gets_401(header):
    response = Client(headers={"authorization": header}).get(PERSONS)
    assert response.status_code == 401


def test_revoked_token_gets_401(officer, police_person):
    token, secret = api_token_create(user=officer, name="revoked")
    client = Client(headers={"authorization": f"Token {secret}"})
    assert client.get(_url(police_person)).status_code == 200
    api_token_revoke(token=token)
    assert client.get(_url(police_person)).status_code == 401


def test_expired_token_gets_401(officer, police_person):
    client = _token_client(officer, expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(_url(police_person)).status_code == 401


def test_deactivated_users_token_gets_401(officer, police_person):
    client = _token_client(officer)
    assert client.get(PERSONS).status_code == 200
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert client.get(PERSONS).status_code == 401


def test_token_acts_as_its_user_on_the_api_channel(officer, police_person):
    client = _token_client(officer)
    assert client.get(_url(police_person)).status_code == 200
    [read] = _api_reads(police_person)
    assert read.actor_username == officer.username
    assert read.organisation_code == "LT-LCPB"
    assert read.roles == "caseworker"


def test_token_records_when_it_was_last_used(officer):
    token, secret = api_token_create(user=officer, name="integration")
    Client(headers={"authorization": f"Token {secret}"}).get(PERSONS)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_verified_browser_session_can_use_the_api(officer, police_person):
    response = verified_client(officer).get(_url(police_person))
    assert response.status_code == 200


def test_password_only_session_gets_401(officer, police_person):
    client = Client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(_url(police_person))
    assert response.status_code == 401
    assert _api_reads(police_person) == []


def test_api_responses_are_never_cached(officer, police_person):
    response = _token_client(officer).get(_url(police_person))
    assert response["Cache-Control"] == "no-store"


# --- list -----------------------------------------------------------------------------------


def test_police_caseworker_lists_own_persons_with_their_identity(officer, police_person):
    _record(persona("LT-NGO-CARITAS", "caseworker"), family_name="Ngo-only")
    response = _token_client(officer).get(PERSONS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [record] = body["results"]
    assert record == {
        "id": str(police_person.pk),
        "owner": "LT-LCPB",
        "version": 1,
        "status": "presumed",
        "sex": "F",
        "birth_year": 1990,
        "birth_year_estimated": False,
        "citizenships": ["LTU", "UKR"],
        "languages": ["lt", "ru"],
        "exploitation_forms": ["sexual", "labour"],
        "external_id": "LCPB-1",
        "recorded_on": police_person.recorded_on.isoformat(),
        "given_name": "Rūta",
        "family_name": "Šiaulienė",
        "given_name_latin": "Ruta",
        "family_name_latin": "Siauliene",
        "date_of_birth": "1990-03-04",
        "contacts": "+370 600 00000",
        "document_numbers": ["AB123456"],
        "notes": "Met at the bus station.",
    }


def test_every_listed_person_is_audited_as_an_api_read(officer, police_person):
    other = _record(officer, family_name="Second")
    _token_client(officer).get(PERSONS)
    assert len(_api_reads(police_person)) == 1
    assert len(_api_reads(other)) == 1
    assert _api_reads(other)[0].purpose == "list"


def test_list_page_size_is_capped_at_100(officer):
    persons_store(
        actor=system_actor(organisation_code="LT-LCPB"),
        owner=officer.organisation,
        inputs=[PersonInput(family_name=f"Person {n}") for n in range(101)],
        purpose="test",
    )
    body = _token_client(officer).get(PERSONS, {"limit": 10_000}).json()
    assert body["count"] == 101
    assert len(body["results"]) == 100
    assert "offset=100" in body["next"]
    assert AuditEntry.objects.filter(action="read", channel="api").count() == 100


def test_analyst_token_cannot_list_persons(analyst, police_person):
    response = _token_client(analyst).get(PERSONS)
    assert response.status_code == 404
    assert "Šiaulienė" not in response.content.decode()


def test_ministry_supervisor_lists_no_persons(police_person):
    # Ministries never see persons, whatever their role (OrganisationType.records_persons).
    response = _token_client(persona("LT-MOI", "supervisor")).get(PERSONS)
    assert response.status_code == 404


# --- read -----------------------------------------------------------------------------------


def test_get_returns_the_record_with_its_version_as_etag(officer, police_person):
    response = _token_client(officer).get(_url(police_person))
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json()["family_name"] == "Šiaulienė"
    assert len(_api_reads(police_person)) == 1


def test_ngo_caseworker_token_cannot_read_police_person(ngo_worker, police_person):
    client = _token_client(ngo_worker)
    forbidden = client.get(_url(police_person))
    missing = client.get(f"{PERSONS}{uuid.uuid4()}/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert "Šiaulienė" not in forbidden.content.decode()
    assert _api_reads(police_person) == []


def test_analyst_token_cannot_read_a_person_of_its_own_organisation(analyst, police_person):
    assert _token_client(analyst).get(_url(police_person)).status_code == 404


# --- create ---------------------------------------------------------------------------------


def test_create_records_a_person_owned_by_the_users_organisation(officer):
    response = _send(
        _token_client(officer),
        "post",
        PERSONS,
        {
            "family_name": "Kovalenko",
            "given_name": "Olena",
            "sex": "F",
            "status": "potential",
            "citizenships": ["ukr"],
            "languages": ["UK"],
            "document_numbers": ["FA 123456"],
            "external_id": "EXT-9",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert response["ETag"] == '"1"'
    assert response["Location"] == _url(person)
    assert person.owner == officer.organisation
    assert person.created_by == officer
    assert person.citizenships == ["UKR"]
    assert person.languages == ["uk"]
    assert body["owner"] == "LT-LCPB"
    assert person_identity(person).document_numbers == ["FA 123456"]
    created = AuditEntry.objects.get(action="create", object_id=str(person.pk))
    assert (created.channel, created.actor_username) == ("api", officer.username)


@pytest.mark.parametrize(
    "field, value",
    [
        ("owner", "LT-NGO-CARITAS"),
        ("id", "00000000-0000-0000-0000-000000000001"),
        ("version", 7),
        ("created_by", "someone"),
        ("identity_ciphertext", "x"),
    ],
)
def test_create_refuses_fields_the_server_sets(officer, field, value):
    response = _send(
        _token_client(officer), "post", PERSONS, {"family_name": "Kovalenko", field: value}
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == (field, "read_only")
    assert not Person.objects.exists()


def test_create_names_every_rejected_field_at_once(officer):
    response = _send(
        _token_client(officer),
        "post",
        PERSONS,
        {"family_name": "K", "owner": "LT-NGO-CARITAS", "version": 2, "shelter": "x"},
    )
    assert response.status_code == 400
    codes = {error["field"]: error["code"] for error in response.json()["errors"]}
    assert codes == {"owner": "read_only", "version": "read_only", "shelter": "unknown_field"}


def test_create_reports_each_invalid_field(officer):
    response = _send(
        _token_client(officer),
        "post",
        PERSONS,
        {
            "citizenships": ["XXX"],
            "sex": "Q",
            "date_of_birth": "not a date",
            "document_numbers": ["ok", "bad!number"],
        },
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"sex", "date_of_birth"}
    response = _send(
        _token_client(officer),
        "post",
        PERSONS,
        {"citizenships": ["XXX"], "document_numbers": ["bad!number"]},
    )
    errors = {(error["field"], error["code"]) for error in response.json()["errors"]}
    assert errors == {
        ("family_name", "required"),
        ("citizenships", "unknown_country"),
        ("document_numbers", "invalid"),
    }
    assert not Person.objects.exists()


def test_create_with_a_body_that_is_not_json_is_400(officer):
    response = _token_client(officer).post(
        PERSONS, data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_create_with_a_list_body_is_400(officer):
    response = _send(_token_client(officer), "post", PERSONS, [{"family_name": "K"}])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "non_field_errors"


def test_create_refuses_a_second_record_with_the_same_external_id(officer, police_person):
    response = _send(
        _token_client(officer), "post", PERSONS, {"family_name": "K", "external_id": "LCPB-1"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "external_id",
            "code": "duplicate",
            "message": "Your organisation already has a record with this external id.",
        }
    ]
    assert Person.objects.count() == 1


def test_analyst_token_cannot_create(analyst):
    response = _send(_token_client(analyst), "post", PERSONS, {"family_name": "K"})
    assert response.status_code == 404
    assert not Person.objects.exists()


# --- change (optimistic locking) ------------------------------------------------------------


def test_change_without_if_match_is_428_and_changes_nothing(officer, police_person):
    response = _send(_token_client(officer), "patch", _url(police_person), {"notes": "new"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    police_person.refresh_from_db()
    assert police_person.version == 1
    assert person_identity(police_person).notes == "Met at the bus station."


@pytest.mark.parametrize("if_match", ["*", "1", 'W/"1"', '"one"'])
def test_change_with_an_unusable_if_match_is_428(officer, police_person, if_match):
    response = _send(
        _token_client(officer), "patch", _url(police_person), {"notes": "new"}, if_match=if_match
    )
    assert response.status_code == 428


def test_stale_change_is_412_with_the_current_version_and_changes_nothing(officer, police_person):
    client = _token_client(officer)
    first = _send(client, "patch", _url(police_person), {"notes": "first"}, if_match='"1"')
    assert first.status_code == 200
    assert first["ETag"] == '"2"'
    stale = _send(client, "patch", _url(police_person), {"notes": "second"}, if_match='"1"')
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert "changed by someone else" in stale.json()["detail"]
    police_person.refresh_from_db()
    assert police_person.version == 2
    assert person_identity(police_person).notes == "first"
    assert AuditEntry.objects.filter(action="update", object_id=str(police_person.pk)).count() == 1


def test_patch_changes_only_the_fields_sent(officer, police_person):
    response = _send(
        _token_client(officer),
        "patch",
        _url(police_person),
        {"status": "identified", "notes": "Identified by the prosecutor."},
        if_match='"1"',
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["status"] == "identified"
    assert body["family_name"] == "Šiaulienė"
    assert body["document_numbers"] == ["AB123456"]
    assert body["external_id"] == "LCPB-1"
    police_person.refresh_from_db()
    assert police_person.status == "identified"


def test_patching_the_date_of_birth_moves_the_birth_year(officer, police_person):
    response = _send(
        _token_client(officer),
        "patch",
        _url(police_person),
        {"date_of_birth": "1985-01-02"},
        if_match='"1"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["birth_year"] == 1985


def test_put_replaces_the_whole_record(officer, police_person):
    response = _send(
        _token_client(officer),
        "put",
        _url(police_person),
        {"family_name": "Petrova", "status": "potential"},
        if_match='"1"',
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["family_name"] == "Petrova"
    assert body["given_name"] == ""
    assert body["document_numbers"] == []
    assert body["recorded_on"] == police_person.recorded_on.isoformat()


def test_change_refuses_server_set_fields_and_changes_nothing(officer, police_person):
    response = _send(
        _token_client(officer),
        "patch",
        _url(police_person),
        {"owner": "LT-NGO-CARITAS", "notes": "moved"},
        if_match='"1"',
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "owner"
    police_person.refresh_from_db()
    assert (police_person.owner.code, police_person.version) == ("LT-LCPB", 1)


def test_invalid_change_is_400_and_changes_nothing(officer, police_person):
    response = _send(
        _token_client(officer),
        "put",
        _url(police_person),
        {"given_name": "", "family_name": ""},
        if_match='"1"',
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "family_name"
    police_person.refresh_from_db()
    assert police_person.version == 1


def test_ngo_token_cannot_change_police_person_even_with_the_right_version(
    ngo_worker, police_person
):
    client = _token_client(ngo_worker)
    response = _send(client, "patch", _url(police_person), {"notes": "x"}, if_match='"1"')
    assert response.status_code == 404
    # Without If-Match the answer is still 404: a 428 would reveal that the record exists.
    response = _send(client, "patch", _url(police_person), {"notes": "x"})
    assert response.status_code == 404
    police_person.refresh_from_db()
    assert police_person.version == 1


def test_analyst_token_cannot_change(analyst, police_person):
    response = _send(
        _token_client(analyst), "patch", _url(police_person), {"notes": "x"}, if_match='"1"'
    )
    assert response.status_code == 404


# --- search ---------------------------------------------------------------------------------


def test_search_by_name_matches_across_scripts(officer, police_person):
    _record(officer, family_name="Petrova")
    response = _send(_token_client(officer), "post", SEARCH, {"name": "Шяулене"})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(police_person.pk)]
    assert _api_reads(police_person)[0].purpose == "search"


def test_search_combines_criteria(officer, police_person):
    client = _token_client(officer)
    both = {"name": "Siauliene", "document_number": "ab 123456"}
    assert _send(client, "post", SEARCH, both).json()["count"] == 1
    wrong_date = {"name": "Siauliene", "date_of_birth": "1991-03-04"}
    assert _send(client, "post", SEARCH, wrong_date).json()["count"] == 0


def test_search_finds_only_the_users_organisations_persons(ngo_worker, police_person):
    response = _send(_token_client(ngo_worker), "post", SEARCH, {"name": "Šiaulienė"})
    assert response.json()["count"] == 0


@pytest.mark.parametrize("body", [{}, {"name": "  "}, {"name": "", "document_number": ""}])
def test_search_without_a_criterion_is_400(officer, body):
    response = _send(_token_client(officer), "post", SEARCH, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "no_criterion"


def test_search_with_no_searchable_word_is_400(officer):
    response = _send(_token_client(officer), "post", SEARCH, {"name": "---"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"


def test_search_never_reads_criteria_from_the_query_string(officer, police_person):
    client = _token_client(officer)
    assert client.get(SEARCH, {"name": "Siauliene"}).status_code == 405
    response = client.post(f"{SEARCH}?name=Siauliene", content_type="application/json")
    assert response.status_code == 400
    assert _api_reads(police_person) == []


def test_an_item_of_a_list_refused_by_the_schema_is_named_with_its_field(officer):
    response = _send(
        _token_client(officer),
        "post",
        PERSONS,
        {"family_name": "Test", "citizenships": ["LTU", "TOOLONG"]},
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"citizenships[1]"}
    assert not Person.objects.exists()
