"""The estimation as a django-tasks task (in-process by default, a `tiltas db_worker` in
production)."""

from django_tasks import task

from tiltas.estimation.services import estimation_queued_run


@task()
def estimation_task(job_id: str) -> None:
    estimation_queued_run(job_id=job_id)
