"""Building blocks of the KPI reads: held activities, paying members, other clusters,
EU applications and commercial outcomes as querysets or id sets."""

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from klynge.activities.choices import ActivityStatus
from klynge.activities.models import Activity
from klynge.ecosystem.choices import OrganisationKind
from klynge.ecosystem.models import Membership, Organisation
from klynge.evaluations.choices import StandardKey
from klynge.kpis.domain.counting import (
    OrganisationFacts,
    Period,
    counting_key,
)
from klynge.matchmaking.models import IntroductionOutcome
from klynge.projects.choices import (
    CARRIED_OUT_STATUSES,
    COMMERCIAL_OUTCOMES,
    SUBMITTED_STATUSES,
    ProjectKind,
)
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner

COMPANY = OrganisationKind.COMPANY
CLUSTER = OrganisationKind.CLUSTER


# --- building blocks ------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _starts_within(period: Period, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_at__gte": _day_start(period.start),
                f"{prefix}starts_at__lt": _day_start(period.day_after_end())})


def held_activities(period: Period):
    """Activities held in the period: marked held, starting within it."""
    return Activity.objects.filter(_starts_within(period), status=ActivityStatus.HELD)


def _facts(ids) -> dict[int, OrganisationFacts]:
    rows = Organisation.objects.filter(pk__in=list(ids)).values_list(
        "pk", "kind", "country", "cvr"
    )
    return {pk: OrganisationFacts(pk, kind, country or "DK", cvr)
            for pk, kind, country, cvr in rows}


def _keys(ids, *, companies_only: bool = False) -> frozenset[str]:
    return frozenset(
        counting_key(facts) for facts in _facts(ids).values()
        if not companies_only or facts.kind == COMPANY
    )


def paying_member_ids(day: date) -> set[int]:
    """Organisations with a paying membership on `day` (KPI 7, the base of KPI 1)."""
    return set(Membership.objects.paying_on(day).values_list("organisation_id", flat=True))


def paying_member_ids_during(period: Period) -> set[int]:
    """Organisations with a paying membership at some time in the period (KPI 6)."""
    return set(
        Membership.objects.filter(status="paying", start_date__lte=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .values_list("organisation_id", flat=True)
    )


def _own_cluster() -> Q:
    cvr = getattr(settings, "KLYNGE_CLUSTER_CVR", "")
    return Q(cvr=cvr) if cvr else Q(pk__in=[])


def _other_clusters():
    return Organisation.objects.filter(kind=CLUSTER).exclude(_own_cluster())


def cluster_collaboration_activities(period: Period):
    return held_activities(period).filter(co_organisers__in=_other_clusters()).distinct()


def cluster_collaboration_projects(period: Period):
    return Project.objects.filter(
        start_date__gte=period.start, start_date__lte=period.end,
        status__in=list(CARRIED_OUT_STATUSES), partners__in=_other_clusters(),
    ).distinct()


def eu_application_partnerships(period: Period):
    return ProjectPartner.objects.filter(
        project__kind=ProjectKind.EU_APPLICATION,
        project__status__in=list(SUBMITTED_STATUSES),
        project__submitted_on__gte=period.start,
        project__submitted_on__lte=period.end,
        organisation__kind=COMPANY,
    )


def commercial_outcomes(period: Period):
    return ProjectOutcome.objects.filter(
        kind__in=list(COMMERCIAL_OUTCOMES), date__gte=period.start, date__lte=period.end
    )


def commercial_introduction_outcomes(period: Period):
    """Outcomes of introductions (matchmakings) that KPI 5 counts, dated in the period."""
    return IntroductionOutcome.objects.filter(
        kind__in=list(COMMERCIAL_OUTCOMES), date__gte=period.start, date__lte=period.end
    )


INNOVATION_QUESTIONS = (StandardKey.INNOVATION_STARTED, StandardKey.KNOWLEDGE_GAINED)
