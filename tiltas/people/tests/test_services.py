from datetime import date

import pytest

from tiltas.accounts.testing import persona
from tiltas.audit.services import actor_for_user
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person
from tiltas.people.selectors import PersonSearch, person_identity, persons_search
from tiltas.people.services import (
    PersonValidationError,
    StaleEditError,
    person_create,
    person_update,
)

pytestmark = pytest.mark.usefixtures("lt_profile")


def _create(user, **fields):
    data = PersonInput(**fields)
    return person_create(
        actor=actor_for_user(user, channel="web"),
        owner=user.organisation,
        data=data,
        created_by=user,
    )


def test_diacritics_and_cyrillic_spellings_find_the_same_person():
    officer = persona("LT-LCPB", "caseworker")
    person = _create(
        officer, given_name="Rūta", family_name="Šiaulienė", date_of_birth=date(1990, 3, 4)
    )
    for spelling in ("Šiaulienė", "Siauliene", "Шяулене", "SIAULIENE ruta"):
        found = list(persons_search(user=officer, search=PersonSearch(name=spelling)))
        assert found == [person], spelling
    assert list(persons_search(user=officer, search=PersonSearch(name="Petraitis"))) == []


def test_search_never_crosses_organisations():
    officer = persona("LT-LCPB", "caseworker")
    ngo = persona("LT-NGO-CARITAS", "caseworker")
    _create(officer, given_name="Rūta", family_name="Šiaulienė")
    assert list(persons_search(user=ngo, search=PersonSearch(name="Siauliene"))) == []


def test_identity_is_stored_encrypted_and_reads_back():
    officer = persona("LT-LCPB", "caseworker")
    person = _create(officer, given_name="Олена", family_name="Коваленко", notes="canary-7731")
    stored = Person.objects.get(pk=person.pk)
    assert "canary-7731" not in stored.identity_ciphertext
    assert "Коваленко" not in stored.identity_ciphertext
    assert person_identity(stored).notes == "canary-7731"


def test_stale_edit_is_refused_and_nothing_is_overwritten():
    officer = persona("LT-LCPB", "caseworker")
    person = _create(officer, family_name="Jonaitis")
    actor = actor_for_user(officer, channel="web")
    first = Person.objects.get(pk=person.pk)
    second = Person.objects.get(pk=person.pk)
    person_update(
        actor=actor, person=first, expected_version=1, data=PersonInput(family_name="Jonaitė")
    )
    with pytest.raises(StaleEditError) as caught:
        person_update(
            actor=actor, person=second, expected_version=1, data=PersonInput(family_name="Other")
        )
    assert caught.value.current_version == 2
    assert person_identity(Person.objects.get(pk=person.pk)).family_name == "Jonaitė"


def test_bad_input_names_each_field_and_stores_nothing():
    officer = persona("LT-LCPB", "caseworker")
    with pytest.raises(PersonValidationError) as caught:
        _create(officer, family_name="", citizenships=["XXX"], date_of_birth=date(2999, 1, 1))
    assert {error.field for error in caught.value.errors} == {
        "family_name",
        "citizenships",
        "date_of_birth",
    }
    assert Person.objects.count() == 0


def test_reimport_that_changes_only_clear_fields_is_stored():
    from tiltas.people.services import persons_store

    officer = persona("LT-LCPB", "caseworker")
    actor = actor_for_user(officer, channel="cli")
    row = PersonInput(family_name="Jonaitis", external_id="X-1", recorded_on=date(2024, 1, 2))
    first = persons_store(actor=actor, owner=officer.organisation, inputs=[row], purpose="import")
    again = persons_store(actor=actor, owner=officer.organisation, inputs=[row], purpose="import")
    assert (first.created, again.unchanged) == (1, 1)
    moved = PersonInput(family_name="Jonaitis", external_id="X-1", recorded_on=date(2024, 2, 3))
    changed = persons_store(actor=actor, owner=officer.organisation, inputs=[moved], purpose="x")
    assert changed.updated == 1
    stored = Person.objects.get(external_id="X-1")
    assert (stored.recorded_on, stored.version) == (date(2024, 2, 3), 2)
