"""API-01: Schemathesis over the whole OpenAPI schema (every operation it lists, including those
other domains add), as a police caseworker's token, an NGO supervisor's token and an anonymous
client. No server error, every status code and body as documented, and no operation that
declares authentication answers without it.

Each example starts from the same clean database state: the one the fixtures built (the Lithuanian
profile, the callers and one person recorded by each organisation). Hypothesis runs many examples
inside one test function, and pytest fixtures run once per function, not per example, so the
reset happens in the test body: every example runs inside a savepoint that is rolled back at its
end, whether it passed or failed. This is what django.test.TestCase does per test, done per
example; it works because the application is called in-process, in this thread, on this database
connection (see the `wsgi_application` fixture), and it keeps an example at a few milliseconds
instead of re-creating the database.
"""

from typing import Any

import hypothesis.strategies as st
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import ApiIdentity, generated_schema

# The schema is generated at collection time, the way /api/schema/ generates it (so every
# operation any domain adds is collected as its own test); test_schema.py checks that the served
# schema is this one.
schema = schemathesis.openapi.from_dict(generated_schema())
schema.app = WSGIHandler()

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, ignored_auth]

# Where a generated example names a record: a random id (almost surely missing), a record the
# caller may reach, or one of another organisation (which must look missing).
TARGETS = st.sampled_from(["generated", "own", "foreign"])


def _point_at_seeded_records(case: Any, identity: ApiIdentity, target: str, current: bool) -> None:
    records = {"own": identity.own_records, "foreign": identity.foreign_records}.get(target, {})
    for name in list(case.path_parameters or {}):
        if name in records:
            case.path_parameters[name] = records[name]
    # Sometimes send the record's real version, so that changes can succeed and their 200
    # bodies are checked too.
    if current and case.headers and "If-Match" in case.headers:
        case.headers["If-Match"] = '"1"'


def _names_a_foreign_record(case: Any, identity: ApiIdentity, target: str) -> bool:
    return target == "foreign" and any(
        name in identity.foreign_records for name in (case.path_parameters or {})
    )


@pytest.fixture
def clean_state() -> dict[str, tuple[int, int]]:
    """The database state seen by the first example of a test, which every later one must see."""
    return {}


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    # The database state is reset per example in the test body (see the module docstring).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@schema.parametrize()
@schema.given(target=TARGETS, current_version=st.booleans())
@pytest.mark.usefixtures("requests_keep_the_connection")
def test_every_operation_behaves_as_documented(
    case: Any,
    target: str,
    current_version: bool,
    api_identity: ApiIdentity,
    clean_state: dict[str, tuple[int, int]],
) -> None:
    with transaction.atomic():
        assert api_identity.database_state() == clean_state.setdefault(
            "state", api_identity.database_state()
        ), "an earlier example left data behind"
        _point_at_seeded_records(case, api_identity, target, current_version)
        response = case.call_and_validate(headers=api_identity.headers, checks=CHECKS)
        if _names_a_foreign_record(case, api_identity, target):
            # AZ-03: another organisation's record is indistinguishable from a missing one.
            assert response.status_code in (401, 404), response.text
            assert "Seed record" not in response.text
        transaction.set_rollback(True)
