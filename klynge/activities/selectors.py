"""Reads of activities and focus networks: lists, summaries, calendars, timelines, verdicts."""

from collections.abc import Callable
from datetime import timedelta
from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.activities.choices import ActivityStatus, RegistrationStatus
from klynge.activities.models import (
    Activity,
    ActivityFunding,
    FocusNetwork,
    FocusNetworkMember,
    Registration,
)
from klynge.core.audit import audit_entries_for
from klynge.ecosystem.models import Organisation, Person
from klynge.ecosystem.selectors import TimelineEntry

#: How far back the subscribable feed reaches, so calendars keep recent history.
FEED_HISTORY_DAYS = 180


def _live(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}status": RegistrationStatus.CANCELLED})


def activity_list() -> QuerySet[Activity]:
    """Activities with their hub, funding and registration counts, in a constant number of
    queries however many rows."""
    registered = Q(registrations__status=RegistrationStatus.REGISTERED)
    return (
        Activity.objects.select_related("hub", "focus_network")
        .prefetch_related(
            Prefetch("fundings", queryset=_fundings()), "co_organisers", "focus_areas"
        )
        .annotate(
            registered_count=Count("registrations", filter=registered, distinct=True),
            waitlisted_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
                distinct=True,
            ),
            attended_count=Count(
                "registrations", filter=registered & Q(registrations__attended=True),
                distinct=True,
            ),
        )
    )


def _fundings():
    return ActivityFunding.objects.select_related("grant", "grant__giver").order_by("-share")


def activity_detail(pk: int) -> Activity:
    return (
        Activity.objects.select_related("hub", "focus_network", "responsible")
        .prefetch_related(
            Prefetch("fundings", queryset=_fundings()), "co_organisers", "focus_areas"
        )
        .get(pk=pk)
    )


def grant_verdicts(activity: Activity):
    """The grant rules' verdicts for a planned activity, from klynge.funding, or None while
    the funding app does not offer them yet (the page then shows nothing)."""
    try:
        from klynge.funding.selectors import verdicts_for_activity
    except ImportError:
        return None
    return verdicts_for_activity(activity)


def upcoming(*, hub_id: int | None = None, include_cancelled: bool = True) -> QuerySet[Activity]:
    """Activities that have not ended yet, soonest first."""
    queryset = activity_list().filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")
    if hub_id:
        queryset = queryset.filter(hub_id=hub_id)
    if not include_cancelled:
        queryset = queryset.exclude(status=ActivityStatus.CANCELLED)
    return queryset


def calendar_months(activities) -> list[tuple]:
    """Activities grouped by the month they start in: [(first day of month, [activities])]."""
    def month(activity):
        return timezone.localtime(activity.starts_at).date().replace(day=1)

    return [(key, list(group)) for key, group in groupby(activities, key=month)]


def public_feed_activities() -> QuerySet[Activity]:
    """What the subscribable calendar holds: public activities, not cancelled, from the
    recent past on."""
    since = timezone.now() - timedelta(days=FEED_HISTORY_DAYS)
    return (
        Activity.objects.filter(is_public=True, ends_at__gte=since)
        .exclude(status=ActivityStatus.CANCELLED)
        .select_related("hub")
        .prefetch_related("co_organisers")
        .order_by("starts_at", "pk")
    )


def portal_activities() -> QuerySet[Activity]:
    """What the national business-support portal gets: upcoming public activities."""
    return public_feed_activities().filter(ends_at__gte=timezone.now())


def audit_trail(record, limit: int = 50):
    return audit_entries_for(record, limit=limit)


# --- focus networks ---------------------------------------------------------------------------


def focus_network_list() -> QuerySet[FocusNetwork]:
    return FocusNetwork.objects.select_related("hub").annotate(
        member_count=Count(
            "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
        ),
        activity_count=Count("activities", distinct=True),
    )


def focus_network_members(network: FocusNetwork, *, current: bool = True):
    members = network.memberships.select_related("person")
    if current:
        members = members.filter(left_on__isnull=True)
    return members.order_by("person__last_name", "person__first_name")


def focus_network_meetings(network: FocusNetwork) -> QuerySet[Activity]:
    return network.activities.select_related("hub").order_by("-starts_at")


def focus_network_former_members(network: FocusNetwork) -> QuerySet[FocusNetworkMember]:
    return network.memberships.filter(left_on__isnull=False).select_related("person")


# --- timelines (registered in ActivitiesConfig.ready) -----------------------------------------


def _attendance(registration: Registration) -> str:
    if registration.status == RegistrationStatus.WAITLISTED:
        return _("on the waitlist")
    if registration.attended is True:
        return _("attended")
    if registration.attended is False:
        return _("did not attend")
    if registration.activity.status == ActivityStatus.CANCELLED:
        return _("activity cancelled")
    return _("registered")


def _registration_entries(registrations, *, who: Callable[[Registration], str]):
    entries = []
    for registration in registrations:
        activity = registration.activity
        kind = _("Participation") if registration.attended else _("Registration")
        detail = " · ".join(
            part for part in (who(registration), registration.get_role_display(),
                              _attendance(registration)) if part
        )
        entries.append(TimelineEntry(
            timezone.localtime(activity.starts_at).date(), kind, activity.title, detail,
            reverse("activities:activity_detail", args=[activity.pk]),
        ))
    return entries


def organisation_registrations(organisation: Organisation) -> list[TimelineEntry]:
    """The organisation's people's registrations and participations (cancelled ones left out)."""
    registrations = (
        Registration.objects.filter(_live(), organisation=organisation)
        .select_related("activity", "person")
    )
    return _registration_entries(registrations, who=lambda r: r.person.full_name)


def organisation_co_organised(organisation: Organisation) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            timezone.localtime(activity.starts_at).date(), _("Co-organised"), activity.title,
            activity.get_status_display(),
            reverse("activities:activity_detail", args=[activity.pk]),
        )
        for activity in organisation.co_organised_activities.all()
    ]


def person_registrations(person: Person) -> list[TimelineEntry]:
    registrations = (
        Registration.objects.filter(_live(), person=person)
        .select_related("activity", "organisation")
    )
    return _registration_entries(
        registrations, who=lambda r: r.organisation.name if r.organisation else ""
    )
