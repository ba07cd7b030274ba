"""CR-01, CR-02, CR-04: identifying fields never reach the database in clear, tampering is
refused, and keys rotate with every record re-encrypted."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from tiltas.accounts.testing import persona
from tiltas.audit.services import actor_for_user
from tiltas.core.encryption import keyring
from tiltas.core.keys import KeyInUseError, key_retire, keys_usage
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person
from tiltas.people.selectors import (
    IdentityUnavailableError,
    PersonSearch,
    person_identity,
    persons_search,
)
from tiltas.people.services import person_create

pytestmark = pytest.mark.usefixtures("lt_profile")

CANARIES = ("Kanarėlė", "CANARY-DOC-55123", "canary-note-9982", "+37060000777")


def _person(user, **fields):
    return person_create(
        actor=actor_for_user(user, channel="web"),
        owner=user.organisation,
        data=PersonInput(**fields),
    )


def _all_database_text() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_no_identifying_value_is_stored_in_clear():
    officer = persona("LT-LCPB", "caseworker")
    _person(
        officer,
        given_name="Rūta",
        family_name=CANARIES[0],
        document_numbers=[CANARIES[1]],
        notes=CANARIES[2],
        contacts=CANARIES[3],
        date_of_birth=date(1991, 7, 13),
    )
    dump = _all_database_text()
    for canary in (*CANARIES, "1991-07-13", "Rūta"):
        assert canary not in dump, canary


def test_tampered_or_moved_ciphertext_is_never_shown():
    officer = persona("LT-LCPB", "caseworker")
    first = _person(officer, family_name="Pirmas")
    second = _person(officer, family_name="Antras")
    Person.objects.filter(pk=second.pk).update(identity_ciphertext=first.identity_ciphertext)
    with pytest.raises(IdentityUnavailableError):
        person_identity(Person.objects.get(pk=second.pk))
    text = first.identity_ciphertext
    flipped = text[:-5] + ("A" if text[-5] != "A" else "B") + text[-4:]
    Person.objects.filter(pk=first.pk).update(identity_ciphertext=flipped)
    with pytest.raises(IdentityUnavailableError):
        person_identity(Person.objects.get(pk=first.pk))


def test_rotation_reencrypts_every_record_and_retires_the_old_key():
    officer = persona("LT-LCPB", "caseworker")
    people = [_person(officer, family_name=f"Šiaulienė{n}", given_name="Rūta") for n in range(7)]
    old_key = keyring().active_key_id
    with pytest.raises(KeyInUseError):
        key_retire(key_id="nonexistent")
    call_command("keys", "rotate")
    new_key = keyring().active_key_id
    assert new_key != old_key
    usage = {item.key_id: item.ciphertexts for item in keys_usage()}
    assert usage == {old_key: 0, new_key: 7}
    call_command("keys", "retire", old_key)
    assert old_key not in keyring().data_keys
    for person in people:
        assert person_identity(Person.objects.get(pk=person.pk)).given_name == "Rūta"


def test_index_key_rotation_keeps_search_working():
    officer = persona("LT-LCPB", "caseworker")
    person = _person(officer, family_name="Šiaulienė", document_numbers=["LT 123"])
    old_index_key = keyring().index_key
    call_command("keys", "rotate", "--index-key")
    assert keyring().index_key != old_index_key
    assert list(persons_search(user=officer, search=PersonSearch(name="Шяулене"))) == [person]
    found = persons_search(user=officer, search=PersonSearch(document_number="lt123"))
    assert list(found) == [person]
