"""`tiltas import`: the command-line contract (exit 0 stored, 1 refused with CSV errors on
standard error, 2 wrong usage), through call_command and as a real process."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tiltas.audit.models import AuditEntry
from tiltas.exchange.registry import kind_get
from tiltas.exchange.tests.factories import HEADER, clean_rows, rows_csv
from tiltas.jobs.models import Job, JobStatus
from tiltas.people.models import Person

pytestmark = pytest.mark.usefixtures("lt_profile")


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return code, out.getvalue(), err.getvalue()


def _write(tmp_path, content, name="people.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_list_prints_one_kind_per_line_kind_first():
    code, out, _ = _run("--list")
    assert code == 0
    kinds = [line.split()[0] for line in out.splitlines()]
    assert "person" in kinds


def test_csv_template_goes_to_standard_output():
    code, out, err = _run("person", "--template", "csv")
    assert code == 0
    assert err == ""
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(kind_get("person").column_names)
    assert len(rows) == 2


def test_xlsx_template_is_written_as_bytes():
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    call_command("import", "person", "--template", "xlsx", stdout=out)
    out.flush()
    workbook = load_workbook(io.BytesIO(raw.getvalue()))
    assert workbook.sheetnames == ["data", "columns"]


def test_import_stores_all_rows_for_the_organisation_as_a_system_import(tmp_path):
    code, out, err = _run(
        "person", _write(tmp_path, rows_csv(clean_rows(8))), "--organisation", "LT-SBGS"
    )
    assert (code, err) == (0, "")
    assert "stored 8 rows" in out
    assert Person.objects.filter(owner__code="LT-SBGS").count() == 8
    summary = AuditEntry.objects.get(action="import")
    assert (summary.channel, summary.actor_username, summary.organisation_code) == (
        "cli",
        "system",
        "LT-SBGS",
    )
    job = Job.objects.get()
    assert (job.status, job.organisation.code, job.channel) == (
        JobStatus.SUCCEEDED,
        "LT-SBGS",
        "cli",
    )


def test_refused_file_exits_1_with_csv_errors_on_standard_error_and_stores_nothing(tmp_path):
    rows = clean_rows(5)
    rows[1]["date_of_birth"] = "1990-13-01"
    rows[3]["citizenships"] = "=cmd|calc!A0"
    code, out, err = _run("person", _write(tmp_path, rows_csv(rows)), "--organisation", "LT-LCPB")
    assert code == 1
    assert out == ""
    lines = list(csv.reader(io.StringIO(err)))
    assert lines[0] == ["row", "column", "code", "message"]
    assert [line[:3] for line in lines[1:]] == [
        ["2", "date_of_birth", "invalid_date"],
        ["4", "citizenships", "unknown_country"],
    ]
    assert not lines[2][3].startswith(("=", "+", "-", "@"))
    assert Person.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_dry_run_exits_0_when_valid_and_1_when_not(tmp_path):
    path = _write(tmp_path, rows_csv(clean_rows(3)))
    code, out, _ = _run("person", path, "--organisation", "LT-LCPB", "--dry-run")
    assert code == 0
    assert "nothing stored" in out
    bad = clean_rows(3)
    bad[2]["sex"] = "female"
    path = _write(tmp_path, rows_csv(bad), "bad.csv")
    code, _, err = _run("person", path, "--organisation", "LT-LCPB", "--dry-run")
    assert code == 1
    assert "3,sex,invalid_choice," in err
    assert Person.objects.count() == 0


def test_progress_lines_go_to_standard_error_when_asked(tmp_path):
    path = _write(tmp_path, rows_csv(clean_rows(1200)))
    code, _, err = _run("person", path, "--organisation", "LT-LCPB", "--progress")
    assert code == 0
    lines = err.splitlines()
    assert "500/1200 validating" in lines
    assert "1200/1200 validating" in lines
    assert lines[-1] == "1200/1200 storing"


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("nosuchkind", "--template", "csv"),
        ("person",),
        ("person", "missing.csv", "--organisation", "LT-LCPB"),
        ("person", "{file}"),
        ("person", "{file}", "--organisation", "NO-SUCH-ORG"),
        ("person", "{file}", "--organisation", "LT-MOI"),
        ("person", "{file}", "--template", "csv"),
    ],
)
def test_wrong_usage_exits_2_and_stores_nothing(tmp_path, args):
    path = _write(tmp_path, rows_csv(clean_rows(2)))
    code, _, err = _run(*(arg.replace("{file}", path) for arg in args))
    assert code == 2
    assert err
    assert Person.objects.count() == 0


# A real process ----------------------------------------------------------------------------


def _tiltas():
    return str(Path(sys.executable).with_name("tiltas"))


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory):
    """A migrated SQLite database with the Lithuanian profile, for `tiltas` processes."""
    home = tmp_path_factory.mktemp("cli-home")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "TILTAS_", "DJANGO_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{home / 'tiltas.sqlite3'}",
        TILTAS_VAR_DIR=str(home),
    )
    for command in (["migrate", "--no-input"], ["load_profile"]):
        subprocess.run([_tiltas(), *command], env=env, check=True, capture_output=True, timeout=300)
    return home, env


def _process(env, *args, stdin=None):
    return subprocess.run(
        [_tiltas(), "import", *args], env=env, capture_output=True, timeout=300, input=stdin
    )


@pytest.mark.slow
def test_process_exit_codes_and_error_report(cli_home):
    home, env = cli_home
    listing = _process(env, "--list")
    assert listing.returncode == 0
    assert listing.stdout.decode().splitlines()[0].split()[0] == "person"

    good = home / "good.csv"
    good.write_bytes(rows_csv(clean_rows(50, prefix="PROC")))
    stored = _process(env, "person", str(good), "--organisation", "LT-LCPB")
    assert stored.returncode == 0, stored.stderr
    assert stored.stderr == b""

    rows = clean_rows(10, prefix="BAD")
    rows[6]["family_name"] = rows[6]["given_name"] = ""
    rows[6]["given_name_latin"] = rows[6]["family_name_latin"] = ""
    bad = home / "bad.csv"
    bad.write_bytes(rows_csv(rows))
    refused = _process(env, "person", str(bad), "--organisation", "LT-LCPB")
    assert refused.returncode == 1
    assert refused.stdout == b""
    lines = list(csv.reader(io.StringIO(refused.stderr.decode())))
    assert lines[0] == ["row", "column", "code", "message"]
    assert [line[:3] for line in lines[1:]] == [["7", "family_name", "required"]]

    # Each process costs a Django start-up: the other usage errors are covered in-process above.
    assert _process(env, "person", str(bad)).returncode == 2
    assert _process(env, "person", "--template", "pdf").returncode == 2

    again = _process(env, "person", "-", "--organisation", "LT-LCPB", stdin=good.read_bytes())
    assert again.returncode == 0
    assert b"50 unchanged" in again.stdout

    template = _process(env, "person", "--template", "xlsx")
    assert template.returncode == 0
    assert load_workbook(io.BytesIO(template.stdout)).sheetnames == ["data", "columns"]
    assert list(kind_get("person").column_names) == HEADER


@pytest.mark.slow
def test_process_killed_while_storing_leaves_nothing_stored(cli_home):
    """RL-03: SIGKILL in the middle of the store transaction -> 0 rows, database intact."""
    import signal
    import sqlite3

    home, env = cli_home
    path = home / "kill.csv"
    path.write_bytes(rows_csv(clean_rows(5000, prefix="KILL")))
    process = subprocess.Popen(
        [_tiltas(), "import", "person", str(path), "--organisation", "LT-LCPB", "--progress"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    try:
        for raw in process.stderr:
            line = raw.decode().strip()
            # The first batch is written and the transaction still open.
            if line == "1000/5000 storing":
                process.send_signal(signal.SIGKILL)
                break
        else:
            pytest.fail("the import never reached its store stage")
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    database = sqlite3.connect(home / "tiltas.sqlite3")
    try:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = database.execute(
            "SELECT count(*) FROM people_person WHERE external_id LIKE 'KILL-%'"
        ).fetchone()
        assert stored == (0,)
    finally:
        database.close()
