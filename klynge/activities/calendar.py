"""Activities as calendar files (.ics) and as rows for the national business-support portal.

Pure assembly: the views give the activities and how to build their links; nothing here reads
the request or the database beyond the activities' own relations.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event

from klynge.activities.choices import ActivityStatus
from klynge.activities.models import Activity

PRODID = "-//Klynge//Activities//EN"

ICS_STATUS = {
    ActivityStatus.PLANNED: "TENTATIVE",
    ActivityStatus.OPEN: "CONFIRMED",
    ActivityStatus.CLOSED: "CONFIRMED",
    ActivityStatus.HELD: "CONFIRMED",
    ActivityStatus.CANCELLED: "CANCELLED",
}

PORTAL_FIELDS = ("title", "description", "start", "end", "place", "organiser", "link")


def place_of(activity: Activity) -> str:
    """The place, or the online link for an activity held online only."""
    return activity.place or activity.online_link


def organiser_of(activity: Activity) -> str:
    """The cluster, then its co-organisers: "DigitalLead, Cleantech Cluster"."""
    names = [settings.KLYNGE_CLUSTER_NAME]
    names += [o.name for o in activity.co_organisers.all()]
    return ", ".join(names)


def organiser_label() -> str:
    return gettext("Organiser")


def activity_event(activity: Activity, *, url: str, domain: str) -> Event:
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{domain}")
    event.add("summary", activity.title)
    event.add("dtstart", activity.starts_at.astimezone(UTC))
    event.add("dtend", activity.ends_at.astimezone(UTC))
    event.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    event.add("last-modified", activity.updated_at.astimezone(UTC).replace(microsecond=0))
    event.add("status", ICS_STATUS.get(activity.status, "CONFIRMED"))
    # ORGANIZER must be an e-mail address in iCalendar; the organisers go in the text.
    parts = [activity.description, f"{organiser_label()}: {organiser_of(activity)}"]
    if activity.online_link and activity.place:
        parts.append(activity.online_link)
    event.add("description", "\n\n".join(part for part in parts if part))
    if place_of(activity):
        event.add("location", place_of(activity))
    if url:
        event.add("url", url)
    return event


def calendar_bytes(
    activities: Iterable[Activity], *, name: str, url_for: Callable[[Activity], str],
    domain: str,
) -> bytes:
    """An iCalendar file holding one event per activity."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(timezone.get_current_timezone()))
    for activity in activities:
        cal.add_component(activity_event(activity, url=url_for(activity), domain=domain))
    return cal.to_ical()


def portal_rows(
    activities: Iterable[Activity], *, link_for: Callable[[Activity], str]
) -> list[dict[str, str]]:
    """One dict per activity with PORTAL_FIELDS; dates in ISO 8601 with the local offset."""
    return [
        {
            "title": activity.title,
            "description": activity.description,
            "start": timezone.localtime(activity.starts_at).isoformat(),
            "end": timezone.localtime(activity.ends_at).isoformat(),
            "place": place_of(activity),
            "organiser": organiser_of(activity),
            "link": link_for(activity),
        }
        for activity in activities
    ]
