"""POST /api/v1/imports/ and friends: the same framework, the same access rules."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tiltas.accounts.services import api_token_create
from tiltas.accounts.testing import persona
from tiltas.audit.models import AuditEntry
from tiltas.exchange.tests.factories import clean_rows, rows_csv
from tiltas.people.models import Person

pytestmark = pytest.mark.usefixtures("lt_profile")


def _client(user):
    _, secret = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Token {secret}")


def _post(client, content, **fields):
    data = {"kind": "person", "file": io.BytesIO(content), **fields}
    data["file"].name = "people.csv"
    return client.post("/api/v1/imports/", data)


def test_api_import_answers_201_with_the_job_and_counts(supervisor):
    client = _client(supervisor)
    response = _post(client, rows_csv(clean_rows(6)))
    assert response.status_code == 201
    body = response.json()
    assert (body["outcome"], body["status"], body["rows"], body["created"]) == (
        "stored",
        "succeeded",
        6,
        6,
    )
    assert body["errors"] == []
    assert response["Location"] == f"/api/v1/imports/{body['job']}/"
    assert Person.objects.count() == 6
    assert AuditEntry.objects.get(action="import").channel == "api"
    job = client.get(f"/api/v1/jobs/{body['job']}/").json()
    assert (job["status"], job["percent"], job["done"], job["total"]) == ("succeeded", 100, 6, 6)
    again = client.get(f"/api/v1/imports/{body['job']}/").json()
    assert again["outcome"] == "stored"


def test_api_refusal_answers_400_with_every_error_and_stores_nothing(supervisor):
    rows = clean_rows(5)
    rows[1]["birth_year"] = "19x0"
    rows[4]["external_id"] = rows[0]["external_id"]
    response = _post(_client(supervisor), rows_csv(rows))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [
        (2, "birth_year", "invalid_integer"),
        (5, "external_id", "duplicate_external_id"),
    ]
    assert Person.objects.count() == 0


def test_api_dry_run_answers_201_valid_and_stores_nothing(supervisor):
    response = _post(_client(supervisor), rows_csv(clean_rows(2)), dry_run="true")
    assert response.status_code == 201
    assert response.json()["outcome"] == "valid"
    assert Person.objects.count() == 0


def test_api_request_without_a_file_names_the_field(supervisor):
    response = _client(supervisor).post("/api/v1/imports/", {"kind": "person"})
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["file"]


@pytest.mark.parametrize(
    ("organisation", "role"), [("LT-LCPB", "caseworker"), ("LT-MOI", "supervisor")]
)
def test_api_import_is_404_for_those_who_may_not_import(organisation, role):
    client = _client(persona(organisation, role))
    assert _post(client, rows_csv(clean_rows(2))).status_code == 404
    assert client.get("/api/v1/imports/templates/person.csv").status_code == 404
    assert Person.objects.count() == 0


def test_api_unknown_kind_is_404(supervisor):
    client = _client(supervisor)
    assert _post(client, rows_csv(clean_rows(1)), kind="vehicle").status_code == 404


def test_api_import_of_another_organisation_is_404(supervisor):
    job = _post(_client(supervisor), rows_csv(clean_rows(1))).json()["job"]
    other = _client(persona("LT-NGO-CARITAS", "supervisor"))
    assert other.get(f"/api/v1/imports/{job}/").status_code == 404
    assert other.get(f"/api/v1/jobs/{job}/").status_code == 404


def test_api_templates(supervisor):
    client = _client(supervisor)
    csv_file = client.get("/api/v1/imports/templates/person.csv")
    assert csv_file.status_code == 200
    assert b"external_id" in csv_file.content
    xlsx = client.get("/api/v1/imports/templates/person.xlsx")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["data", "columns"]


def test_schema_describes_the_import_and_job_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "/api/v1/imports/" in paths
    assert "/api/v1/jobs/{job_id}/" in paths
    assert "multipart/form-data" in paths["/api/v1/imports/"]["post"]["requestBody"]["content"]


# The worker closes database connections between tasks: the test needs real commits.
@pytest.mark.django_db(transaction=True)
def test_with_a_worker_the_import_is_queued_then_run_by_db_worker(supervisor):
    """Production: the API answers 202 at once; `tiltas db_worker` runs the job later."""
    from django.core.management import call_command
    from django.test import override_settings

    from tiltas.core.encryption import open_json
    from tiltas.exchange.models import ImportRun

    client = _client(supervisor)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = _post(client, rows_csv(clean_rows(4)))
        assert response.status_code == 202
        job = response.json()["job"]
        assert client.get(f"/api/v1/jobs/{job}/").json()["status"] == "queued"
        run = ImportRun.objects.get(job_id=job)
        assert open_json(run.upload_ciphertext, run.upload_associated_data())["content"]
        assert Person.objects.count() == 0
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    body = client.get(f"/api/v1/imports/{job}/").json()
    assert (body["status"], body["outcome"], body["created"]) == ("succeeded", "stored", 4)
    assert Person.objects.count() == 4
    run.refresh_from_db()
    assert open_json(run.upload_ciphertext, run.upload_associated_data()) == {}
