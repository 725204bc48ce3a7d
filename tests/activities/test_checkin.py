"""The check-in list: tap to mark (htmx), undo, bulk marking, no-shows, walk-ins."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from klynge.activities import registrations
from klynge.activities.models import Registration
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _today_activity(**kwargs):
    now = timezone.now()
    return ActivityFactory(starts_at=now - timedelta(minutes=30),
                           ends_at=now + timedelta(hours=2), **kwargs)


def test_the_list_shows_registered_people_only(staff_client):
    activity = _today_activity()
    RegistrationFactory(activity=activity, person=PersonFactory(first_name="Anna"))
    RegistrationFactory(activity=activity, person=PersonFactory(first_name="Bo"),
                        status="waitlisted", waitlisted_at=timezone.now())
    RegistrationFactory(activity=activity, person=PersonFactory(first_name="Carl"),
                        status="cancelled", cancelled_at=timezone.now())

    response = staff_client.get(reverse("activities:checkin", args=[activity.pk]))

    assert [r.person.first_name for r in response.context["rows"]] == ["Anna"]
    text = response.content.decode()
    assert "activities/checkin.js" in text
    assert "<script>" not in text  # no inline script: the CSP is coming


def test_a_tap_marks_attended_and_returns_the_row(staff_client):
    registration = RegistrationFactory(activity=_today_activity())

    response = staff_client.post(
        reverse("activities:checkin_mark", args=[registration.pk]), {"mark": "attended"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<li class="checkin-row is-attended" '
                                                         f'id="reg-{registration.pk}"')
    registration.refresh_from_db()
    assert registration.attended is True
    assert registration.checked_in_at is not None


def test_undo_a_mistaken_mark(staff_client):
    registration = RegistrationFactory(activity=_today_activity(), attended=True,
                                       checked_in_at=timezone.now())

    staff_client.post(reverse("activities:checkin_mark", args=[registration.pk]),
                      {"mark": "unmarked"})

    registration.refresh_from_db()
    assert (registration.attended, registration.checked_in_at) == (None, None)
    entry = AuditEntry.objects.get(action="klynge.activities.attendance.marked")
    assert (entry.data["attended"], entry.data["previous"]) == (None, True)


def test_a_waitlisted_person_cannot_be_checked_in(staff_client):
    registration = RegistrationFactory(activity=_today_activity(), status="waitlisted",
                                       waitlisted_at=timezone.now())

    response = staff_client.post(
        reverse("activities:checkin_mark", args=[registration.pk]), {"mark": "attended"},
        headers={"HX-Request": "true"},
    )

    assert "Only registered people can be checked in." in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


def test_attendance_waits_for_the_day_of_the_activity():
    registration = RegistrationFactory(activity=ActivityFactory())

    with pytest.raises(ApplicationError, match="from the day of the activity"):
        registrations.attendance_mark(registration=registration, attended=True, actor=None)
    registration.refresh_from_db()
    assert registration.attended is None


def test_bulk_marking_with_checkboxes(staff_client):
    activity = _today_activity()
    first, second, third = RegistrationFactory.create_batch(3, activity=activity)
    elsewhere = RegistrationFactory(activity=_today_activity())

    response = staff_client.post(
        reverse("activities:checkin_bulk", args=[activity.pk]),
        {"action": "attended", "registration": [first.pk, second.pk, elsewhere.pk]},
    )

    assert response.status_code == 302
    attended = dict(Registration.objects.values_list("pk", "attended"))
    assert attended == {first.pk: True, second.pk: True, third.pk: None, elsewhere.pk: None}


def test_mark_all_unmarked_as_no_show(staff_client):
    activity = _today_activity()
    came = RegistrationFactory(activity=activity, attended=True)
    unmarked = RegistrationFactory.create_batch(2, activity=activity)
    waiting = RegistrationFactory(activity=activity, status="waitlisted",
                                  waitlisted_at=timezone.now())

    staff_client.post(reverse("activities:checkin_no_shows", args=[activity.pk]))

    attended = dict(Registration.objects.values_list("pk", "attended"))
    assert attended == {came.pk: True, unmarked[0].pk: False, unmarked[1].pk: False,
                        waiting.pk: None}
    counts = registrations.registration_counts(activity=activity)
    assert (counts.attended, counts.no_shows, counts.unmarked) == (1, 2, 0)
    entry = AuditEntry.objects.get(action="klynge.activities.attendance.no_shows_marked")
    assert sorted(entry.data["registration_ids"]) == sorted(r.pk for r in unmarked)


def test_a_walk_in_is_registered_and_attended_at_once(staff_client):
    activity = _today_activity(capacity=1)
    RegistrationFactory(activity=activity)
    organisation = OrganisationFactory()

    response = staff_client.post(
        reverse("activities:checkin_walk_in", args=[activity.pk]),
        {"email": "door@firma.dk", "first_name": "Dora", "organisation": organisation.cvr},
    )

    assert response.status_code == 302
    walk_in = Registration.objects.get(person__email="door@firma.dk")
    assert (walk_in.status, walk_in.attended, walk_in.organisation) == (
        "registered", True, organisation)


def test_the_checkin_pages_are_for_the_team(member_client):
    activity = _today_activity()

    assert member_client.get(reverse("activities:checkin", args=[activity.pk])).status_code == 403
