"""RL-03: a 10,000-row file with errors at random places stores nothing and lists every error;
a clean 10,000-row file stores every row; importing it again creates no duplicate."""

import csv
import io

import pytest
from django.core.management import call_command

from tiltas.audit.models import AuditEntry
from tiltas.exchange.tests.factories import clean_rows, rows_csv, rows_with_errors
from tiltas.people.models import Person

pytestmark = [pytest.mark.usefixtures("lt_profile"), pytest.mark.slow]

ROWS = 10_000


def _import(path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import", "person", str(path), "--organisation", "LT-LCPB", stdout=out, stderr=err
        )
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_bad_rows_at_random_places_store_nothing_and_every_error_is_listed(tmp_path):
    rows, injected = rows_with_errors(ROWS, 137, seed=20240318)
    path = tmp_path / "bad.csv"
    path.write_bytes(rows_csv(rows))
    code, out, err = _import(path)
    assert code == 1
    assert out == ""
    reported = list(csv.DictReader(io.StringIO(err)))
    assert {(int(e["row"]), e["column"], e["code"]) for e in reported} == {
        (error.row, error.column, error.code) for error in injected
    }
    assert len(reported) == len(injected)
    assert all(e["message"] for e in reported)
    assert Person.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_clean_file_stores_every_row_and_a_second_import_duplicates_nothing(tmp_path):
    path = tmp_path / "clean.csv"
    path.write_bytes(rows_csv(clean_rows(ROWS, seed=99)))
    code, out, err = _import(path)
    assert (code, err) == (0, "")
    assert f"stored {ROWS} rows: {ROWS} created, 0 updated, 0 unchanged" in out
    assert Person.objects.filter(owner__code="LT-LCPB").count() == ROWS

    code, out, _ = _import(path)
    assert code == 0
    assert f"0 created, 0 updated, {ROWS} unchanged" in out
    assert Person.objects.count() == ROWS
    assert AuditEntry.objects.filter(action="create").count() == ROWS
    assert AuditEntry.objects.filter(action="import").count() == 2
