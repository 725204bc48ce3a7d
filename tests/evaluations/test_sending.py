import re
import sys
from datetime import timedelta

import pytest
from django.core import mail

from klynge.activities import hooks
from klynge.evaluations import services
from klynge.evaluations.models import Question, Response, Survey
from klynge.evaluations.tasks import on_activity_held
from tests.evaluations.helpers import attendee, cancelled, held_activity, no_show
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"http://\S+/survey/(\S+)/", message.body).group(0)


def test_the_hook_is_registered_from_the_app_config():
    assert on_activity_held in hooks.HELD


def test_marking_held_emails_each_attendee_a_working_link(
    client, django_capture_on_commit_callbacks,
):
    from klynge.activities.services import activity_mark_held
    from tests.activities.factories import ActivityFactory

    activity = ActivityFactory(title="AI for SMEs", status="open")
    first = attendee(activity, email="anna@firma.dk", first_name="Anna")
    second = attendee(activity, email="bo@firma.dk", first_name="Bo")
    no_show(activity)
    cancelled(activity)

    with django_capture_on_commit_callbacks(execute=True):
        activity_mark_held(activity=activity, actor=UserFactory())

    assert sorted(m.to[0] for m in mail.outbox) == ["anna@firma.dk", "bo@firma.dk"]
    assert mail.outbox[0].subject == "How was “AI for SMEs”?"
    survey = Survey.objects.get(activity=activity)
    assert survey.kind == "activity"
    assert survey.sent_at is not None
    assert survey.closes_at is not None
    assert list(survey.questions.values_list("key", flat=True)) == [
        "satisfaction", "knowledge_gained", "innovation_started", "new_contacts",
        "green_contacts", "international_visibility"]
    responses = Response.objects.filter(survey=survey).order_by("person__email")
    assert [(r.person_id, r.organisation_id) for r in responses] == [
        (first.person_id, first.organisation_id), (second.person_id, second.organisation_id)]
    assert all(r.sent_at is not None for r in responses)
    message = next(m for m in mail.outbox if m.to == ["anna@firma.dk"])
    assert message.body.startswith("Dear Anna,")
    page = client.get(_link(message).replace("http://localhost:8000", ""))
    assert page.status_code == 200
    assert "How satisfied are you with the activity overall" in page.content.decode()


def test_sending_again_invites_only_new_attendees():
    activity = held_activity()
    attendee(activity)
    services.activity_survey_send(activity_id=activity.pk)
    late = attendee(activity, email="late@firma.dk")

    services.activity_survey_send(activity_id=activity.pk)

    assert [m.to for m in mail.outbox][-1] == ["late@firma.dk"]
    assert len(mail.outbox) == 2
    assert Response.objects.filter(survey__activity=activity).count() == 2
    assert Response.objects.get(person=late.person).sent_at is not None


def test_an_activity_not_held_sends_nothing():
    from tests.activities.factories import ActivityFactory

    activity = ActivityFactory(status="open")
    attendee(activity)

    assert services.activity_survey_send(activity_id=activity.pk) is None
    assert mail.outbox == []
    assert Survey.objects.count() == 0


def test_extra_questions_added_before_holding_are_asked():
    from tests.activities.factories import ActivityFactory

    activity = ActivityFactory(status="open")
    services.question_create(activity=activity, actor=None, data={
        "kind": "text", "text_en": "What should the next seminar be about?", "text_da": ""})
    activity.status = "held"
    activity.save()
    attendee(activity)

    survey = services.activity_survey_send(activity_id=activity.pk)

    assert survey.questions.count() == 7
    assert survey.questions.last().text_en == "What should the next seminar be about?"
    assert len(mail.outbox) == 1


def test_questions_cannot_change_after_sending():
    activity = held_activity()
    attendee(activity)
    survey = services.activity_survey_send(activity_id=activity.pk)
    before = Question.objects.count()

    with pytest.raises(services.ApplicationError, match="already been sent"):
        services.question_create(activity=activity, actor=None,
                                 data={"kind": "yes_no", "text_en": "Late question?"})
    assert Question.objects.count() == before
    assert survey.questions.count() == 6


def test_the_email_is_in_the_persons_language():
    activity = held_activity(title="Datadag")
    dane = attendee(activity, language="da", email="dane@firma.dk")

    services.activity_survey_send(activity_id=activity.pk)

    response = Response.objects.get(person=dane.person)
    assert response.token in mail.outbox[0].body
    assert mail.outbox[0].to == ["dane@firma.dk"]


def test_people_who_withdrew_consent_are_skipped():
    from django.utils import timezone

    from klynge.privacy.models import Consent

    activity = held_activity()
    never_asked = attendee(activity, email="keen@firma.dk")
    agreed = attendee(activity, email="yes@firma.dk")
    withdrawn = attendee(activity, email="no@firma.dk")
    now = timezone.now()
    Consent.objects.create(person=agreed.person, purpose="evaluations", granted=True,
                           given_at=now, source="staff")
    Consent.objects.create(person=withdrawn.person, purpose="evaluations", granted=True,
                           given_at=now, source="staff", recorded_at=now)
    Consent.objects.create(person=withdrawn.person, purpose="evaluations", granted=False,
                           given_at=now, withdrawn_at=now, source="unsubscribe_link",
                           recorded_at=now + timedelta(seconds=1))

    services.activity_survey_send(activity_id=activity.pk)

    assert sorted(m.to[0] for m in mail.outbox) == ["keen@firma.dk", "yes@firma.dk"]
    assert sorted(Response.objects.values_list("person_id", flat=True)) == sorted(
        [never_asked.person_id, agreed.person_id])


def test_without_the_consent_register_everyone_is_asked(monkeypatch):
    activity = held_activity()
    attendee(activity)
    monkeypatch.setitem(sys.modules, "klynge.privacy.selectors", None)

    services.activity_survey_send(activity_id=activity.pk)

    assert len(mail.outbox) == 1


def test_a_failed_email_is_not_marked_sent_and_is_retried(monkeypatch):
    activity = held_activity()
    attendee(activity)

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(services, "send_mail", broken)
    services.activity_survey_send(activity_id=activity.pk)
    assert Response.objects.get().sent_at is None

    monkeypatch.undo()
    counts = services.due_surveys_send()

    assert counts["retried"] == 1
    assert Response.objects.get().sent_at is not None
    assert len(mail.outbox) == 1
