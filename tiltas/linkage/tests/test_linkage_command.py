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
    assert "linkage_reading 30/30" in err and "linkage_storing" in err
    # Recorded on behalf of the oversight organisation, as a job of the command line.
    assert run.job is not None and run.job.organisation.code == "LT-NR"
    assert run.job.channel == "cli"

    person_add("LT-CPS", given_name="Olena", family_name="Kovalenko", sex="F")
    # The NGO's records are linked by their encodings, in the incremental run as in the full.
    out, _ = _run("--incremental")
    assert "(incremental)" in out and "31 records" in out
    current = linkage_run_current()
    assert current is not None and current.kind == RunKind.INCREMENTAL
    assert current.settings["pprl"] == {"organisations": ["LT-NGO-CARITAS"]}

    # Now every organisation shares identities: the saved model compares encodings that the
    # records no longer come as, so refused, nothing stored, until a full run.
    OrganisationType.objects.update(shares_identities=True)
    with pytest.raises(CommandError) as refused:
        _run("--incremental")
    assert refused.value.returncode == 1 and "full run" in str(refused.value)
    assert LinkageRun.objects.count() == 2
    _run()
    person_add("LT-CPS", given_name="Ieva", family_name="Kazlauskaitė", sex="F")
    out, _ = _run("--incremental")
    assert "(incremental)" in out and "32 records" in out


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
    # The demo country's NGOs and shelters do not share identities; an incremental run links
    # on their encodings with the demo run's model.
    assert run.settings["pprl"]["organisations"]
    person_add("LT-CPS", given_name="Ieva", family_name="Kazlauskaitė", sex="F")
    out, _ = _run("--incremental")
    assert "(incremental)" in out and f"{run.record_count + 1} records" in out
