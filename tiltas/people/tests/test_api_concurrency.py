"""RL-01 through the API: concurrent changes made on the same version, in real threads with their
own database connections. Exactly one wins; the others get 412 and nothing is lost or merged."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from tiltas.accounts.services import api_token_create
from tiltas.accounts.testing import persona
from tiltas.audit.models import AuditEntry
from tiltas.audit.services import actor_for_user
from tiltas.people.identity import PersonInput
from tiltas.people.selectors import person_identity
from tiltas.people.services import person_create

WRITERS = 6
ROUNDS = 3


def _race(url: str, secret: str, version: int) -> dict[int, int]:
    """WRITERS clients send a change made on `version` at the same moment; their status codes."""
    barrier = threading.Barrier(WRITERS)
    outcomes: dict[int, int] = {}

    def write(writer: int) -> None:
        client = Client(headers={"authorization": f"Token {secret}"})
        try:
            barrier.wait(timeout=30)
            response = client.patch(
                url,
                data=json.dumps({"notes": f"version {version} writer {writer}"}),
                content_type="application/json",
                headers={"if-match": f'"{version}"'},
            )
            outcomes[writer] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("lt_profile")
def test_concurrent_changes_from_one_version_let_exactly_one_win():
    officer = persona("LT-LCPB", "caseworker")
    assert officer.organisation is not None
    person = person_create(
        actor=actor_for_user(officer, channel="web"),
        owner=officer.organisation,
        data=PersonInput(family_name="Concurrent"),
    )
    _, secret = api_token_create(user=officer, name="load")
    url = f"/api/v1/persons/{person.pk}/"

    for version in range(1, ROUNDS + 1):
        outcomes = _race(url, secret, version)
        assert sorted(outcomes.values()) == [200] + [412] * (WRITERS - 1), outcomes
        [winner] = [writer for writer, code in outcomes.items() if code == 200]
        person.refresh_from_db()
        assert person.version == version + 1
        assert person_identity(person).notes == f"version {version} writer {winner}"

    # Only accepted writes reach the audit trail.
    updates = AuditEntry.objects.filter(action="update", object_id=str(person.pk))
    assert [entry.detail["version"] for entry in updates] == [2, 3, 4]
