"""RL-01 and RL-07: concurrent writers on a real database. Exactly one of several simultaneous
edits of the same version wins and nothing is lost; many simultaneous creators all succeed
without 'database is locked'; the audit chain stays one unbroken chain."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from tiltas.accounts.testing import load_test_profile, persona
from tiltas.audit.services import actor_for_user
from tiltas.audit.verify import audit_chain_verify
from tiltas.people.identity import PersonInput
from tiltas.people.models import Person
from tiltas.people.selectors import person_identity
from tiltas.people.services import StaleEditError, person_create, person_update

pytestmark = pytest.mark.django_db(transaction=True)


def _in_threads(count: int, work: Callable[[int], object]) -> list[object]:
    """Run work(i) in `count` threads released together; collect results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_concurrent_creators_all_succeed_and_the_chain_holds():
    load_test_profile()
    officer = persona("LT-LCPB", "caseworker")
    actor = actor_for_user(officer, channel="web")

    def create(index: int) -> Person:
        return person_create(
            actor=actor, owner=officer.organisation, data=PersonInput(family_name=f"Writer{index}")
        )

    results = _in_threads(20, create)
    failures = [result for result in results if isinstance(result, Exception)]
    assert failures == []
    assert Person.objects.count() == 20
    assert audit_chain_verify().ok
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchone()[0] == "ok"
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"


def test_only_one_of_several_simultaneous_edits_of_a_version_wins():
    load_test_profile()
    officer = persona("LT-LCPB", "caseworker")
    actor = actor_for_user(officer, channel="web")
    person = person_create(
        actor=actor, owner=officer.organisation, data=PersonInput(family_name="Start")
    )
    for round_number in range(15):
        version = Person.objects.get(pk=person.pk).version
        writers = 2 + round_number % 9

        def edit(index: int, version: int = version, round_number: int = round_number) -> str:
            record = Person.objects.get(pk=person.pk)
            name = f"Round{round_number}Writer{index}"
            person_update(
                actor=actor,
                person=record,
                expected_version=version,
                data=PersonInput(family_name=name),
            )
            return name

        results = _in_threads(writers, edit)
        winners = [result for result in results if isinstance(result, str)]
        losers = [result for result in results if isinstance(result, StaleEditError)]
        assert len(winners) == 1, results
        assert len(losers) == writers - 1, results
        stored = Person.objects.get(pk=person.pk)
        assert stored.version == version + 1
        assert person_identity(stored).family_name == winners[0]
    assert audit_chain_verify().ok
