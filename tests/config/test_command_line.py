"""The `tiltas` command and `python -m tiltas` work from any directory and find the project's
settings and the embedded database under var/ (or TILTAS_VAR_DIR) by themselves."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.nodb, pytest.mark.slow]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["TILTAS_VAR_DIR"] = str(tmp_path / "var")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@pytest.mark.parametrize(
    "command",
    [[str(Path(sys.executable).with_name("tiltas"))], [sys.executable, "-m", "tiltas"]],
    ids=["console-script", "python-m"],
)
def test_the_command_works_from_any_directory_on_the_embedded_database(tmp_path, command):
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    env = _env(tmp_path)
    for args in (["migrate", "-v0"], ["load_profile", "lt"], ["organisations"]):
        result = subprocess.run(
            [*command, *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert "LT-SLI\tlabour_inspectorate\tState Labour Inspectorate" in result.stdout
    var = tmp_path / "var"
    assert (var / "tiltas.sqlite3").exists()
    assert (var / "secret_key").stat().st_mode & 0o077 == 0
    assert not list(elsewhere.iterdir()), "nothing may be written in the current directory"
