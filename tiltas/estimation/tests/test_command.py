"""`tiltas estimate`: file in, result out, no database; clear errors and exit statuses."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tiltas.estimation.management.commands.estimate import Command as EstimateCommand

pytestmark = pytest.mark.nodb

DATA = Path(__file__).parent / "data"
REPOSITORY = Path(__file__).resolve().parents[3]
TILTAS = str(Path(sys.executable).parent / "tiltas")
JSON_KEYS = {
    "observed",
    "estimate",
    "dark_figure",
    "interval_95",
    "interval_80",
    "interval_kind",
    "model",
    "non_overlapping_pairs",
    "method",
    "seed",
    "bootstrap",
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TILTAS, "estimate", *args],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _json(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("estimate", *args, "--format", "json", stdout=out)
    output: dict[str, Any] = json.loads(out.getvalue())
    return output


def test_command_prints_the_new_orleans_estimate_as_json_with_the_agreed_keys():
    result = _run(str(DATA / "new_orleans_8list.csv"), "--format", "json")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output.keys() >= JSON_KEYS
    assert output["observed"] == 185
    assert output["estimate"] == pytest.approx(1183.7, abs=0.05)
    assert output["dark_figure"] == pytest.approx(output["estimate"] - 185)
    assert output["model"] == ["D:E"]
    assert output["non_overlapping_pairs"] == []
    assert output["interval_kind"] == "wald"
    assert output["method"] == "stepwise"
    assert output["seed"] == 1234
    assert output["bootstrap"] == 0
    low, high = output["interval_95"]
    assert low < output["estimate"] < high


def test_command_text_output_names_the_estimate_and_the_model():
    result = _run(str(DATA / "western_us_5list.csv"))
    assert result.returncode == 0, result.stderr
    assert "2,483.4" in result.stdout
    assert "A:E" in result.stdout


def test_bad_value_is_reported_with_the_row_and_exit_status_1(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,count\n1,0,5\n0,1,2\n1,2,3\n")
    result = _run(str(bad))
    assert result.returncode == 1
    assert 'line 4: list "B" must be 0 or 1, found "2"' in result.stderr
    assert result.stdout == ""


def test_chapman_on_five_lists_exits_1_with_a_message():
    result = _run(str(DATA / "western_us_5list.csv"), "--method", "chapman")
    assert result.returncode == 1
    assert "exactly 2 lists" in result.stderr


@pytest.mark.parametrize("arguments", [["--method", "magic"], []])
def test_wrong_usage_exits_2(arguments):
    files = [] if not arguments else [str(DATA / "western_us_5list.csv")]
    result = _run(*files, *arguments)
    assert result.returncode == 2
    assert "usage:" in result.stderr


@pytest.mark.parametrize(
    "arguments",
    [["--threshold", "2"], ["--threshold", "x"], ["--bootstrap", "-5"], ["--seed", "x"]],
)
def test_wrong_option_values_are_usage_errors(arguments, capsys):
    command = EstimateCommand()
    # as `tiltas estimate` does, so that argparse exits 2 instead of raising CommandError
    command._called_from_command_line = True  # type: ignore[attr-defined] # Django sets it in run_from_argv
    parser = command.create_parser("tiltas", "estimate")
    with pytest.raises(SystemExit) as caught:
        parser.parse_args([str(DATA / "western_us_5list.csv"), *arguments])
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_call_command_methods_give_their_models(western_path=DATA / "western_us_5list.csv"):
    assert _json(str(western_path), "--method", "independence")["model"] == []
    assert _json(str(western_path), "--method", "bic")["model"] == ["A:E"]
    assert _json(str(western_path), "--threshold", "0")["model"] == []


def test_call_command_bootstrap_is_seeded_and_reported():
    path = str(DATA / "western_us_5list.csv")
    first = _json(path, "--bootstrap", "30", "--seed", "5")
    again = _json(path, "--bootstrap", "30", "--seed", "5")
    assert first["interval_kind"] == "bca"
    assert first["bootstrap"] == 30
    assert first["seed"] == 5
    assert first["interval_95"] == again["interval_95"]


def test_chapman_on_two_lists(tmp_path):
    two = tmp_path / "two.csv"
    two.write_text("police,ngo,count\n1,0,60\n0,1,40\n1,1,20\n")
    output = _json(str(two), "--method", "chapman")
    assert output["estimate"] == pytest.approx(81 * 61 / 21 - 1)
    assert output["model"] == []


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("A,B,count\n1,0,5\n0,0,3\n", "line 3: the pattern with no list at all"),
        ("A,B,count\n1,0,5\n1,0,3\n", "line 3: this pattern already appears on line 2"),
        (
            "A,B,count\n1,0,-2\n",
            'line 2: the count must be a whole number of 0 or more, found "-2"',
        ),
        ("A,count\n1,5\n", "line 1: at least 2 lists"),
    ],
)
def test_call_command_bad_input_raises_a_clear_error(tmp_path, content, words):
    path = tmp_path / "table.csv"
    path.write_text(content)
    with pytest.raises(CommandError) as caught:
        call_command("estimate", str(path))
    assert words in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("estimate", str(tmp_path / "absent.csv"))
    assert "no such file" in str(caught.value)


def test_the_fast_start_gives_what_the_fully_loaded_command_gives():
    """`tiltas estimate` starts on an empty app registry (tiltas.cli); inside Django, with every
    app loaded, the same command must print the same result."""
    path = str(DATA / "western_us_5list.csv")
    fast = _run(path, "--bootstrap", "50", "--format", "json")
    assert fast.returncode == 0, fast.stderr
    assert json.loads(fast.stdout) == _json(path, "--bootstrap", "50")
    text = _run(path)
    out = StringIO()
    call_command("estimate", path, stdout=out)
    assert text.stdout == out.getvalue()


def test_help_of_the_fast_start_names_the_options():
    result = _run("--help")
    assert result.returncode == 0
    assert "--bootstrap" in result.stdout
    assert "--settings" in result.stdout  # Django's own options are still there
