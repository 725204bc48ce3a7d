"""The API's activities, registrations and participations: filters, pagination, the services'
rules and audit entries, member scoping, query counts."""

from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from klynge.activities.choices import ActivityStatus, RegistrationStatus
from klynge.activities.models import Activity, Registration
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from tests.activities.factories import (
    ActivityFactory,
    ActivityFundingFactory,
    GrantFactory,
    RegistrationFactory,
)
from tests.factories import HubFactory, OrganisationFactory, PersonFactory

URL = "/api/v1/activities/"
REGISTRATIONS = "/api/v1/registrations/"
PARTICIPATIONS = "/api/v1/participations/"


def _moment(days: int, hour: int = 10):
    return (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                           microsecond=0)


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_activity_list_filters_sorts_and_paginates(staff_api_client):
    # given three activities, two seminars
    first = ActivityFactory(title="Robot seminar", starts_at=_moment(10),
                            ends_at=_moment(10, 12))
    second = ActivityFactory(title="Data seminar", starts_at=_moment(20),
                             ends_at=_moment(20, 12))
    ActivityFactory(title="Factory visit", format="company_visit", starts_at=_moment(5),
                    ends_at=_moment(5, 12))

    # when the list is filtered by format and sorted by title
    response = staff_api_client.get(URL, {"format": "seminar", "ordering": "title"})

    # then the two seminars come back in title order
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert _ids(response) == [second.pk, first.pk]

    # and a page of one holds the first by the default order (latest start first)
    page = staff_api_client.get(URL, {"page_size": 1, "page": 2})
    assert page.json()["count"] == 3
    assert _ids(page) == [first.pk]


def test_activity_list_search_and_unknown_filter_value(staff_api_client):
    ActivityFactory(title="Hydrogen day", description="Fuel cells")
    ActivityFactory(title="Something else")

    found = staff_api_client.get(URL, {"q": "fuel"})
    bad = staff_api_client.get(URL, {"status": "exploded"})

    assert [row["title"] for row in found.json()["results"]] == ["Hydrogen day"]
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["status"]


def test_activity_list_query_count_does_not_grow_with_rows(staff_api_client):
    grant = GrantFactory()

    def make(count):
        for _ in range(count):
            activity = ActivityFactory(hub=HubFactory(name="Hub Odense"))
            ActivityFundingFactory(activity=activity, grant=grant, share=Decimal("100"))
            activity.co_organisers.add(OrganisationFactory())
            RegistrationFactory(activity=activity)

    make(2)
    with CaptureQueriesContext(connection) as few:
        assert staff_api_client.get(URL).status_code == 200
    make(28)
    with CaptureQueriesContext(connection) as many:
        response = staff_api_client.get(URL)

    assert response.json()["count"] == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_create_activity_writes_the_same_audit_entry_as_the_page(staff_api_client):
    hub = HubFactory(name="Hub Aalborg")
    body = {"title": "Battery workshop", "type": "knowledge_dissemination",
            "format": "workshop", "hub": hub.pk, "place": "Aalborg",
            "starts_at": _moment(15).isoformat(), "ends_at": _moment(15, 14).isoformat(),
            "capacity": 20}

    response = staff_api_client.post(URL, body, format="json")

    assert response.status_code == 201
    activity = Activity.objects.get(pk=response.json()["id"])
    assert (activity.title, activity.capacity, activity.hub_id) == ("Battery workshop", 20,
                                                                    hub.pk)
    assert response.json()["version"] == 1
    entry = AuditEntry.objects.get(object_id=str(activity.pk),
                                   action="klynge.activities.activity.created")
    assert entry.actor == staff_api_client.user
    assert entry.data["title"] == "Battery workshop"


def test_create_activity_refused_by_the_service_answers_400_with_the_field(staff_api_client):
    body = {"title": "Backwards", "type": "knowledge_dissemination", "format": "seminar",
            "starts_at": _moment(15, 14).isoformat(), "ends_at": _moment(15, 10).isoformat()}

    response = staff_api_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "An activity must end after it starts.",
                               "field": "ends_at",
                               "errors": {"ends_at": ["An activity must end after it starts."]}}
    assert not Activity.objects.filter(title="Backwards").exists()


