"""Background tasks of the registry (django-tasks; a worker runs them, tests run them inline)."""

from django_tasks import task

from klynge.ecosystem.importing.services import import_job_run


@task()
def run_import(batch_id: int) -> str:
    """Run an import batch's queued job: its dry run, or its commit once one was asked for.

    The batch's core.Job says which, and records the progress the page polls.
    """
    return import_job_run(batch_id)
