"""The public sign-up page, the confirmation e-mail and the cancel link."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from klynge.activities import registrations
from klynge.activities.choices import ActivityStatus, QuestionKind, RegistrationSource
from klynge.activities.models import Registration, RegistrationQuestion
from klynge.core.models import AuditEntry
from klynge.ecosystem.models import Affiliation, Organisation, Person
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import OrganisationFactory, PersonFactory, next_cvr

pytestmark = pytest.mark.django_db

CONSENT = "I agree that the cluster stores my registration"


def _form(**overrides):
    data = {
        "first_name": "Karen", "last_name": "Holm", "email": "Karen@Holm.dk",
        "organisation_name": "Holm Robotics ApS", "cvr": "", "job_title": "CTO",
        "consent": "on", "website": "",
    }
    data.update(overrides)
    return data


def _signup(client, activity, capture, **overrides):
    with capture(execute=True):
        return client.post(reverse("public_activities:signup", args=[activity.pk]),
                           _form(**overrides))


def _counts():
    return (Registration.objects.count(), Person.objects.count(), Organisation.objects.count(),
            Affiliation.objects.count(), AuditEntry.objects.count(), len(mail.outbox))


def _cancel_path(body: str) -> str:
    match = re.search(r"http://testserver(/events/cancel/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def test_the_page_shows_the_activity_and_the_form(client):
    activity = ActivityFactory(title="Robots in food", place="Odense", description="Hands-on.")

    response = client.get(reverse("public_activities:signup", args=[activity.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Robots in food" in text and "Odense" in text and "Hands-on." in text
    assert CONSENT in text
    assert 'name="website"' in text


def test_happy_path_creates_person_organisation_registration_and_sends_a_working_link(
    client, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(title="Robots in food")
    cvr = next_cvr()

    response = _signup(client, activity, django_capture_on_commit_callbacks, cvr=cvr)

    assert response.status_code == 302
    assert response["Location"] == reverse("public_activities:signup_done", args=[activity.pk])
    person = Person.objects.get()
    assert (person.email, person.first_name, person.job_title) == ("karen@holm.dk", "Karen", "CTO")
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.cvr) == ("Holm Robotics ApS", cvr)
    assert Affiliation.objects.get().organisation == organisation
    registration = Registration.objects.get()
    assert (registration.status, registration.source, registration.organisation) == (
        "registered", RegistrationSource.PUBLIC, organisation)
    entry = AuditEntry.objects.get(action="klynge.activities.registration.created")
    assert entry.data["registration_id"] == registration.pk
    assert "karen@holm.dk" not in str(entry.data)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["karen@holm.dk"]
    assert message.subject == "You are registered: Robots in food"

    done = client.get(response["Location"])
    assert "you are registered" in done.content.decode()

    cancel_path = _cancel_path(message.body)
    assert client.get(cancel_path).status_code == 200
    assert client.post(cancel_path).status_code == 200
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert registration.cancelled_at is not None


def test_the_email_is_in_the_persons_preferred_language(client, django_capture_on_commit_callbacks):
    activity = ActivityFactory(title="Robotter")
    PersonFactory(email="karen@holm.dk", language="da")
    with translation.override("da"):
        danish_date = formats.date_format(timezone.localtime(activity.starts_at),
                                          "DATETIME_FORMAT")
    with translation.override("en"):
        english_date = formats.date_format(timezone.localtime(activity.starts_at),
                                           "DATETIME_FORMAT")

    _signup(client, activity, django_capture_on_commit_callbacks)

    assert danish_date != english_date
    assert danish_date in mail.outbox[0].body


def test_an_existing_person_and_organisation_are_matched_not_duplicated(
    client, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    organisation = OrganisationFactory(name="Holm Robotics ApS")
    person = PersonFactory(email="karen@holm.dk", first_name="Karen")

    _signup(client, activity, django_capture_on_commit_callbacks, cvr=organisation.cvr,
            first_name="Changed")

    assert Person.objects.count() == 1 and Organisation.objects.count() == 1
    person.refresh_from_db()
    assert person.first_name == "Karen"  # a visitor's typing never changes the registry
    assert Affiliation.objects.get().organisation == organisation
    assert Registration.objects.get().person == person


def test_organisation_matched_by_exact_name(client, django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    organisation = OrganisationFactory(name="Holm Robotics ApS", cvr=None)

    _signup(client, activity, django_capture_on_commit_callbacks)

    assert Organisation.objects.count() == 1
    assert Registration.objects.get().organisation == organisation


def test_a_wrong_cvr_is_refused_with_the_usual_message_and_nothing_written(
    client, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    before = _counts()

    response = _signup(client, activity, django_capture_on_commit_callbacks, cvr="12345678")

    assert response.status_code == 200
    assert "its check digit is wrong (modulus-11 rule)" in response.content.decode()
    assert _counts() == before


def test_past_capacity_goes_to_the_waitlist_and_says_so(client, django_capture_on_commit_callbacks):
    activity = ActivityFactory(capacity=1, title="Small room")
    RegistrationFactory(activity=activity)

    response = _signup(client, activity, django_capture_on_commit_callbacks)

    registration = Registration.objects.get(person__email="karen@holm.dk")
    assert registration.status == "waitlisted"
    assert registration.waitlisted_at is not None
    assert mail.outbox[0].subject == "You are on the waitlist: Small room"
    assert "waitlist" in mail.outbox[0].body
    assert "You are on the waitlist." in client.get(response["Location"]).content.decode()


def test_cancelling_moves_the_first_on_the_waitlist_up_and_tells_them(
    client, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(capacity=1, title="Small room")
    seated = RegistrationFactory(activity=activity)
    now = timezone.now()
    first = RegistrationFactory(activity=activity, status="waitlisted",
                                waitlisted_at=now - timedelta(hours=2), person__language="en")
    second = RegistrationFactory(activity=activity, status="waitlisted",
                                 waitlisted_at=now - timedelta(hours=1))
    path = reverse("public_activities:cancel", args=[registrations.cancel_token(seated)])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)

    assert response.status_code == 200
    statuses = {r.pk: r.status for r in Registration.objects.all()}
    assert statuses == {seated.pk: "cancelled", first.pk: "registered", second.pk: "waitlisted"}
    assert [m.to for m in mail.outbox] == [[first.person.email]]
    assert mail.outbox[0].subject == "You have a seat: Small room"  # in their language
    actions = list(AuditEntry.objects.filter(action__startswith="klynge.activities.registration")
                   .values_list("action", flat=True).order_by("pk"))
    assert actions == ["klynge.activities.registration.cancelled",
                       "klynge.activities.registration.promoted"]


def test_the_same_email_twice_is_refused_and_nothing_written(
    client, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    _signup(client, activity, django_capture_on_commit_callbacks)
    before = _counts()

    response = _signup(client, activity, django_capture_on_commit_callbacks,
                       email="KAREN@holm.dk", organisation_name="Another ApS")

    assert response.status_code == 200
    assert "You are already registered for this activity" in response.content.decode()
    assert _counts() == before


def test_the_database_constraint_backs_the_duplicate_rule():
    activity = ActivityFactory()
    person = PersonFactory()
    RegistrationFactory(activity=activity, person=person)

    # The check before the insert misses a concurrent sign-up; the constraint catches it.
    with (
        mock.patch("django.db.models.query.QuerySet.exists", return_value=False),
        pytest.raises(registrations.ApplicationError, match="already registered"),
    ):
        registrations.registration_create(activity=activity, person=person)
    assert Registration.objects.filter(activity=activity, person=person).count() == 1


def test_signing_up_again_after_cancelling_is_allowed(client, django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    person = PersonFactory(email="karen@holm.dk")
    RegistrationFactory(activity=activity, person=person, status="cancelled",
                        cancelled_at=timezone.now())

    _signup(client, activity, django_capture_on_commit_callbacks)

    assert sorted(Registration.objects.values_list("status", flat=True)) == [
        "cancelled", "registered"]


def test_an_internal_activity_has_no_public_page(client):
    activity = ActivityFactory(is_public=False)

    assert client.get(reverse("public_activities:signup", args=[activity.pk])).status_code == 404
    response = client.post(reverse("public_activities:signup", args=[activity.pk]), _form())
    assert response.status_code == 404
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": ActivityStatus.PLANNED}, "Registration for this activity is closed."),
        ({"registration_deadline": timezone.now() - timedelta(hours=1)},
         "The registration deadline has passed."),
        ({"starts_at": timezone.now() - timedelta(hours=1),
          "ends_at": timezone.now() + timedelta(hours=1)},
         "This activity has already started; registration is closed."),
    ],
    ids=["not-open", "deadline", "started"],
)
def test_a_closed_activity_refuses_signups(client, django_capture_on_commit_callbacks, changes,
                                           message):
    activity = ActivityFactory(**changes)
    before = _counts()

    page = client.get(reverse("public_activities:signup", args=[activity.pk]))
    response = _signup(client, activity, django_capture_on_commit_callbacks)

    for answer in (page, response):
        text = answer.content.decode()
        assert "Registration is closed" in text and message in text
        assert CONSENT not in text
    assert _counts() == before


def test_the_service_refuses_after_the_deadline_too():
    activity = ActivityFactory(registration_deadline=timezone.now() - timedelta(minutes=1))

    with pytest.raises(registrations.ApplicationError, match="deadline has passed"):
        registrations.public_signup(activity=activity, first_name="A", last_name="B",
                                    email="a@b.dk")
    assert Person.objects.count() == 0


def test_a_required_question_is_enforced(client, django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    diet = RegistrationQuestion.objects.create(activity=activity, text="Dietary needs?",
                                               required=True)
    lunch = RegistrationQuestion.objects.create(
        activity=activity, text="Lunch?", kind=QuestionKind.YES_NO, position=1)
    before = _counts()

    refused = _signup(client, activity, django_capture_on_commit_callbacks)

    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert _counts() == before

    accepted = _signup(client, activity, django_capture_on_commit_callbacks,
                       **{f"q_{diet.pk}": "Vegetarian", f"q_{lunch.pk}": "yes"})

    assert accepted.status_code == 302
    assert Registration.objects.get().answers == {str(diet.pk): "Vegetarian",
                                                  str(lunch.pk): "yes"}


def test_the_service_enforces_required_questions_too():
    activity = ActivityFactory()
    RegistrationQuestion.objects.create(activity=activity, text="Dietary needs?", required=True)

    with pytest.raises(registrations.ApplicationError, match="Please answer: Dietary needs?"):
        registrations.public_signup(activity=activity, first_name="A", last_name="B",
                                    email="a@b.dk", organisation_name="New ApS")
    assert (Person.objects.count(), Organisation.objects.count()) == (0, 0)


def test_consent_is_required(client, django_capture_on_commit_callbacks):
    activity = ActivityFactory()

    response = _signup(client, activity, django_capture_on_commit_callbacks, consent="")

    assert "Please agree so that we can register you." in response.content.decode()
    assert Registration.objects.count() == 0


def test_the_honeypot_refuses_bots(client, django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    before = _counts()

    response = _signup(client, activity, django_capture_on_commit_callbacks,
                       website="http://spam.example")

    assert response.status_code == 400
    assert _counts() == before


def test_a_forged_link_is_refused_and_nothing_changes(client):
    registration = RegistrationFactory()
    token = registrations.cancel_token(registration)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    for path in (reverse("public_activities:cancel", args=[forged]),
                 reverse("public_activities:cancel", args=["4242"])):
        response = client.post(path)
        assert response.status_code == 400
        assert "This link is not valid." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "registered"


def test_an_old_link_is_refused_as_expired(client):
    registration = RegistrationFactory()
    long_ago = time.time() - registrations.CANCEL_LINK_MAX_AGE - 60
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        token = registrations.cancel_token(registration)

    response = client.post(reverse("public_activities:cancel", args=[token]))

    assert response.status_code == 400
    assert "This link has expired." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "registered"


def test_a_link_expires_when_the_activity_starts(client):
    registration = RegistrationFactory(
        activity=ActivityFactory(starts_at=timezone.now() - timedelta(minutes=5),
                                 ends_at=timezone.now() + timedelta(hours=1)))
    token = registrations.cancel_token(registration)

    response = client.post(reverse("public_activities:cancel", args=[token]))

    assert response.status_code == 400
    assert "the activity has started" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "registered"


def test_a_token_for_another_purpose_is_refused():
    from django.core import signing

    registration = RegistrationFactory()
    token = signing.dumps({"r": registration.pk, "p": registration.person_id}, salt="other")

    with pytest.raises(registrations.ApplicationError, match="not valid"):
        registrations.registration_for_token(token)


def test_a_used_link_says_the_registration_is_cancelled(client):
    registration = RegistrationFactory()
    path = reverse("public_activities:cancel", args=[registrations.cancel_token(registration)])
    client.post(path)

    response = client.post(path)

    assert response.status_code == 200
    assert "Your registration is cancelled." in response.content.decode()
    assert AuditEntry.objects.filter(action="klynge.activities.registration.cancelled").count() == 1


def test_the_confirmation_page_needs_the_signup_session(client):
    activity = ActivityFactory()

    response = client.get(reverse("public_activities:signup_done", args=[activity.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("public_activities:signup", args=[activity.pk])