def test_update_needs_the_version_and_a_stale_one_answers_409(staff_api_client):
    activity = ActivityFactory(title="Old title")

    missing = staff_api_client.patch(f"{URL}{activity.pk}/", {"title": "New"}, format="json")
    saved = staff_api_client.patch(f"{URL}{activity.pk}/", {"title": "New", "version": 1},
                                   format="json")
    stale = staff_api_client.patch(f"{URL}{activity.pk}/", {"title": "Newer", "version": 1},
                                   format="json")

    assert missing.status_code == 400
    assert list(missing.json()["errors"]) == ["version"]
    assert saved.status_code == 200
    assert (saved.json()["title"], saved.json()["version"]) == ("New", 2)
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert stale.json()["changed"] == ["title"]
    activity.refresh_from_db()
    assert activity.title == "New"


def test_status_action_cancels_with_the_reason_and_refuses_held_after(staff_api_client):
    activity = ActivityFactory(status=ActivityStatus.OPEN)

    cancelled = staff_api_client.post(f"{URL}{activity.pk}/status/",
                                      {"status": "cancelled", "reason": "Speaker ill"},
                                      format="json")
    held = staff_api_client.post(f"{URL}{activity.pk}/status/", {"status": "held"},
                                 format="json")

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    entry = AuditEntry.objects.get(object_id=str(activity.pk),
                                   action="klynge.activities.activity.cancelled")
    assert entry.data["reason"] == "Speaker ill"
    assert held.status_code == 400
    assert held.json()["detail"] == "A cancelled activity cannot be marked held."


