"""`tiltas estimation run|show|list|reproduce` on the database."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tiltas.accounts.testing import persona
from tiltas.estimation.models import EstimationRun
from tiltas.estimation.tests.factories import linked_population

pytestmark = pytest.mark.usefixtures("lt_profile")


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("estimation", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_run_show_and_reproduce_a_stored_estimate(db):
    persona("LT-VDA", "analyst", username="cli-analyst")
    linked_population(size=400)
    text = run_command(
        "run", "--from", "2025-01-01", "--to", "2025-12-31", "--user", "cli-analyst",
        "--lists", "police,ngo,labour", "--stratify", "sex", "--bootstrap", "40", "--seed", "5",
    )  # fmt: skip
    run = EstimationRun.objects.get()
    assert text.startswith(f"{run.reference} (done)")
    assert "  all: found" in text and "  F: found" in text and "bca" in text
    shown = json.loads(run_command("show", run.reference, "--format", "json"))
    assert shown["seed"] == 5 and shown["bootstrap"] == 40
    assert [s["stratum"] for s in shown["strata"]] == ["all", "F", "M"]
    assert shown["strata"][0]["capture_table"]["lists"] == ["police", "ngo", "labour"]
    assert run_command("reproduce", run.reference).strip() == f"{run.reference} reproduces exactly"
    assert run.reference in run_command("list")


def test_refusals_and_usage_errors_exit_with_their_codes(db):
    persona("LT-PD", "caseworker", username="cli-caseworker")
    linked_population(size=50)
    with pytest.raises(CommandError) as refused:
        run_command("run", "--from", "2025-01-01", "--to", "2025-12-31", "--user", "cli-caseworker")
    assert refused.value.returncode == 1
    with pytest.raises(CommandError) as unknown:
        run_command(
            "run", "--from", "2025-01-01", "--to", "2025-12-31", "--user", "cli-caseworker",
            "--lists", "police,nowhere",
        )  # fmt: skip
    assert unknown.value.returncode == 2
    assert "nowhere" in str(unknown.value)
    with pytest.raises(CommandError) as missing:
        run_command("reproduce", "EST-1999-0001")
    assert missing.value.returncode == 1


def test_lists_defined_in_a_file_by_type_or_by_named_organisation(db, tmp_path):
    persona("LT-VDA", "analyst", username="cli-analyst")
    linked_population(size=400)
    lists = tmp_path / "lists.json"
    lists.write_text(
        json.dumps(
            [
                {"code": "lcpb", "name": "Police (LCPB only)", "organisations": ["LT-PD"]},
                {"code": "ngo", "organisation_types": ["ngo_service_provider", "shelter"]},
                {"code": "sli", "organisations": ["LT-SLI"]},
            ]
        ),
        encoding="utf-8",
    )
    common = ("run", "--from", "2025-01-01", "--to", "2025-12-31", "--user", "cli-analyst")
    run_command(*common, "--lists-file", str(lists))
    run = EstimationRun.objects.get()
    assert [item["code"] for item in run.list_definition] == ["lcpb", "ngo", "sli"]
    assert run.strata.get().capture_table["lists"] == ["lcpb", "ngo", "sli"]
    lists.write_text(json.dumps([{"code": "x", "organisations": ["LT-NOWHERE"]}]), "utf-8")
    with pytest.raises(CommandError) as refused:
        run_command(*common, "--lists-file", str(lists))
    assert refused.value.returncode == 1
    lists.write_text("{not json", "utf-8")
    with pytest.raises(CommandError) as unreadable:
        run_command(*common, "--lists-file", str(lists))
    assert "cannot read" in str(unreadable.value)
