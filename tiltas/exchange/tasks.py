"""The import as a django-tasks task (in-process by default, a `tiltas db_worker` in production)."""

from django_tasks import task

from tiltas.exchange.services import import_queued_run


@task()
def import_task(job_id: str) -> None:
    import_queued_run(job_id=job_id)
