"""Background tasks of evaluations (django-tasks; the worker runs them, tests run them inline)."""

from django_tasks import task


@task()
def send_activity_survey(activity_id: int) -> int:
    """Create a held activity's survey and e-mail its attendees; the number of responses."""
    from klynge.evaluations.services import activity_survey_send

    survey = activity_survey_send(activity_id=activity_id)
    return survey.responses.count() if survey else 0


@task()
def send_survey(survey_id: int) -> int:
    """E-mail the not yet sent invitations of one survey; the number sent."""
    from klynge.evaluations.models import Survey
    from klynge.evaluations.services import survey_send_invitations

    survey = Survey.objects.filter(pk=survey_id).first()
    return survey_send_invitations(survey=survey) if survey else 0


@task()
def send_due_surveys() -> dict:
    """The daily run: follow-up waves due, retried invitations, reminders."""
    from klynge.evaluations.services import due_surveys_send

    return due_surveys_send()


def on_activity_held(activity_id: int) -> None:
    """klynge.activities.hooks.HELD: queue the evaluation of an activity just marked held."""
    send_activity_survey.enqueue(activity_id)
