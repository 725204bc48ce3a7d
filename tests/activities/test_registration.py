"""Staff registration pages and the registration services: roles, cancelling, the waitlist,
questions, counts and the export."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klynge.activities import registrations
from klynge.activities.choices import QuestionKind
from klynge.activities.models import Registration, RegistrationQuestion
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.ecosystem.models import Person
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_staff_register_an_existing_person_with_a_role(
    staff_client, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(title="Seminar")
    person = PersonFactory(email="ole@firma.dk")
    organisation = OrganisationFactory()
    AffiliationFactory(person=person, organisation=organisation)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("activities:registration_create", args=[activity.pk]),
            {"email": "OLE@firma.dk", "role": "speaker"},
        )

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.person, registration.role, registration.source,
            registration.organisation) == (person, "speaker", "staff", organisation)
    assert [m.to for m in mail.outbox] == [["ole@firma.dk"]]
    entry = AuditEntry.objects.get(action="klynge.activities.registration.created")
    assert entry.actor == staff_client.user


def test_staff_register_a_new_person_needs_a_first_name(staff_client):
    activity = ActivityFactory()
    url = reverse("activities:registration_create", args=[activity.pk])

    refused = staff_client.post(url, {"email": "new@firma.dk", "role": "participant"})

    assert "give a first name" in refused.content.decode()
    assert (Person.objects.count(), Registration.objects.count()) == (0, 0)

    staff_client.post(url, {"email": "new@firma.dk", "first_name": "Nina",
                            "role": "participant"})

    assert Registration.objects.get().person.first_name == "Nina"


def test_staff_registering_twice_is_refused_with_the_name(staff_client):
    activity = ActivityFactory()
    registration = RegistrationFactory(activity=activity)
    before = AuditEntry.objects.count()

    response = staff_client.post(
        reverse("activities:registration_create", args=[activity.pk]),
        {"email": registration.person.email, "role": "participant"},
    )

    assert f"{registration.person} is already registered for this activity." in (
        response.content.decode())
    assert Registration.objects.count() == 1
    assert AuditEntry.objects.count() == before


def test_programme_roles_get_a_seat_past_capacity_participants_wait():
    activity = ActivityFactory(capacity=1)
    RegistrationFactory(activity=activity)

    speaker = registrations.registration_create(activity=activity, person=PersonFactory(),
                                                role="speaker")
    participant = registrations.registration_create(activity=activity, person=PersonFactory())

    assert (speaker.status, participant.status) == ("registered", "waitlisted")


def test_a_cancelled_activity_takes_no_registrations():
    activity = ActivityFactory(status="cancelled")

    with pytest.raises(ApplicationError, match="This activity is cancelled."):
        registrations.registration_create(activity=activity, person=PersonFactory())
    assert Registration.objects.count() == 0


def test_change_role(staff_client):
    registration = RegistrationFactory()

    staff_client.post(reverse("activities:registration_role", args=[registration.pk]),
                      {"role": "knowledge_partner"})

    registration.refresh_from_db()
    assert registration.role == "knowledge_partner"
    entry = AuditEntry.objects.get(action="klynge.activities.registration.role_changed")
    assert entry.data["changes"] == {"role": ["participant", "knowledge_partner"]}


def test_change_role_refuses_an_unknown_role(staff_client):
    registration = RegistrationFactory()

    staff_client.post(reverse("activities:registration_role", args=[registration.pk]),
                      {"role": "king"})

    registration.refresh_from_db()
    assert registration.role == "participant"


def test_staff_cancel_promotes_the_waitlist(staff_client, django_capture_on_commit_callbacks):
    activity = ActivityFactory(capacity=1)
    seated = RegistrationFactory(activity=activity)
    waiting = RegistrationFactory(activity=activity, status="waitlisted",
                                  waitlisted_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("activities:registration_cancel", args=[seated.pk]))

    assert response.status_code == 302
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.status, waiting.status) == ("cancelled", "registered")
    assert [m.to for m in mail.outbox] == [[waiting.person.email]]


def test_cancelling_a_waitlisted_registration_promotes_nobody():
    activity = ActivityFactory(capacity=1)
    RegistrationFactory(activity=activity)
    first = RegistrationFactory(activity=activity, status="waitlisted",
                                waitlisted_at=timezone.now() - timedelta(hours=1))
    second = RegistrationFactory(activity=activity, status="waitlisted",
                                 waitlisted_at=timezone.now())

    promoted = registrations.registration_cancel(registration=first)

    assert promoted == []
    second.refresh_from_db()
    assert second.status == "waitlisted"


def test_cancelling_twice_is_refused():
    registration = RegistrationFactory(status="cancelled", cancelled_at=timezone.now())

    with pytest.raises(ApplicationError, match="already cancelled"):
        registrations.registration_cancel(registration=registration)


def test_a_larger_capacity_lets_the_waitlist_move_up():
    activity = ActivityFactory(capacity=1)
    RegistrationFactory(activity=activity)
    waiting = [RegistrationFactory(activity=activity, status="waitlisted",
                                   waitlisted_at=timezone.now() + timedelta(seconds=i))
               for i in range(3)]
    activity.capacity = 3
    activity.save()

    promoted = registrations.waitlist_promote(activity=activity)

    assert [r.pk for r in promoted] == [waiting[0].pk, waiting[1].pk]


def test_counts_in_one_query():
    activity = ActivityFactory()
    RegistrationFactory.create_batch(3, activity=activity)
    RegistrationFactory(activity=activity, attended=True)
    RegistrationFactory(activity=activity, attended=False)
    RegistrationFactory(activity=activity, status="waitlisted", waitlisted_at=timezone.now())
    RegistrationFactory(activity=activity, status="cancelled", cancelled_at=timezone.now())
    RegistrationFactory()  # another activity

    with CaptureQueriesContext(connection) as queries:
        counts = registrations.registration_counts(activity=activity)

    assert len(queries) == 1
    assert counts == registrations.RegistrationCounts(
        registered=5, waitlisted=1, cancelled=1, attended=1, no_shows=1, unmarked=3)


def test_counts_by_activity():
    first, second = ActivityFactory(), ActivityFactory()
    RegistrationFactory.create_batch(2, activity=first)
    RegistrationFactory(activity=second, attended=False)

    counts = registrations.registration_counts_by_activity(activity_ids=[first.pk, second.pk])

    assert (counts[first.pk].registered, counts[second.pk].no_shows) == (2, 1)


def test_the_list_shows_counts_and_filters(staff_client):
    activity = ActivityFactory()
    RegistrationFactory(activity=activity, person=PersonFactory(first_name="Anna"))
    RegistrationFactory(activity=activity, person=PersonFactory(first_name="Bent"),
                        status="waitlisted", waitlisted_at=timezone.now())
    url = reverse("activities:registration_list", args=[activity.pk])

    everyone = staff_client.get(url)
    waiting = staff_client.get(url, {"status": "waitlisted"})

    assert everyone.context["counts"].registered == 1
    assert everyone.context["counts"].waitlisted == 1
    assert [r.person.first_name for r in everyone.context["listing"].rows] == ["Anna", "Bent"]
    assert [r.person.first_name for r in waiting.context["listing"].rows] == ["Bent"]


def test_the_export_carries_the_answers(staff_client):
    activity = ActivityFactory()
    diet = RegistrationQuestion.objects.create(activity=activity, text="Diet?")
    lunch = RegistrationQuestion.objects.create(activity=activity, text="Lunch?",
                                                kind=QuestionKind.YES_NO, position=1)
    registration = RegistrationFactory(
        activity=activity, answers={str(diet.pk): "Vegan", str(lunch.pk): "yes"})

    response = staff_client.get(reverse("activities:registration_list", args=[activity.pk]),
                                {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Diet?", "Lunch?"]
    assert rows[1][0] == str(registration.pk)
    assert rows[1][-2:] == ["Vegan", "Yes"]

    xlsx = staff_client.get(reverse("activities:registration_list", args=[activity.pk]),
                            {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_members_cannot_see_registrations(member_client):
    activity = ActivityFactory()

    response = member_client.get(reverse("activities:registration_list", args=[activity.pk]))

    assert response.status_code == 403


def test_manage_questions(staff_client):
    activity = ActivityFactory()
    url = reverse("activities:registration_questions", args=[activity.pk])

    staff_client.post(url, {"text": "Diet?", "kind": "text", "required": "on"})
    staff_client.post(url, {"text": "Track?", "kind": "choice", "choices": "A\nB\n"})
    refused = staff_client.post(url, {"text": "Bad?", "kind": "choice", "choices": "Only"})

    assert "Give at least two choices" in refused.content.decode()
    diet, track = activity.questions.all()
    assert (diet.text, diet.required, diet.position) == ("Diet?", True, 0)
    assert (track.choices, track.position) == (["A", "B"], 1)

    staff_client.post(reverse("activities:registration_question_move", args=[track.pk]),
                      {"direction": "up"})
    assert [q.text for q in activity.questions.all()] == ["Track?", "Diet?"]

    staff_client.post(reverse("activities:registration_question_edit", args=[diet.pk]),
                      {"text": "Dietary needs?", "kind": "text"})
    diet.refresh_from_db()
    assert (diet.text, diet.required) == ("Dietary needs?", False)

    staff_client.post(reverse("activities:registration_question_delete", args=[track.pk]))
    assert [q.text for q in activity.questions.all()] == ["Dietary needs?"]
    assert AuditEntry.objects.filter(action__startswith="klynge.activities.question").count() == 5


def test_a_choice_answer_must_be_one_of_the_choices():
    activity = ActivityFactory()
    question = RegistrationQuestion.objects.create(
        activity=activity, text="Track?", kind=QuestionKind.CHOICE, choices=["A", "B"])

    with pytest.raises(ApplicationError, match="Please pick one of the choices."):
        registrations.answers_clean(questions=[question], raw={str(question.pk): "C"})


def test_the_staff_pages_render(staff_client):
    activity = ActivityFactory(capacity=10)
    question = RegistrationQuestion.objects.create(
        activity=activity, text="Track?", kind=QuestionKind.CHOICE, choices=["A", "B"])
    RegistrationQuestion.objects.create(activity=activity, text="Lunch?",
                                        kind=QuestionKind.YES_NO, position=1)
    RegistrationFactory(activity=activity, answers={str(question.pk): "A"})

    for url in (
        reverse("activities:registration_list", args=[activity.pk]),
        reverse("activities:registration_create", args=[activity.pk]),
        reverse("activities:registration_questions", args=[activity.pk]),
        reverse("activities:registration_question_edit", args=[question.pk]),
        reverse("activities:checkin", args=[activity.pk]),
        reverse("activities:checkin_walk_in", args=[activity.pk]),
        reverse("public_activities:signup", args=[activity.pk]),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert "Track?" in response.content.decode() or "questions" not in url, url
