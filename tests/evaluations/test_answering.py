from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from klynge.core.models import AuditEntry
from klynge.evaluations import services
from klynge.evaluations.models import Answer, Question, Response
from tests.evaluations.helpers import attendee, held_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def response():
    activity = held_activity(title="Cyber day")
    services.question_create(activity=activity, actor=None, data={
        "kind": "text", "text_en": "What was best?", "text_da": "Hvad var bedst?"})
    attendee(activity, first_name="Anna", language="en")
    services.activity_survey_send(activity_id=activity.pk)
    return Response.objects.select_related("survey").get()


def _url(response) -> str:
    return reverse("surveys:answer", args=[response.token])


def _form(response, **by_key) -> dict:
    values = {
        "satisfaction": "8", "knowledge_gained": "agree", "innovation_started": "yes",
        "new_contacts": "no", "green_contacts": "no", "international_visibility": "disagree",
        "": "The speakers",
    }
    values.update(by_key)
    return {f"q{q.pk}": values[q.key] for q in response.survey.questions.all()
            if values.get(q.key) is not None}


def _answers(response) -> dict:
    return {a.question.key or "extra": a.value
            for a in Answer.objects.filter(response=response).select_related("question")}


def test_the_page_shows_the_questions_without_login(client, response):
    page = client.get(_url(response))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Evaluation of “Cyber day”" in html
    assert "How satisfied are you with the activity overall" in html
    assert "What was best?" in html
    assert "Send my answers" in html


def test_a_danish_person_sees_the_danish_texts(client):
    activity = held_activity()
    attendee(activity, language="da")
    services.activity_survey_send(activity_id=activity.pk)

    page = client.get(_url(Response.objects.get()))

    assert "Hvor tilfreds er du samlet set med aktiviteten" in page.content.decode()


def test_answering_saves_every_answer(client, response):
    page = client.post(_url(response), _form(response))

    assert page.status_code == 200
    assert "Your answers were saved." in page.content.decode()
    assert _answers(response) == {
        "satisfaction": 8, "knowledge_gained": "agree", "innovation_started": "yes",
        "new_contacts": "no", "green_contacts": "no", "international_visibility": "disagree",
        "extra": "The speakers",
    }
    response.refresh_from_db()
    assert response.answered_at is not None
    assert response.updated_at == response.answered_at
    assert AuditEntry.objects.filter(action="klynge.evaluations.response.answered").count() == 1


def test_answering_twice_updates_rather_than_duplicates(client, response):
    client.post(_url(response), _form(response))
    response.refresh_from_db()
    first_answered = response.answered_at

    page = client.get(_url(response))
    assert "You have answered before" in page.content.decode()
    satisfaction = response.survey.questions.get(key="satisfaction")
    assert page.context["form"][f"q{satisfaction.pk}"].value() == 8
    client.post(_url(response), _form(response, satisfaction="3", **{"": ""}))

    assert Answer.objects.filter(response=response).count() == 6
    assert _answers(response)["satisfaction"] == 3
    assert "extra" not in _answers(response)
    response.refresh_from_db()
    assert response.answered_at == first_answered
    assert response.updated_at > first_answered


@pytest.mark.parametrize(("key", "value", "error"), [
    ("satisfaction", "11", "Select a valid choice"),
    ("satisfaction", "-1", "Select a valid choice"),
    ("satisfaction", "", "This field is required"),
    ("knowledge_gained", "maybe", "Select a valid choice"),
    ("innovation_started", "", "This field is required"),
])
def test_bad_answers_are_refused_and_nothing_is_written(client, response, key, value, error):
    page = client.post(_url(response), _form(response, **{key: value}))

    assert page.status_code == 200
    assert error in page.content.decode()
    assert Answer.objects.count() == 0
    response.refresh_from_db()
    assert response.answered_at is None


def test_the_optional_text_may_be_left_empty(client, response):
    client.post(_url(response), _form(response, **{"": ""}))

    assert Answer.objects.count() == 6


@pytest.mark.parametrize("token", ["forged-token", "x" * 43, "4242", "y" * 300])
def test_a_forged_link_is_refused_with_a_clear_404(client, response, token):
    page = client.get(reverse("surveys:answer", args=[token]))
    posted = client.post(reverse("surveys:answer", args=[token]), _form(response))

    assert page.status_code == 404
    assert "This survey link is not valid" in page.content.decode()
    assert posted.status_code == 404
    assert Answer.objects.count() == 0


def test_a_closed_survey_refuses_answers_and_writes_nothing(client, response):
    survey = response.survey
    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.save()

    page = client.post(_url(response), _form(response))

    assert page.status_code == 410
    assert "no longer takes answers, so nothing was saved" in page.content.decode()
    assert client.get(_url(response)).status_code == 410
    assert Answer.objects.count() == 0
    response.refresh_from_db()
    assert response.answered_at is None


def test_the_service_refuses_a_closed_survey_even_when_the_page_was_open(response):
    survey = response.survey
    survey.closes_at = timezone.now() - timedelta(seconds=1)
    survey.save()
    satisfaction = Question.objects.get(survey=survey, key="satisfaction")

    with pytest.raises(services.ApplicationError, match="closed"):
        services.response_answer(response=response, values={satisfaction.pk: 7})

    assert Answer.objects.count() == 0


def test_the_service_refuses_an_impossible_value_and_writes_nothing(response):
    values = {q.pk: {"scale_0_10": 5, "agree_5": "agree", "yes_no": "yes", "text": ""}[q.kind]
              for q in response.survey.questions.all()}
    satisfaction = response.survey.questions.get(key="satisfaction")
    values[satisfaction.pk] = 12

    with pytest.raises(services.ApplicationError, match="not a possible answer"):
        services.response_answer(response=response, values=values)

    assert Answer.objects.count() == 0
