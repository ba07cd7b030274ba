"""The linkage run as a django-tasks task (in-process by default, a `tiltas db_worker` in
production)."""

from django_tasks import task

from tiltas.linkage.services import linkage_queued_run


@task()
def linkage_task(job_id: str) -> None:
    linkage_queued_run(job_id=job_id)
