"""The evaluations page of the member portal: the surveys sent to the member's person."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from klynge.core.roles import Role
from klynge.evaluations.models import Response, Survey
from tests.evaluations.helpers import held_activity
from tests.factories import PersonFactory, user_with_role

pytestmark = pytest.mark.django_db


def survey(title, *, days_ago=1, open_days=30, sent=True, activity_title=None, **extra):
    opens = timezone.now() - timedelta(days=days_ago)
    activity = held_activity(days_ago=days_ago + 1, title=activity_title or title)
    return Survey.objects.create(
        kind="activity", activity=activity, title=title, opens_at=opens,
        closes_at=opens + timedelta(days=open_days), sent_at=opens if sent else None, **extra)


@pytest.fixture
def member(client):
    person = PersonFactory(first_name="Mette")
    user = user_with_role(Role.MEMBER, person=person)
    client.force_login(user)
    return client, person


def rows(response):
    return [(e.survey.title, e.state, e.can_answer) for e in response.context["evaluations"]]


def test_lists_open_answered_and_closed_surveys_of_the_person(member):
    client, person = member
    to_answer = Response.objects.create(survey=survey("Robot day", days_ago=2), person=person,
                                        sent_at=timezone.now())
    answered = Response.objects.create(survey=survey("Vision day", days_ago=1), person=person,
                                       sent_at=timezone.now(), answered_at=timezone.now())
    Response.objects.create(survey=survey("Old day", days_ago=60), person=person,
                            sent_at=timezone.now())
    response = client.get(reverse("portal:evaluations"))
    assert response.status_code == 200
    assert rows(response) == [("Robot day", "open", True), ("Vision day", "answered", True),
                              ("Old day", "closed", False)]
    html = response.content.decode()
    assert reverse("surveys:answer", args=[to_answer.token]) in html
    assert reverse("surveys:answer", args=[answered.token]) in html
    assert "1 evaluation waits for your answers." in html


def test_never_lists_other_peoples_surveys_or_drafts(member):
    client, person = member
    other = Response.objects.create(survey=survey("Theirs"), person=PersonFactory())
    Response.objects.create(survey=survey("Draft", sent=False), person=person)
    response = client.get(reverse("portal:evaluations"))
    assert rows(response) == []
    assert other.token not in response.content.decode()
    assert "No evaluations for you yet." in response.content.decode()


def test_member_without_a_person_sees_why(client):
    user = user_with_role(Role.MEMBER)
    client.force_login(user)
    response = client.get(reverse("portal:evaluations"))
    assert response.context["no_person"] is True
    assert "not linked to a person" in response.content.decode()


def test_staff_are_refused(staff_client):
    assert staff_client.get(reverse("portal:evaluations")).status_code == 403
