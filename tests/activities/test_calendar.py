"""Calendar files (.ics) and the export of public activities for the business-support portal."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.urls import NoReverseMatch, reverse
from icalendar import Calendar

from tests.activities.factories import ActivityFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

STARTS = datetime(2031, 5, 6, 7, 0, tzinfo=UTC)  # 09:00 in Copenhagen (summer time)
ENDS = datetime(2031, 5, 6, 10, 30, tzinfo=UTC)


def _events(response):
    return Calendar.from_ical(response.content).walk("VEVENT")


def _signup_or_detail(activity) -> str:
    try:
        path = reverse("public_activities:signup", args=[activity.pk])
    except NoReverseMatch:
        path = reverse("activities:activity_detail", args=[activity.pk])
    return f"http://testserver{path}"


def test_one_activity_as_ics(client):
    activity = ActivityFactory(
        title="Cyber security breakfast", description="Threats in 2031.", place="DTU Lyngby",
        starts_at=STARTS, ends_at=ENDS,
    )
    activity.co_organisers.add(OrganisationFactory(name="CenSec"))

    response = client.get(reverse("activities:activity_ical", args=[activity.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = _events(response)
    assert str(event["summary"]) == "Cyber security breakfast"
    assert event.decoded("dtstart") == STARTS
    assert event.decoded("dtend") == ENDS
    assert str(event["location"]) == "DTU Lyngby"
    assert str(event["uid"]) == f"activity-{activity.pk}@testserver"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["description"]) == "Threats in 2031.\n\nOrganiser: DigitalLead, CenSec"
    assert str(event["url"]) == _signup_or_detail(activity)


def test_an_internal_activity_ics_is_hidden_from_the_public(client, staff_client):
    activity = ActivityFactory(is_public=False)
    url = reverse("activities:activity_ical", args=[activity.pk])

    assert staff_client.get(url).status_code == 200
    staff_client.logout()
    assert client.get(url).status_code == 404


def test_a_missing_activity_ics_is_404(client):
    assert client.get(reverse("activities:activity_ical", args=[4242])).status_code == 404


def test_the_feed_holds_public_activities_that_are_not_cancelled(client):
    ActivityFactory(title="Public", starts_at=STARTS, ends_at=ENDS)
    ActivityFactory(title="Planned", status="planned")
    ActivityFactory(title="Internal", is_public=False)
    ActivityFactory(title="Cancelled", status="cancelled")

    response = client.get(reverse("activities:public_feed"))

    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "DigitalLead activities"
    by_title = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert sorted(by_title) == ["Planned", "Public"]
    assert str(by_title["Planned"]["status"]) == "TENTATIVE"


def test_portal_export_json(client):
    activity = ActivityFactory(
        title="Grøn IT", description="Om bæredygtig software.", place="Odense",
        starts_at=STARTS, ends_at=ENDS,
    )
    activity.co_organisers.add(OrganisationFactory(name="Erhvervshus Fyn"))
    ActivityFactory(title="Internal", is_public=False)
    ActivityFactory(title="Cancelled", status="cancelled")

    response = client.get(reverse("activities:portal_export"), {"format": "json"})

    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    assert body["organiser"] == "DigitalLead"
    assert body["activities"] == [{
        "title": "Grøn IT",
        "description": "Om bæredygtig software.",
        "start": "2031-05-06T09:00:00+02:00",
        "end": "2031-05-06T12:30:00+02:00",
        "place": "Odense",
        "organiser": "DigitalLead, Erhvervshus Fyn",
        "link": _signup_or_detail(activity),
    }]


def test_portal_export_csv(client):
    activity = ActivityFactory(
        title="Webinar: 5G", description="", place="", online_link="https://meet.example/5g",
        starts_at=STARTS, ends_at=ENDS,
    )

    response = client.get(reverse("activities:portal_export"), {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["title", "description", "start", "end", "place", "organiser", "link"],
        ["Webinar: 5G", "", "2031-05-06T09:00:00+02:00", "2031-05-06T12:30:00+02:00",
         "https://meet.example/5g", "DigitalLead", _signup_or_detail(activity)],
    ]


def test_portal_export_leaves_out_past_activities(client):
    ActivityFactory(
        title="Long ago", starts_at=datetime(2020, 1, 1, 9, tzinfo=UTC),
        ends_at=datetime(2020, 1, 1, 12, tzinfo=UTC),
    )

    body = json.loads(client.get(reverse("activities:portal_export")).content)

    assert body["activities"] == []
