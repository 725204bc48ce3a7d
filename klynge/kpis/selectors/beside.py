"""Figures reported beside the KPIs: unique participants, activities by grant and type,
paying members over time and churn."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from klynge.activities.choices import ActivityStatus, ParticipationRole, RegistrationStatus
from klynge.activities.models import ActivityFunding, Registration
from klynge.ecosystem.choices import KNOWLEDGE_INSTITUTION_KINDS
from klynge.ecosystem.models import Membership, Organisation
from klynge.kpis.domain.counting import (
    OrganisationFacts,
    Period,
    churn,
    counting_key,
    month_ends,
    paying_count_on,
)
from klynge.kpis.selectors.base import (
    COMPANY,
    _starts_within,
    held_activities,
    paying_member_ids,
)

# --- beside the KPIs: participants, activities, members ------------------------------------


def attended_registrations(period: Period, *, hub_id: int | None = None):
    """Registrations that are attended participations in an activity held in the period:
    not cancelled nor waitlisted; a participant marked attended, a speaker, knowledge partner
    or organiser unless marked absent. No-shows never count."""
    registrations = Registration.objects.filter(
        _starts_within(period, "activity__"), activity__status=ActivityStatus.HELD,
        status=RegistrationStatus.REGISTERED,
    ).filter(
        Q(role=ParticipationRole.PARTICIPANT, attended=True)
        | (~Q(role=ParticipationRole.PARTICIPANT) & ~Q(attended=False))
    )
    if hub_id:
        registrations = registrations.filter(organisation__hub_id=hub_id)
    return registrations


@dataclass
class Participants:
    """Unique participants of a period: people, organisations (companies once per CVR) and
    their split by size, kind, region and hub."""

    people: int = 0
    organisations: int = 0
    companies: int = 0
    knowledge_institutions: int = 0
    startups: int = 0
    by_size: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    by_hub: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return dict(self.__dict__)


def participants(period: Period, *, hub_id: int | None = None) -> Participants:
    rows = attended_registrations(period, hub_id=hub_id).values_list("person_id",
                                                                     "organisation_id")
    people = {person for person, _org in rows}
    org_ids = {org for _person, org in rows if org}
    organisations = (
        Organisation.objects.with_size().filter(pk__in=org_ids)
        .values_list("pk", "kind", "country", "cvr", "size_value", "is_startup", "region",
                     "hub__name")
    )
    seen: dict[str, tuple] = {}
    for pk, kind, country, cvr, size, startup, region, hub in organisations:
        seen.setdefault(counting_key(OrganisationFacts(pk, kind, country or "DK", cvr)),
                        (kind, size, startup, region, hub))
    result = Participants(people=len(people), organisations=len(seen))
    kinds, sizes, regions, hubs = Counter(), Counter(), Counter(), Counter()
    for kind, size, startup, region, hub in seen.values():
        kinds[kind] += 1
        regions[region or ""] += 1
        hubs[hub or ""] += 1
        if kind == COMPANY:
            result.companies += 1
            sizes[size] += 1
            result.startups += bool(startup)
        elif kind in KNOWLEDGE_INSTITUTION_KINDS:
            result.knowledge_institutions += 1
    result.by_kind, result.by_size = dict(kinds), dict(sizes)
    result.by_region, result.by_hub = dict(regions), dict(hubs)
    return result


@dataclass
class ActivityCounts:
    """Held activities of a period: in all, by type, by format, by hub and by grant (an
    activity split across grants counts once in each grant's row and by its share in the
    weighted column, and once in the total)."""

    total: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_format: dict[str, int] = field(default_factory=dict)
    by_hub: dict[str, int] = field(default_factory=dict)
    by_grant: dict[str, int] = field(default_factory=dict)
    by_grant_weighted: dict[str, Decimal] = field(default_factory=dict)
    unfunded: int = 0


def activity_counts(period: Period, *, hub_id: int | None = None) -> ActivityCounts:
    activities = held_activities(period)
    if hub_id:
        activities = activities.filter(hub_id=hub_id)
    rows = list(activities.values_list("pk", "type", "format", "hub__name"))
    result = ActivityCounts(total=len(rows))
    result.by_type = dict(Counter(t for _pk, t, _f, _h in rows))
    result.by_format = dict(Counter(f for _pk, _t, f, _h in rows))
    result.by_hub = dict(Counter(h or "" for _pk, _t, _f, h in rows))
    fundings = ActivityFunding.objects.filter(activity__in=activities).values_list(
        "activity_id", "grant__code", "share"
    )
    funded = set()
    grants, weighted = Counter(), defaultdict(Decimal)
    for activity_id, code, portion in fundings:
        funded.add(activity_id)
        grants[code] += 1
        weighted[code] += Decimal(portion) / 100
    result.by_grant = dict(grants)
    result.by_grant_weighted = {code: value.quantize(Decimal("0.01"))
                                for code, value in weighted.items()}
    result.unfunded = result.total - len(funded)
    return result


def activities_per_month(period: Period, *, hub_id: int | None = None) -> dict[str, Counter]:
    """Held activities per month (YYYY-MM) per grant code ("" for none): the dashboard's bars.
    A split activity counts by its share in each grant."""
    activities = held_activities(period)
    if hub_id:
        activities = activities.filter(hub_id=hub_id)
    months = {pk: timezone.localtime(starts).strftime("%Y-%m")
              for pk, starts in activities.values_list("pk", "starts_at")}
    series: dict[str, Counter] = defaultdict(Counter)
    funded = set()
    for activity_id, code, portion in ActivityFunding.objects.filter(
        activity_id__in=list(months)
    ).values_list("activity_id", "grant__code", "share"):
        funded.add(activity_id)
        series[code][months[activity_id]] += float(portion) / 100
    for pk, month in months.items():
        if pk not in funded:
            series[""][month] += 1
    return dict(series)


def members_over_time(start: date, end: date) -> list[tuple[date, int]]:
    """Paying members on the last day of every month from start to end."""
    spans = list(
        Membership.objects.filter(status="paying", start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list("organisation_id", "start_date", "end_date")
    )
    return [(day, paying_count_on(day, spans)) for day in month_ends(start, end)]


def churn_for(period: Period) -> dict:
    """Paying members on the day before the period and on its last day: who left, who joined,
    and the churn rate (left as per cent of those at the start)."""
    return churn(paying_member_ids(period.start - timedelta(days=1)),
                 paying_member_ids(period.end))
