"""The people pages, per persona: who may see, record, search and change persons, and what the
audit trail keeps of it."""

import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tiltas.accounts.testing import persona, verified_client
from tiltas.audit.models import AuditEntry
from tiltas.audit.services import actor_for_user
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person
from tiltas.people.selectors import person_identity
from tiltas.people.services import OBJECT_TYPE, person_create, person_update

pytestmark = pytest.mark.usefixtures("lt_profile")


def _record(user, **fields):
    return person_create(
        actor=actor_for_user(user, channel="web"),
        owner=user.organisation,
        data=PersonInput(**fields),
        created_by=user,
    )


def _reads(person):
    return AuditEntry.objects.filter(
        action="read", object_type=OBJECT_TYPE, object_id=str(person.pk)
    )


def _form(**overrides):
    data = {
        "given_name": "Rūta",
        "family_name": "Šiaulienė",
        "status": "potential",
        "sex": "F",
        "date_of_birth": "1990-03-04",
        "birth_year": "",
        "citizenships": "ltu, ukr",
        "languages": "lt, ru",
        "document_numbers": "AB123456",
        "contacts": "",
        "notes": "",
        "external_id": "",
        "recorded_on": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def officer():
    return persona("LT-LCPB", "caseworker")


@pytest.fixture
def officer_client(officer):
    return verified_client(officer)


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("people:list", []),
        ("people:create", []),
        ("people:search", []),
        ("people:detail", [uuid.uuid4()]),
        ("people:edit", [uuid.uuid4()]),
    ],
)
def test_anonymous_visitor_is_sent_to_login(url_name, args):
    response = Client().get(reverse(url_name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_caseworker_sees_own_organisation_list_and_every_shown_person_is_audited(
    officer, officer_client
):
    own = _record(officer, given_name="Rūta", family_name="Šiaulienė")
    ngo = persona("LT-NGO-CARITAS", "caseworker")
    other = _record(ngo, given_name="Ona", family_name="Kazlauskienė")
    response = officer_client.get(reverse("people:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Šiaulienė" in body
    assert "Kazlauskienė" not in body
    assert _reads(own).filter(purpose="list", channel="web").count() == 1
    assert not _reads(other).exists()


def test_list_shows_25_persons_a_page(officer, officer_client):
    for number in range(30):
        _record(officer, family_name=f"Asmuo{number:02d}")
    first = officer_client.get(reverse("people:list"))
    second = officer_client.get(reverse("people:list"), {"page": 2})
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5
    assert AuditEntry.objects.filter(action="read", purpose="list").count() == 30


def test_police_cannot_open_ngo_person_and_the_answer_equals_a_missing_record(officer_client):
    ngo = persona("LT-NGO-CARITAS", "caseworker")
    person = _record(ngo, given_name="Ona", family_name="Kazlauskienė")
    for url_name in ("people:detail", "people:edit"):
        forbidden = officer_client.get(reverse(url_name, args=[person.pk]))
        missing = officer_client.get(reverse(url_name, args=[uuid.uuid4()]))
        assert forbidden.status_code == missing.status_code == 404
        assert forbidden.content == missing.content
        assert "Kazlauskienė" not in forbidden.content.decode()
    refused_edit = officer_client.post(
        reverse("people:edit", args=[person.pk]), _form(version=person.version)
    )
    assert refused_edit.status_code == 404
    assert person_identity(Person.objects.get(pk=person.pk)).family_name == "Kazlauskienė"
    assert not _reads(person).exists()


@pytest.mark.parametrize(
    "organisation, role",
    [
        ("LT-LCPB", "analyst"),
        ("LT-LCPB", "administrator"),
        ("LT-NR", "rapporteur"),
        ("LT-MOI", "caseworker"),  # a ministry never records persons, whatever the role
    ],
)
def test_roles_without_personal_access_see_no_person_page(officer, organisation, role):
    person = _record(officer, given_name="Rūta", family_name="Šiaulienė")
    client = verified_client(persona(organisation, role))
    for url_name, args in (
        ("people:list", []),
        ("people:create", []),
        ("people:search", []),
        ("people:detail", [person.pk]),
        ("people:edit", [person.pk]),
    ):
        response = client.get(reverse(url_name, args=args))
        assert response.status_code == 404, url_name
    assert client.post(reverse("people:search"), {"name": "Siauliene"}).status_code == 404
    assert client.post(reverse("people:create"), _form()).status_code == 404
    assert Person.objects.count() == 1
    assert not _reads(person).exists()


def test_search_by_post_finds_siauliene_by_ascii_spelling(officer, officer_client):
    person = _record(officer, given_name="Rūta", family_name="Šiaulienė")
    _record(officer, given_name="Jonas", family_name="Petraitis")
    response = officer_client.post(reverse("people:search"), {"name": "Siauliene"})
    assert response.status_code == 200
    assert [row.person for row in response.context["rows"]] == [person]
    body = response.content.decode()
    assert "Šiaulienė" in body
    assert "Petraitis" not in body
    assert _reads(person).filter(purpose="search").count() == 1


def test_search_never_takes_a_name_from_the_url(officer, officer_client):
    _record(officer, given_name="Rūta", family_name="Šiaulienė")
    response = officer_client.get(reverse("people:search"), {"name": "Siauliene"})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Šiaulienė" not in response.content.decode()
    form_html = officer_client.get(reverse("people:list")).content.decode()
    assert 'method="post" action="/people/search/"' in form_html


def test_htmx_search_answers_with_the_results_fragment_only(officer, officer_client):
    _record(officer, given_name="Rūta", family_name="Šiaulienė")
    response = officer_client.post(
        reverse("people:search"), {"name": "ŠIAULIENĖ"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "Šiaulienė" in body
    assert "<html" not in body
    assert 'id="person-search"' in body


def test_empty_search_asks_for_a_criterion(officer_client):
    response = officer_client.post(reverse("people:search"), {"name": "  "})
    assert "Give a name, a date of birth or a document number." in response.content.decode()


def test_search_by_document_number_and_date_of_birth(officer, officer_client):
    person = _record(
        officer, family_name="Jonaitis", date_of_birth=date(1985, 1, 2), document_numbers=["X 12"]
    )
    found = officer_client.post(
        reverse("people:search"), {"document_number": "x12", "date_of_birth": "1985-01-02"}
    )
    assert [row.person for row in found.context["rows"]] == [person]
    none = officer_client.post(
        reverse("people:search"), {"document_number": "x12", "date_of_birth": "1985-01-03"}
    )
    assert none.context["rows"] == []


def test_detail_shows_the_identity_and_writes_exactly_one_read_entry(officer, officer_client):
    person = _record(
        officer,
        given_name="Олена",
        family_name="Коваленко",
        given_name_latin="Olena",
        family_name_latin="Kovalenko",
        notes="canary-5521",
    )
    before = AuditEntry.objects.count()
    response = officer_client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Коваленко" in body and "Kovalenko" in body and "canary-5521" in body
    assert AuditEntry.objects.count() == before + 1
    entry = _reads(person).get()
    assert (entry.channel, entry.actor_username, entry.purpose) == ("web", officer.username, "view")


def test_caseworker_records_a_person_and_the_creation_is_audited(officer, officer_client):
    response = officer_client.post(reverse("people:create"), _form())
    assert response.status_code == 302
    person = Person.objects.get()
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.owner == officer.organisation
    assert person.created_by == officer
    assert person.citizenships == ["LTU", "UKR"]
    assert person.languages == ["lt", "ru"]
    identity = person_identity(person)
    assert (identity.given_name, identity.family_name) == ("Rūta", "Šiaulienė")
    assert identity.document_numbers == ["AB123456"]
    create = AuditEntry.objects.get(action="create", object_id=str(person.pk))
    assert create.channel == "web"


def test_bad_input_names_each_field_and_records_nothing(officer_client):
    response = officer_client.post(
        reverse("people:create"),
        _form(
            given_name="",
            family_name="",
            citizenships="LTU, XXX",
            languages="zz",
            date_of_birth="2999-01-01",
        ),
    )
    assert response.status_code == 200
    assert Person.objects.count() == 0
    errors = response.context["form"].errors
    assert set(errors) >= {"family_name", "citizenships", "languages", "date_of_birth"}
    body = response.content.decode()
    assert "Give at least one name (any script)." in body
    assert "“XXX” is not an ISO 3166 alpha-3 country code" in body
    assert "“zz” is not an ISO 639 language code" in body
    assert "The date of birth is in the future." in body
    # The message is bound to its input for screen readers.
    assert 'aria-describedby="id_citizenships_helptext id_citizenships_error"' in body
    assert 'id="id_citizenships_error"' in body


def test_unparseable_date_names_the_field(officer_client):
    response = officer_client.post(reverse("people:create"), _form(date_of_birth="31 Feb"))
    assert response.status_code == 200
    assert "date_of_birth" in response.context["form"].errors
    assert Person.objects.count() == 0


def test_edit_saves_a_change_from_the_current_version(officer, officer_client):
    person = _record(officer, given_name="Jonas", family_name="Jonaitis")
    page = officer_client.get(reverse("people:edit", args=[person.pk]))
    assert page.context["form"].initial["version"] == 1
    response = officer_client.post(
        reverse("people:edit", args=[person.pk]),
        _form(given_name="Jonas", family_name="Jonaitis", status="presumed", version=1),
    )
    assert response.status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert (stored.version, stored.status) == (2, "presumed")
    assert AuditEntry.objects.filter(action="update", object_id=str(person.pk)).count() == 1


def test_stale_edit_is_refused_with_the_current_version_and_the_input_is_kept(
    officer, officer_client
):
    person = _record(officer, given_name="Jonas", family_name="Jonaitis")
    colleague = persona("LT-LCPB", "caseworker", username="colleague")
    person_update(
        actor=actor_for_user(colleague, channel="web"),
        person=Person.objects.get(pk=person.pk),
        expected_version=1,
        data=PersonInput(given_name="Jonas", family_name="Jonaitytė"),
    )
    response = officer_client.post(
        reverse("people:edit", args=[person.pk]),
        _form(given_name="Jonas", family_name="Mano-Pakeitimas", version=1),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else changed this record while you were editing it" in body
    assert "it is now at version 2" in body
    assert 'value="Mano-Pakeitimas"' in body
    stored = Person.objects.get(pk=person.pk)
    assert stored.version == 2
    assert person_identity(stored).family_name == "Jonaitytė"
    assert AuditEntry.objects.filter(action="update", object_id=str(person.pk)).count() == 1


def test_edit_without_a_version_is_refused(officer, officer_client):
    person = _record(officer, family_name="Jonaitis")
    response = officer_client.post(
        reverse("people:edit", args=[person.pk]), _form(family_name="Kitas")
    )
    assert response.status_code == 200
    assert "version" in response.context["form"].errors
    assert person_identity(Person.objects.get(pk=person.pk)).family_name == "Jonaitis"


def test_no_person_page_puts_a_name_in_a_link(officer, officer_client):
    _record(officer, given_name="Rūta", family_name="Šiaulienė")
    body = officer_client.get(reverse("people:list")).content.decode()
    for fragment in body.split('href="')[1:]:
        link = fragment.split('"', 1)[0]
        assert "iaulien" not in link and "R%C5%AB" not in link
