"""`tiltas linkage run [--incremental]` and the demo country's closing linkage run."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tiltas.linkage.models import LinkageRun, RunKind, RunStatus
from tiltas.linkage.selectors import linkage_run_current
from tiltas.linkage.tests.population import person_add, population_create
from tiltas.reference.models import OrganisationType

pytestmark = pytest.mark.usefixtures("lt_profile")


def _run(*arguments):
    out, err = io.StringIO(), io.StringIO()
    call_command("linkage", "run", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_run_from_the_command_line_prints_its_figures_and_progress():
    population_create()
    out, err = _run()
    run = LinkageRun.objects.get()
    assert run.status == RunStatus.DONE and run.kind == RunKind.FULL
    assert f"{run.record_count} records, {run.person_count} distinct persons" in out
    assert "linkage_reading 29/29" in err and "linkage_storing" in err
    # Recorded on behalf of the oversight organisation, as a job of the command line.
    assert run.job is not None and run.job.organisation.code == "LT-NR"
    assert run.job.channel == "cli"

    person_add("LT-CPS", given_name="Olena", family_name="Kovalenko", sex="F")
    # Records of organisations that do not share identities (the NGO's) are linked by their
    # encodings, which an incremental run cannot compare: refused, nothing stored.
    with pytest.raises(CommandError) as refused:
        _run("--incremental")
    assert refused.value.returncode == 1 and "full run" in str(refused.value)
    assert LinkageRun.objects.count() == 1

    OrganisationType.objects.update(shares_identities=True)
    _run()
    out, _ = _run("--incremental")
    assert "(incremental)" in out and "30 records" in out


def test_an_incremental_run_without_a_finished_run_exits_non_zero():
    population_create()
    with pytest.raises(CommandError) as refused:
        _run("--incremental")
    assert refused.value.returncode == 1
    assert not LinkageRun.objects.exists()


def test_the_demo_ends_with_a_linkage_run(tmp_path):
    out = io.StringIO()
    call_command(
        "demo",
        "--persons=80",
        "--today=2026-06-30",
        f"--truth={tmp_path / 'truth.csv'}",
        stdout=out,
        stderr=io.StringIO(),
    )
    run = linkage_run_current()
    assert run is not None and run.status == RunStatus.DONE
    assert f"Record linkage: {run.person_count} distinct persons" in out.getvalue()
    with (tmp_path / "truth.csv").open(encoding="utf-8", newline="") as handle:
        truth = list(csv.DictReader(handle))
    assert run.record_count == len(truth) > 80
    # Close to the 80 true persons: the demo country shows distinct persons, not records.
    assert 72 <= run.person_count <= 88
