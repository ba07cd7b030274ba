"""`tiltas link FILE.csv --out CLUSTERS.csv`: file in, file out, no database."""

import csv
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tiltas.linkage.engine.evaluation import pairwise_score

pytestmark = pytest.mark.nodb

DATA = Path(__file__).parent / "data"
HEADER = "record_id,source,given_name,family_name,date_of_birth,sex,citizenship\n"


def run_link(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tiltas", "link", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_linking_a_file_writes_a_cluster_for_every_record(tmp_path):
    out = tmp_path / "clusters.csv"
    completed = run_link(str(DATA / "persons-sample.csv"), "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    with out.open(encoding="utf-8") as stream:
        assert stream.readline() == "record_id,cluster_id\n"
    with out.open(encoding="utf-8") as stream:
        clusters = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(stream)}
    with (DATA / "persons-sample-truth.csv").open(encoding="utf-8") as stream:
        truth = {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}
    assert set(clusters) == set(truth)
    assert pairwise_score(predicted=clusters, truth=truth).f1 >= 0.975  # measured 0.987
    # Levels that EM sees no pair at keep their m-probabilities: nothing to alarm the user with.
    assert "unable to train m value" not in completed.stderr


def test_impossible_values_become_unknown_with_a_warning_naming_the_row(tmp_path):
    source = write(
        tmp_path / "in.csv",
        HEADER + "a,police,Jonas,Jonaitis,1945-04-93,M,LTU\n"
        "b,ngo,Jonas,JONAITIS,1945,X,\n"
        "c,border,Олена,Шевченко,,,UKR\n",
    )
    out, stderr = tmp_path / "out.csv", StringIO()
    call_command("link", str(source), "--out", str(out), stderr=stderr, stdout=StringIO())
    assert "row 2: date_of_birth treated as unknown" in stderr.getvalue()
    assert "row 3: sex 'X' treated as unknown" in stderr.getvalue()
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "record_id,cluster_id"
    assert [row.split(",")[0] for row in rows[1:]] == ["a", "b", "c"]


def test_missing_or_duplicated_record_ids_refuse_the_file_naming_rows(tmp_path):
    source = write(
        tmp_path / "in.csv",
        HEADER + "a,police,Jonas,Jonaitis,,M,LTU\n,ngo,Rasa,,,,\na,ngo,Rasa,,,,\n",
    )
    out, stderr = tmp_path / "out.csv", StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("link", str(source), "--out", str(out), stderr=stderr)
    assert caught.value.returncode == 1
    assert "row 3: record_id is empty" in stderr.getvalue()
    assert "row 4: record_id 'a' already used in row 2" in stderr.getvalue()
    assert not out.exists()


def test_refused_file_exits_1_with_rows_on_standard_error(tmp_path):
    source = write(tmp_path / "in.csv", HEADER + "a,police,,,,,\na,ngo,,,,,\n")
    completed = run_link(str(source), "--out", str(tmp_path / "out.csv"))
    assert completed.returncode == 1
    assert "row 3: record_id 'a' already used in row 2" in completed.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(HEADER.encode() + "a,police,Šarūnas,,,,\n".encode("cp1257"))
    with pytest.raises(CommandError) as caught:
        call_command("link", str(source), "--out", str(tmp_path / "out.csv"))
    assert caught.value.returncode == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ("{source}",),  # --out missing
        ("{source}", "--out", "{out}", "--backend", "oracle"),
        ("{missing}", "--out", "{out}"),
        ("{source}", "--out", "{nowhere}"),
    ],
)
def test_wrong_usage_exits_2(tmp_path, arguments):
    source = write(tmp_path / "in.csv", HEADER + "a,police,Jonas,,,,\n")
    paths = {
        "source": str(source),
        "out": str(tmp_path / "out.csv"),
        "missing": str(tmp_path / "missing.csv"),
        "nowhere": str(tmp_path / "no" / "such" / "dir.csv"),
    }
    completed = run_link(*(argument.format(**paths) for argument in arguments))
    assert completed.returncode == 2, completed.stderr
    assert not (tmp_path / "out.csv").exists()


def test_optional_address_columns_are_compared_when_present(tmp_path):
    with (DATA / "persons-sample.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))[:300]
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=[*rows[0], "address", "postcode", "locality"])
        writer.writeheader()
        for number, row in enumerate(rows):
            place = [("LT-01103", "Vilnius"), ("LT-44280", "Kaunas"), ("", "")][number % 3]
            writer.writerow({**row, "address": "Gedimino pr. 1", "postcode": place[0],
                             "locality": place[1]})  # fmt: skip
    out = tmp_path / "out.csv"
    call_command("link", str(source), "--out", str(out), stdout=StringIO(), stderr=StringIO())
    with out.open(encoding="utf-8") as stream:
        assert [row["record_id"] for row in csv.DictReader(stream)] == [
            row["record_id"] for row in rows
        ]
