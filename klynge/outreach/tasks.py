"""Background tasks of outreach (django-tasks; a worker runs them, tests run them inline)."""

from django_tasks import task

from klynge.outreach.services import invitation_deliver


@task()
def send_invitation(invitation_id: int, base_url: str = "") -> dict:
    """Send an invitation to its segment in batches, recording each delivery."""
    return invitation_deliver(invitation_id=invitation_id, base_url=base_url)
