"""Who a retention rule would anonymise: the one query the dry run and the real run share.

For a rule with window W = `inactive_months` months back from today (from the start of the
day W months ago, Copenhagen time, to now), a person is a candidate when all of this holds:
1. not anonymised already, and their record was created before the window began;
2. not the person of a cluster-team login (administrator, management, staff);
3. for the scope "non-member contacts": no affiliation running at any time in the window
   (no start or start on or before today; no end or end on or after the window's first day)
   to an organisation with a paying, partner or honorary membership running at any time in
   the window;
4. inactive in the window: none of
   - a registration made, or for an activity starting, in the window (activities);
   - an interaction dated in the window (ecosystem);
   - an introduction made, sent or answered in the window (matchmaking);
   - a B2B participation or meeting request registered in the window (brokerage);
   - a survey answered in the window (evaluations);
   - a consent given in the window, or any consent in force today (privacy);
   - a sign-in of their login account in the window (core).
   Each app states its part in its privacy.py (`active_person_ids`), so a new app adds its
   own kind of activity there.
"""

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.choices import ACTIVE_MEMBERSHIP_STATUSES
from klynge.ecosystem.models import Affiliation, Membership, Person
from klynge.privacy.choices import RetentionScope
from klynge.privacy.models import RetentionRule
from klynge.privacy.registry import activity_queries


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    import calendar

    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_start(rule: RetentionRule, today: date) -> datetime:
    """The first moment of the rule's window for a run on `today`."""
    first_day = months_before(today, rule.inactive_months)
    return timezone.make_aware(datetime.combine(first_day, time.min))


def _member_affiliations(first_day: date, today: date) -> QuerySet:
    memberships = Membership.objects.filter(
        status__in=list(ACTIVE_MEMBERSHIP_STATUSES), start_date__lte=today,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=first_day))
    return Affiliation.objects.filter(
        organisation__in=memberships.values("organisation"),
    ).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today),
        Q(end_date__isnull=True) | Q(end_date__gte=first_day),
    ).values("person")


def retention_candidates(rule: RetentionRule, *, today: date | None = None) -> QuerySet:
    """The people `rule` would anonymise on `today`, by name (a Person queryset)."""
    today = today or timezone.localdate()
    since = window_start(rule, today)
    people = Person.objects.filter(erased_at__isnull=True, created_at__lt=since).exclude(
        pk__in=Person.objects.filter(user__role__in=list(CLUSTER_TEAM)).values("pk"))
    if rule.scope == RetentionScope.NON_MEMBER_CONTACTS:
        people = people.exclude(pk__in=_member_affiliations(since.date(), today))
    for active in activity_queries(since=since):
        people = people.exclude(pk__in=active)
    return people.order_by("last_name", "first_name", "pk")


def pending_retention_count(*, today: date | None = None) -> int:
    """How many people the active rules would anonymise today (each person once)."""
    ids: set[int] = set()
    for rule in RetentionRule.objects.filter(is_active=True):
        ids.update(retention_candidates(rule, today=today).values_list("pk", flat=True))
    return len(ids)
