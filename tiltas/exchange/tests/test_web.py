"""The import pages: upload as a supervisor, progress and result, the error report, templates."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tiltas.accounts.models import Organisation
from tiltas.accounts.testing import persona, verified_client
from tiltas.audit.models import AuditEntry
from tiltas.exchange.registry import kind_get
from tiltas.exchange.services import _run_create
from tiltas.exchange.tests.factories import clean_rows, rows_csv
from tiltas.people.models import Person

pytestmark = pytest.mark.usefixtures("lt_profile")


def _upload(client, content, *, dry_run=False, name="people.csv"):
    data = {"kind": "person", "file": SimpleUploadedFile(name, content, "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("exchange:upload"), data)


def test_supervisor_uploads_a_file_and_sees_it_stored(supervisor):
    client = verified_client(supervisor)
    page = client.get(reverse("exchange:upload"))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = _upload(client, rows_csv(clean_rows(7)))
    assert response.status_code == 302
    result = client.get(response["Location"])
    html = result.content.decode()
    assert "All 7 rows stored." in html
    assert Person.objects.filter(owner=supervisor.organisation).count() == 7
    summary = AuditEntry.objects.get(action="import")
    assert (summary.channel, summary.actor_username) == ("web", supervisor.username)
    assert AuditEntry.objects.filter(action="create", actor_id=str(supervisor.pk)).count() == 7


def test_refused_upload_lists_every_error_and_offers_a_safe_report(supervisor):
    rows = clean_rows(4)
    rows[0]["citizenships"] = "=1+2"
    rows[2]["date_of_birth"] = "yesterday"
    client = verified_client(supervisor)
    result = client.get(_upload(client, rows_csv(rows))["Location"])
    html = result.content.decode()
    assert "The file was refused; nothing was stored" in html
    assert "date_of_birth" in html
    assert Person.objects.count() == 0
    job_id = result.context["job"].pk
    report = client.get(reverse("exchange:error_report", args=[job_id]))
    assert report["Content-Type"].startswith("text/csv")
    text = report.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["row", "column", "code", "message"]
    assert [line[:3] for line in lines[1:]] == [
        ["1", "citizenships", "unknown_country"],
        ["3", "date_of_birth", "invalid_date"],
    ]
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_dry_run_from_the_page_stores_nothing(supervisor):
    client = verified_client(supervisor)
    result = client.get(_upload(client, rows_csv(clean_rows(3)), dry_run=True)["Location"])
    assert "Nothing was stored: this was a dry run." in result.content.decode()
    assert Person.objects.count() == 0


def test_form_refuses_a_missing_file_naming_the_field(supervisor):
    client = verified_client(supervisor)
    response = client.post(reverse("exchange:upload"), {"kind": "person"})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize(
    ("organisation", "role"),
    [("LT-LCPB", "caseworker"), ("LT-LCPB", "analyst"), ("LT-MOI", "supervisor")],
)
def test_who_may_not_import_gets_404_and_nothing_is_stored(organisation, role):
    client = verified_client(persona(organisation, role))
    assert client.get(reverse("exchange:upload")).status_code == 404
    assert _upload(client, rows_csv(clean_rows(2))).status_code == 404
    assert client.get(reverse("exchange:templates")).status_code == 404
    url = reverse("exchange:template_download", args=["person", "csv"])
    assert client.get(url).status_code == 404
    assert Person.objects.count() == 0


def test_another_organisations_import_result_is_404(supervisor):
    client = verified_client(supervisor)
    bad = clean_rows(2)
    bad[0]["status"] = "nope"
    job_id = client.get(_upload(client, rows_csv(bad))["Location"]).context["job"].pk
    other = verified_client(persona("LT-NGO-CARITAS", "supervisor"))
    assert other.get(reverse("exchange:result", args=[job_id])).status_code == 404
    assert other.get(reverse("exchange:error_report", args=[job_id])).status_code == 404
    caseworker = verified_client(persona("LT-LCPB", "caseworker"))
    assert caseworker.get(reverse("exchange:result", args=[job_id])).status_code == 404


def test_result_page_shows_progress_while_the_job_waits(supervisor):
    run = _run_create(
        kind=kind_get("person"),
        organisation=supervisor.organisation,
        started_by=supervisor,
        channel="web",
        dry_run=False,
        content=b"external_id\n",
        keep_upload=True,
    )
    client = verified_client(supervisor)
    html = client.get(reverse("exchange:result", args=[run.job_id])).content.decode()
    assert "<progress" in html
    assert reverse("jobs:progress", args=[run.job_id]) in html


def test_templates_page_describes_every_column_and_downloads_both_formats(supervisor):
    client = verified_client(supervisor)
    html = client.get(reverse("exchange:templates")).content.decode()
    for column in kind_get("person").columns:
        assert column.name in html
    csv_file = client.get(reverse("exchange:template_download", args=["person", "csv"]))
    assert csv_file.content.startswith(b"\xef\xbb\xbfexternal_id,")
    assert "attachment" in csv_file["Content-Disposition"]
    xlsx = client.get(reverse("exchange:template_download", args=["person", "xlsx"]))
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["data", "columns"]


def test_uploaded_file_is_kept_only_sealed_and_wiped_after_the_run(supervisor):
    from tiltas.core.encryption import open_json
    from tiltas.exchange.models import ImportRun

    rows = clean_rows(2)
    rows[0]["family_name"] = "Canaryte"
    client = verified_client(supervisor)
    _upload(client, rows_csv(rows))
    run = ImportRun.objects.get()
    assert "Canaryte" not in run.upload_ciphertext
    assert open_json(run.upload_ciphertext, run.upload_associated_data()) == {}
    assert Organisation.objects.filter(pk=run.job.organisation_id).exists()


def test_uploaded_file_never_touches_the_disk(supervisor, tmp_path):
    from django.test import override_settings

    # With Django's own handlers a file over 10 bytes would be spooled into this (missing)
    # directory and the request would fail.
    with override_settings(
        FILE_UPLOAD_MAX_MEMORY_SIZE=10, FILE_UPLOAD_TEMP_DIR=str(tmp_path / "missing")
    ):
        client = verified_client(supervisor)
        assert _upload(client, rows_csv(clean_rows(30))).status_code == 302
        api = _api_client(supervisor)
        data = {"kind": "person", "file": SimpleUploadedFile("p.csv", rows_csv(clean_rows(3)))}
        assert api.post("/api/v1/imports/", data).status_code == 201


def test_too_large_upload_is_refused_with_a_clear_message(supervisor):
    from django.test import override_settings

    with override_settings(EXCHANGE_MAX_FILE_BYTES=2000):
        client = verified_client(supervisor)
        response = _upload(client, rows_csv(clean_rows(50)))
        assert response.status_code == 200
        assert "larger than" in str(response.context["form"].errors["file"])
        api = _api_client(supervisor)
        data = {"kind": "person", "file": SimpleUploadedFile("p.csv", rows_csv(clean_rows(50)))}
        answer = api.post("/api/v1/imports/", data)
        assert answer.status_code == 400
        assert answer.json()["errors"][0]["code"] == "file_too_large"
    assert Person.objects.count() == 0


def test_upload_without_csrf_token_is_refused(supervisor):
    from django.test import Client

    client = verified_client(supervisor, Client(enforce_csrf_checks=True))
    assert _upload(client, rows_csv(clean_rows(2))).status_code == 403
    assert Person.objects.count() == 0


def _api_client(user):
    from django.test import Client

    from tiltas.accounts.services import api_token_create

    _, secret = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Token {secret}")