def test_registration_on_a_full_activity_goes_to_the_waitlist(
        staff_api_client, django_capture_on_commit_callbacks):
    activity = ActivityFactory(capacity=1)
    RegistrationFactory(activity=activity)
    person = PersonFactory(first_name="Mette", last_name="Berg", email="mette@example.dk")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api_client.post(REGISTRATIONS, {"activity": activity.pk,
                                                         "person": person.pk}, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"
    assert response.json()["person_name"] == "Mette Berg"
    entry = AuditEntry.objects.get(object_id=str(activity.pk),
                                   action="klynge.activities.registration.created")
    assert entry.data["status"] == "waitlisted"
    assert [m.to for m in mail.outbox] == [["mette@example.dk"]]


def test_registration_by_email_creates_the_person_as_the_page_does(staff_api_client):
    activity = ActivityFactory()

    response = staff_api_client.post(REGISTRATIONS, {
        "activity": activity.pk, "email": "NEW@example.dk", "first_name": "Nora",
        "last_name": "Lund", "role": "speaker"}, format="json")

    assert response.status_code == 201
    registration = Registration.objects.get(pk=response.json()["id"])
    assert (registration.person.email, registration.role, registration.status) == (
        "new@example.dk", "speaker", "registered")


def test_registration_rules_answer_400_with_the_services_message(staff_api_client):
    activity = ActivityFactory()
    person = PersonFactory(first_name="Ole", last_name="Dam")
    RegistrationFactory(activity=activity, person=person)
    cancelled = ActivityFactory(status=ActivityStatus.CANCELLED)

    twice = staff_api_client.post(REGISTRATIONS, {"activity": activity.pk,
                                                  "person": person.pk}, format="json")
    on_cancelled = staff_api_client.post(REGISTRATIONS, {"activity": cancelled.pk,
                                                         "person": person.pk}, format="json")
    nobody = staff_api_client.post(REGISTRATIONS, {"activity": activity.pk}, format="json")

    assert twice.status_code == 400
    assert twice.json()["detail"] == "Ole Dam is already registered for this activity."
    assert twice.json()["field"] == "email"
    assert on_cancelled.status_code == 400
    assert on_cancelled.json()["detail"] == "This activity is cancelled."
    assert nobody.status_code == 400
    assert nobody.json()["errors"] == {"email": ["Give the person or their e-mail address."]}


def test_cancel_gives_the_seat_to_the_first_on_the_waitlist(staff_api_client):
    activity = ActivityFactory(capacity=1)
    seated = RegistrationFactory(activity=activity)
    waiting = RegistrationFactory(activity=activity, status=RegistrationStatus.WAITLISTED,
                                  waitlisted_at=timezone.now())

    response = staff_api_client.post(f"{REGISTRATIONS}{seated.pk}/cancel/")
    again = staff_api_client.post(f"{REGISTRATIONS}{seated.pk}/cancel/")

    assert response.status_code == 200
    assert response.json()["registration"]["status"] == "cancelled"
    assert [r["id"] for r in response.json()["promoted"]] == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert again.status_code == 400
    assert again.json()["detail"] == "This registration is already cancelled."


def test_attendance_is_recorded_from_the_day_and_makes_a_participation(staff_api_client):
    today = ActivityFactory(starts_at=timezone.now() - timedelta(minutes=30),
                            ends_at=timezone.now() + timedelta(hours=2))
    future = ActivityFactory()
    came = RegistrationFactory(activity=today)
    early = RegistrationFactory(activity=future)

    marked = staff_api_client.post(f"{REGISTRATIONS}{came.pk}/attendance/",
                                   {"attended": True}, format="json")
    refused = staff_api_client.post(f"{REGISTRATIONS}{early.pk}/attendance/",
                                    {"attended": True}, format="json")
    participations = staff_api_client.get(PARTICIPATIONS)

    assert marked.status_code == 200
    assert marked.json()["attended"] is True
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Attendance can be recorded from the day of the activity."
    assert _ids(participations) == [came.pk]
    assert participations.json()["results"][0]["activity"] == today.pk


def test_registrations_filter_by_activity_and_status(staff_api_client):
    activity = ActivityFactory()
    kept = RegistrationFactory(activity=activity)
    RegistrationFactory(activity=activity, status=RegistrationStatus.CANCELLED)
    RegistrationFactory()

    response = staff_api_client.get(REGISTRATIONS, {"activity": activity.pk,
                                                    "status": "registered"})

    assert _ids(response) == [kept.pk]


def test_registration_list_query_count_does_not_grow_with_rows(staff_api_client):
    activity = ActivityFactory()
    RegistrationFactory.create_batch(2, activity=activity)
    with CaptureQueriesContext(connection) as few:
        staff_api_client.get(REGISTRATIONS)
    RegistrationFactory.create_batch(28, activity=activity)
    with CaptureQueriesContext(connection) as many:
        response = staff_api_client.get(REGISTRATIONS)

    assert response.json()["count"] == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_member_reads_only_their_organisations_registrations(member_api_client):
    own = member_api_client.user.organisation
    activity = ActivityFactory()
    mine = RegistrationFactory(activity=activity, organisation=own)
    other = RegistrationFactory(activity=activity, organisation=OrganisationFactory())

    listed = member_api_client.get(REGISTRATIONS)
    foreign = member_api_client.get(f"{REGISTRATIONS}{other.pk}/")
    write = member_api_client.post(f"{REGISTRATIONS}{mine.pk}/cancel/")

    assert _ids(listed) == [mine.pk]
    assert foreign.status_code == 404
    assert write.status_code == 403
    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.REGISTERED


def test_member_reads_public_activities_and_writes_none(member_api_client):
    public = ActivityFactory(is_public=True)
    internal = ActivityFactory(is_public=False)

    listed = member_api_client.get(URL)
    hidden = member_api_client.get(f"{URL}{internal.pk}/")
    create = member_api_client.post(URL, {"title": "Mine"}, format="json")

    assert _ids(listed) == [public.pk]
    assert hidden.status_code == 404
    assert create.status_code == 403


def test_grant_giver_and_anonymous_are_refused(api_client, anon_api_client):
    ActivityFactory()

    assert api_client(Role.GRANT_GIVER).get(URL).status_code == 403
    assert anon_api_client.get(REGISTRATIONS).status_code == 401
