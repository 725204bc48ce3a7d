"""Background tasks of the privacy app (django-tasks; the worker runs them, tests inline)."""

from django_tasks import task


@task()
def apply_retention_rules() -> dict:
    """The daily run of the active retention rules: {rule name: people anonymised}."""
    from klynge.privacy.services_retention import retention_apply

    return retention_apply()
