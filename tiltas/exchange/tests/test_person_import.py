"""Importing persons: every error in one pass, all or nothing, idempotent re-import."""

import io
from datetime import date

from openpyxl import Workbook, load_workbook

from tiltas.audit.models import AuditEntry
from tiltas.audit.services import system_actor
from tiltas.exchange.models import ImportOutcome
from tiltas.exchange.registry import kind_get, kinds_all
from tiltas.exchange.services import import_file
from tiltas.exchange.templates import template_csv_text, template_xlsx_bytes
from tiltas.exchange.tests.factories import HEADER, clean_rows, rows_csv
from tiltas.jobs.models import JobStatus
from tiltas.people.models import Person
from tiltas.people.selectors import person_identity

PERSON = "person"


def _import(organisation, content, *, dry_run=False):
    return import_file(
        kind=kind_get(PERSON),
        organisation=organisation,
        content=content,
        dry_run=dry_run,
        actor=system_actor(organisation_code=organisation.code, channel="cli"),
        channel="cli",
    )


def _triples(report):
    return [(error.row, error.column, error.code) for error in report.errors]


def test_person_kind_is_discovered_from_the_people_app():
    assert PERSON in [kind.name for kind in kinds_all()]


def test_clean_file_stores_every_row_for_the_importing_organisation(police):
    rows = clean_rows(25)
    rows[0].update(given_name="Олена", family_name="Коваленко", date_of_birth="1998-05-21")
    report = _import(police, rows_csv(rows))
    assert report.outcome == ImportOutcome.STORED
    assert report.job.status == JobStatus.SUCCEEDED
    assert Person.objects.filter(owner=police).count() == 25
    person = Person.objects.get(owner=police, external_id=rows[0]["external_id"])
    identity = person_identity(person)
    assert (identity.given_name, identity.family_name) == ("Олена", "Коваленко")
    assert identity.date_of_birth == date(1998, 5, 21)
    assert person.birth_year == 1998


def test_committed_import_is_audited_per_record_plus_one_summary_without_personal_values(police):
    rows = clean_rows(5)
    report = _import(police, rows_csv(rows))
    creates = AuditEntry.objects.filter(action="create", object_type="people.person")
    assert creates.count() == 5
    assert {entry.channel for entry in creates} == {"cli"}
    summary = AuditEntry.objects.get(action="import")
    assert summary.organisation_code == "LT-LCPB"
    assert summary.actor_username == "system"
    assert summary.detail == {
        "kind": PERSON,
        "rows": 5,
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "organisation": "LT-LCPB",
        "job": str(report.job.pk),
    }
    flat = str(list(AuditEntry.objects.values_list("detail", "purpose")))
    for row in rows:
        assert row["family_name"] not in flat
        assert row["date_of_birth"] not in flat


def test_one_bad_row_refuses_the_whole_file_and_stores_nothing(police):
    rows = clean_rows(30)
    rows[17]["date_of_birth"] = "21.05.1998"
    report = _import(police, rows_csv(rows))
    assert report.outcome == ImportOutcome.REFUSED
    assert report.job.status == JobStatus.FAILED
    assert _triples(report) == [(18, "date_of_birth", "invalid_date")]
    assert "YYYY-MM-DD" in report.errors[0].message
    assert Person.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_every_error_of_every_row_is_reported_in_one_pass(police):
    rows = clean_rows(6)
    rows[0].update(
        date_of_birth="1990-02-30", birth_year="nineteen", citizenships="LTU;XXX", sex="Q"
    )
    rows[2].update(
        given_name="", family_name="", given_name_latin="", family_name_latin="", status="victim"
    )
    rows[3].update(external_id="", recorded_on="2999-01-01", languages="zz", document_numbers="#!")
    rows[4].update(birth_year_estimated="maybe", date_of_birth="2999-01-01")
    report = _import(police, rows_csv(rows))
    assert sorted(_triples(report)) == sorted(
        [
            (1, "date_of_birth", "invalid_date"),
            (1, "birth_year", "invalid_integer"),
            (1, "citizenships", "unknown_country"),
            (1, "sex", "invalid_choice"),
            (3, "family_name", "required"),
            (3, "status", "invalid_choice"),
            (4, "external_id", "required"),
            (4, "recorded_on", "in_future"),
            (4, "languages", "unknown_language"),
            (4, "document_numbers", "invalid"),
            (5, "birth_year_estimated", "invalid_boolean"),
            (5, "date_of_birth", "in_future"),
        ]
    )
    assert Person.objects.count() == 0


def test_messages_are_those_of_the_forms_and_the_api(police):
    from tiltas.people.identity import PersonInput, person_input_errors

    rows = clean_rows(1)
    rows[0]["citizenships"] = "XXX"
    report = _import(police, rows_csv(rows))
    expected = person_input_errors(
        PersonInput(citizenships=["XXX"], family_name="x"), today=date.today()
    )
    assert [error.message for error in report.errors] == [error.message for error in expected]


def test_repeated_external_id_is_an_error_on_the_later_row(police):
    rows = clean_rows(4)
    rows[3]["external_id"] = rows[1]["external_id"]
    report = _import(police, rows_csv(rows))
    assert _triples(report) == [(4, "external_id", "duplicate_external_id")]
    assert "row 2" in report.errors[0].message


