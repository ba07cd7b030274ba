import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django_tasks import task

from tiltas.accounts.models import Organisation
from tiltas.accounts.testing import persona, verified_client
from tiltas.jobs import services as job_services
from tiltas.jobs.models import Job, JobStatus
from tiltas.jobs.selectors import jobs_visible_to
from tiltas.jobs.services import (
    JobOutcome,
    job_enqueue,
    job_progress,
    job_run,
    job_start,
    progress_listening,
)

pytestmark = pytest.mark.usefixtures("lt_profile")

TOTAL = 40


def _job(code="LT-LCPB", **fields):
    return job_start(
        kind="test",
        title="Counting",
        organisation=Organisation.objects.get(code=code),
        channel="cli",
        **fields,
    )


def _counting_work(job):
    for done in range(0, TOTAL + 1, 5):
        job_progress(job.pk, done=done, total=TOTAL, stage="counting")
    return JobOutcome(succeeded=True, result={"counted": TOTAL})


@task()
def counting_task(job_id: str) -> None:
    job_run(job_id=job_id, work=_counting_work)


def test_job_progress_reaches_100_percent_and_listeners_hear_every_step():
    job = _job()
    heard: list[job_services.Progress] = []
    with progress_listening(heard.append):
        finished = job_run(job_id=job.pk, work=_counting_work)
    assert [(report.done, report.total) for report in heard] == [
        (done, TOTAL) for done in range(0, TOTAL + 1, 5)
    ]
    assert heard[-1].done == heard[-1].total
    finished.refresh_from_db()
    assert finished.status == JobStatus.SUCCEEDED
    assert (finished.done, finished.total, finished.percent) == (TOTAL, TOTAL, 100)
    assert finished.result == {"counted": TOTAL}
    assert finished.started_at is not None
    assert finished.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_as_it_goes_and_can_be_polled(monkeypatch, lt_profile):
    monkeypatch.setattr(job_services, "PROGRESS_WRITE_INTERVAL_SECONDS", 0)
    job = _job()
    polled = []

    def poll(report):
        # What another process polling the row would read right now.
        row = Job.objects.get(pk=report.job_id)
        polled.append((row.status, row.done, row.total, row.percent))

    with progress_listening(poll):
        job_run(job_id=job.pk, work=_counting_work)
    assert polled[0] == (JobStatus.RUNNING, 0, TOTAL, 0)
    assert [done for _, done, _, _ in polled] == list(range(0, TOTAL + 1, 5))
    assert polled[-1] == (JobStatus.RUNNING, TOTAL, TOTAL, 100)
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_progress_inside_a_transaction_neither_blocks_nor_is_rolled_back(monkeypatch, lt_profile):
    """PostgreSQL writes through a second connection, SQLite (one writer) in the open
    transaction; either way the final figures survive the rollback of the job's own work."""
    monkeypatch.setattr(job_services, "PROGRESS_WRITE_INTERVAL_SECONDS", 0)
    job = _job()
    seen = []

    class Refused(Exception):
        pass

    def work(job):
        try:
            with transaction.atomic():
                Organisation.objects.filter(code="LT-LCPB").update(name="changed")
                for done in (10, 20, 30):
                    job_progress(job.pk, done=done, total=30, stage="storing")
                    seen.append(Job.objects.get(pk=job.pk).done)
                raise Refused
        except Refused:
            pass
        return JobOutcome(succeeded=False, error_message="refused")

    finished = job_run(job_id=job.pk, work=work)
    assert Organisation.objects.get(code="LT-LCPB").name != "changed"
    finished.refresh_from_db()
    assert finished.status == JobStatus.FAILED
    assert seen == [10, 20, 30]
    assert (finished.done, finished.total, finished.stage) == (30, 30, "storing")
    if connection.vendor == "postgresql":
        from django.db import connections

        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT done FROM jobs_job WHERE id = %s", [job.pk])
                assert cursor.fetchone()[0] == 30
        finally:
            other.close()


def test_job_that_raises_is_recorded_as_failed_without_its_message():
    job = _job()

    def work(job):
        raise RuntimeError("Коваленко born 1998-05-21")

    with pytest.raises(RuntimeError):
        job_run(job_id=job.pk, work=work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Коваленко" not in job.error_message
    assert job.error_message


def test_a_finished_job_is_not_run_twice():
    job = _job()
    job_run(job_id=job.pk, work=_counting_work)
    calls = []

    def work(job):
        calls.append(job)
        return JobOutcome(succeeded=True)

    job_run(job_id=job.pk, work=work)
    assert calls == []


def test_job_runs_on_the_configured_task_backend():
    job = job_enqueue(job=_job(), task=counting_task)
    assert job.status == JobStatus.SUCCEEDED
    assert job.task_result_id
    assert job.percent == 100


def test_staff_see_only_their_own_organisations_jobs():
    own = _job("LT-LCPB")
    other = _job("LT-NGO-CARITAS")
    officer = persona("LT-LCPB", "caseworker")
    assert list(jobs_visible_to(officer)) == [own]
    client = verified_client(officer)
    assert client.get(reverse("jobs:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("jobs:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("jobs:detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get(f"/api/v1/jobs/{other.pk}/").status_code == 404
    listing = client.get(reverse("jobs:list"))
    assert listing.status_code == 200
    assert list(listing.context["jobs"]) == [own]


def test_analyst_cannot_follow_jobs():
    job = _job()
    analyst = persona("LT-LCPB", "analyst")
    client = verified_client(analyst)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:list")).status_code == 404
    assert client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404


def test_anonymous_cannot_read_a_job():
    job = _job()
    from django.test import Client

    assert Client().get(f"/api/v1/jobs/{job.pk}/").status_code in (401, 403)
    response = Client().get(reverse("jobs:detail", args=[job.pk]))
    assert response.status_code == 302


def test_job_page_polls_while_running_and_reloads_when_done():
    job = _job()
    job_progress(job.pk, done=3, total=12, stage="validating")
    client = verified_client(persona("LT-LCPB", "supervisor"))
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    html = page.content.decode()
    assert 'hx-get="{}"'.format(reverse("jobs:progress", args=[job.pk])) in html
    assert 'value="25"' in html
    fragment = client.get(reverse("jobs:progress", args=[job.pk]))
    assert "HX-Refresh" not in fragment
    job_run(job_id=job.pk, work=_counting_work)
    fragment = client.get(reverse("jobs:progress", args=[job.pk]))
    assert fragment["HX-Refresh"] == "true"
    assert "hx-get" not in fragment.content.decode()


def test_job_api_reports_progress():
    job = _job()
    job_progress(job.pk, done=5, total=20, stage="validating")
    client = verified_client(persona("LT-LCPB", "supervisor"))
    body = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["status"] == "queued"
    assert (body["done"], body["total"], body["percent"]) == (5, 20, 25)
    assert body["organisation"] == "LT-LCPB"


def test_jobs_command_lists_and_watches(capsys):
    job = _job()
    job_run(job_id=job.pk, work=_counting_work)
    call_command("jobs")
    assert str(job.pk) in capsys.readouterr().out
    call_command("jobs", str(job.pk), "--watch")
    out = capsys.readouterr().out
    assert f"{TOTAL}/{TOTAL}" in out
    assert "succeeded" in out
