"""Sending an invitation: consent respected, deliveries recorded, nobody e-mailed twice."""

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from klynge.core.errors import ApplicationError
from klynge.outreach import services
from klynge.outreach.domain.segments import SegmentFilters
from klynge.outreach.models import Delivery, Invitation
from klynge.privacy import services as privacy
from klynge.privacy.models import Consent
from tests.activities.factories import ActivityFactory
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

MC = "member_communication"


@pytest.fixture
def setup():
    """Four people at one organisation: Anna and Bo consented, Carl unsubscribed, Dina has
    no consent recorded."""
    organisation = OrganisationFactory(name="Robo")
    people = {}
    for name in ["Anna", "Bo", "Carl", "Dina"]:
        people[name] = PersonFactory(first_name=name, email=f"{name.lower()}@robo.dk")
        AffiliationFactory(person=people[name], organisation=organisation)
    for name in ["Anna", "Bo", "Carl"]:
        privacy.consent_give(person=people[name], purpose=MC, source="staff")
    privacy.consent_withdraw(person=people["Carl"], purpose=MC, source="unsubscribe_link")
    people["Bo"].language = "en"
    people["Bo"].save()
    segment = services.segment_create(name="Robo people", filters=SegmentFilters())
    activity = ActivityFactory(title="Robot seminar", place="Aarhus")
    invitation = services.invitation_create(
        activity=activity, segment=segment, subject="Come to the robot seminar",
        message="We would love to see you.",
    )
    return {"invitation": invitation, "segment": segment, "activity": activity, **people}


def statuses(invitation):
    return {d.person.first_name: d.status for d in invitation.deliveries.all()}


def test_sending_mails_only_people_with_consent_and_records_everyone(setup, send):
    invitation = setup["invitation"]
    staff = UserFactory()

    job = send(invitation, actor=staff)

    assert sorted(m.to[0] for m in mail.outbox) == ["anna@robo.dk", "bo@robo.dk"]
    assert statuses(invitation) == {
        "Anna": "sent", "Bo": "sent", "Carl": "skipped_unsubscribed",
        "Dina": "skipped_no_consent",
    }
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("succeeded", 4, 4)
    invitation.refresh_from_db()
    assert invitation.sent_by == staff and invitation.sent_at is not None
    assert all(d.sent_at for d in invitation.deliveries.filter(status="sent"))


def test_the_email_has_the_facts_and_an_unsubscribe_link(setup, send):
    send(setup["invitation"])

    message = next(m for m in mail.outbox if m.to == ["anna@robo.dk"])
    assert message.subject == "Come to the robot seminar"
    assert message.body.startswith(("Dear Anna,", "Kære Anna,"))
    assert "We would love to see you." in message.body
    assert "Robot seminar" in message.body and "Aarhus" in message.body
    assert "https://klynge.example/privacy/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://klynge.example/privacy/unsubscribe/")
    english = next(m for m in mail.outbox if m.to == ["bo@robo.dk"])
    assert english.body.startswith("Dear Bo,")
    # Each in their own language: Anna's (Danish, the default) and Bo's (English) dates.
    starts = timezone.localtime(setup["activity"].starts_at)
    for person, body in (("da", message.body), ("en", english.body)):
        with translation.override(person):
            assert date_format(starts, "DATETIME_FORMAT") in body


def test_sending_twice_emails_nobody_twice(setup, send):
    invitation = setup["invitation"]
    send(invitation)
    mail.outbox.clear()

    send(invitation)

    assert mail.outbox == []
    assert Delivery.objects.filter(invitation=invitation).count() == 4


def test_a_second_send_reaches_someone_who_consented_meanwhile(setup, send):
    invitation = setup["invitation"]
    send(invitation)
    mail.outbox.clear()
    privacy.consent_give(person=setup["Dina"], purpose=MC, source="portal")

    send(invitation)

    assert [m.to for m in mail.outbox] == [["dina@robo.dk"]]
    assert statuses(invitation)["Dina"] == "sent"


def test_the_unsubscribe_link_is_respected_by_the_next_invitation(setup, send, client):
    send(setup["invitation"])
    message = next(m for m in mail.outbox if m.to == ["anna@robo.dk"])
    link = next(line for line in message.body.splitlines() if "/privacy/unsubscribe/" in line)
    path = link.split("https://klynge.example", 1)[1]

    assert client.post(path).status_code == 200

    mail.outbox.clear()
    second = services.invitation_create(
        activity=setup["activity"], segment=setup["segment"], subject="Reminder",
        message="Only a few seats left.",
    )
    send(second)
    assert [m.to for m in mail.outbox] == [["bo@robo.dk"]]
    assert statuses(second)["Anna"] == "skipped_unsubscribed"


def test_a_mail_failure_is_recorded_and_the_others_still_go(setup, send, monkeypatch):
    original = services.invitation_email

    def failing(invitation, person, *args, **kwargs):
        message = original(invitation, person, *args, **kwargs)
        if person.first_name == "Anna":
            def boom(*a, **k):
                raise OSError("mail server refused")
            message.send = boom
        return message

    monkeypatch.setattr(services, "invitation_email", failing)

    send(setup["invitation"])

    assert [m.to for m in mail.outbox] == [["bo@robo.dk"]]
    anna = setup["invitation"].deliveries.get(person=setup["Anna"])
    assert (anna.status, anna.error) == ("failed", "mail server refused")


@pytest.mark.parametrize("changes,expected", [
    ({"is_public": False}, "Only public activities can be invited to"),
    ({"status": "planned"}, "Only activities open for registration"),
    ({"status": "cancelled"}, "Only activities open for registration"),
])
def test_only_public_open_activities_can_be_invited_to(setup, changes, expected):
    activity = ActivityFactory(**changes)

    with pytest.raises(ApplicationError, match=expected):
        services.invitation_create(activity=activity, segment=setup["segment"],
                                   subject="Hello", message="Come")

    assert Invitation.objects.filter(activity=activity).count() == 0


def test_an_invitation_whose_activity_closed_is_not_sent(setup, send):
    activity = setup["activity"]
    activity.status = "closed"
    activity.save()
    consents = Consent.objects.count()

    with pytest.raises(ApplicationError, match="Only activities open for registration"):
        send(setup["invitation"])

    assert mail.outbox == []
    assert Delivery.objects.count() == 0
    assert Consent.objects.count() == consents
    setup["invitation"].refresh_from_db()
    assert setup["invitation"].sent_at is None


def test_batches_cover_everyone(setup, send, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 1)

    send(setup["invitation"])

    assert len(mail.outbox) == 2
    assert Delivery.objects.count() == 4


def test_a_segment_deleted_before_the_worker_runs_fails_the_job_cleanly(setup):
    invitation = setup["invitation"]
    job = services.invitation_send(invitation=invitation)  # on-commit task not run yet
    services.segment_delete(segment=setup["segment"])

    counts = services.invitation_deliver(invitation_id=invitation.pk)

    job.refresh_from_db()
    assert job.status == "failed"
    assert sum(counts.values()) == 0
    assert mail.outbox == [] and Delivery.objects.count() == 0