def test_unknown_and_missing_columns_are_reported_against_the_header(police):
    header = [name for name in HEADER if name != "notes"] + ["nickname", "given_name"]
    report = _import(police, rows_csv(clean_rows(3), header=header))
    assert sorted(_triples(report)) == [
        (0, "given_name", "duplicate_column"),
        (0, "nickname", "unknown_column"),
        (0, "notes", "missing_column"),
    ]


def test_header_names_are_matched_regardless_of_case_and_spaces(police):
    header = [f" {name.upper()} " for name in HEADER]
    content = rows_csv(clean_rows(2), header=HEADER).replace(
        ",".join(HEADER).encode(), ",".join(header).encode(), 1
    )
    assert _import(police, content).outcome == ImportOutcome.STORED


def test_file_without_rows_is_refused(police):
    report = _import(police, rows_csv([]))
    assert _triples(report) == [(0, "", "no_rows")]


def test_unreadable_file_is_refused_as_a_whole(police):
    report = _import(police, "external_id\nŠ\n".encode("cp1257"))
    assert _triples(report) == [(0, "", "invalid_encoding")]
    assert report.job.error_message


def test_dry_run_checks_everything_and_stores_nothing(police):
    report = _import(police, rows_csv(clean_rows(12)), dry_run=True)
    assert report.outcome == ImportOutcome.VALID
    assert report.run.rows == 12
    assert Person.objects.count() == 0
    assert not AuditEntry.objects.exists()
    bad = clean_rows(3)
    bad[1]["status"] = "unknown"
    report = _import(police, rows_csv(bad), dry_run=True)
    assert _triples(report) == [(2, "status", "invalid_choice")]


def test_reimport_updates_changed_rows_and_counts_the_rest_unchanged(police):
    rows = clean_rows(10)
    _import(police, rows_csv(rows))
    rows[4]["status"] = "identified"
    rows[4]["family_name"] = "Naujoji"
    report = _import(police, rows_csv(rows))
    assert (report.run.created, report.run.updated, report.run.unchanged) == (0, 1, 9)
    assert Person.objects.count() == 10
    person = Person.objects.get(external_id=rows[4]["external_id"])
    assert person.status == "identified"
    assert person_identity(person).family_name == "Naujoji"


def test_same_external_id_in_two_organisations_makes_two_records(police, lt_profile):
    from tiltas.accounts.models import Organisation

    ngo = Organisation.objects.get(code="LT-NGO-CARITAS")
    rows = clean_rows(3)
    _import(police, rows_csv(rows))
    _import(ngo, rows_csv(rows))
    assert Person.objects.filter(owner=police).count() == 3
    assert Person.objects.filter(owner=ngo).count() == 3


def test_template_columns_match_the_registry(lt_profile):
    kind = kind_get(PERSON)
    lines = template_csv_text(kind).splitlines()
    assert lines[0].split(",") == list(kind.column_names)
    assert len(lines) == 2
    workbook = load_workbook(io.BytesIO(template_xlsx_bytes(kind)))
    assert workbook.sheetnames == ["data", "columns"]
    data = [[cell.value or "" for cell in row] for row in workbook["data"].iter_rows()]
    assert data[0] == list(kind.column_names)
    assert data[1] == [column.example for column in kind.columns]
    described = list(workbook["columns"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in described] == list(kind.column_names)
    assert all(row[2] for row in described)
    assert [row[1] for row in described] == ["yes" if c.required else "no" for c in kind.columns]


def test_the_csv_template_itself_imports(police):
    content = template_csv_text(kind_get(PERSON)).encode()
    assert _import(police, content).outcome == ImportOutcome.STORED


def test_xlsx_round_trip_from_the_template(police):
    workbook = load_workbook(io.BytesIO(template_xlsx_bytes(kind_get(PERSON))))
    sheet = workbook["data"]
    rows = clean_rows(20)
    for row in rows:
        values: list[object] = [row[name] for name in HEADER]
        values[HEADER.index("date_of_birth")] = date.fromisoformat(row["date_of_birth"])
        values[HEADER.index("birth_year")] = None
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = _import(police, buffer.getvalue())
    assert report.outcome == ImportOutcome.STORED, report.errors
    assert report.run.rows == 21  # the example row and the twenty
    assert report.run.file_format == "xlsx"
    person = Person.objects.get(external_id=rows[0]["external_id"])
    assert person_identity(person).date_of_birth == date.fromisoformat(rows[0]["date_of_birth"])


def test_xlsx_formula_cell_refuses_the_file_naming_the_cell(police):
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(HEADER)
    for row in clean_rows(3):
        sheet.append([row[name] for name in HEADER])
    sheet["E3"] = '=HYPERLINK("http://evil.example","x")'
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = _import(police, buffer.getvalue())
    assert _triples(report) == [(2, "family_name", "formula")]
    assert "E3" in report.errors[0].message
    assert Person.objects.count() == 0


def test_csv_with_byte_order_mark_imports(police):
    content = rows_csv(clean_rows(4))
    assert _import(police, b"\xef\xbb\xbf" + content).outcome == ImportOutcome.STORED
    assert Person.objects.count() == 4


def test_text_that_looks_like_a_formula_is_stored_as_text(police):
    rows = clean_rows(1)
    rows[0]["notes"] = '=HYPERLINK("http://evil.example")'
    _import(police, rows_csv(rows))
    assert person_identity(Person.objects.get()).notes == rows[0]["notes"]
