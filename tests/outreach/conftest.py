import pytest


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send an invitation as the page does: the task runs when the transaction commits."""
    from klynge.outreach import services

    def run(invitation, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_send(
                invitation=invitation, actor=actor, base_url="https://klynge.example"
            )

    return run
