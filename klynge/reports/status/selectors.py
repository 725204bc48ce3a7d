"""Reads the status report needs beyond the KPI and funding selectors: evaluation results
over a period, international activities with their participants, EU applications with their
partners, and the grants that run in a period. Each is one or two queries however much data
there is."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from klynge.evaluations.choices import StandardKey
from klynge.evaluations.domain import answers as answer_rules
from klynge.evaluations.models import Answer, Response
from klynge.funding.choices import ActivityType
from klynge.funding.models import Grant
from klynge.kpis import selectors as kpis
from klynge.kpis.domain.counting import Period, share
from klynge.projects.choices import SUBMITTED_STATUSES, ProjectKind
from klynge.projects.models import Project

COMPANY = "company"


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _answered_within(period: Period, prefix: str = "") -> Q:
    return Q(**{f"{prefix}answered_at__gte": _moment(period.start),
                f"{prefix}answered_at__lt": _moment(period.end + timedelta(days=1))})


def standard_answer_groups(period: Period) -> list[dict]:
    """Answers to the standard questions in responses answered within the period, grouped by
    question key, kind, choice and number with their count (a small result whatever the data:
    at most eleven numbers or five choices per question)."""
    return list(
        Answer.objects.filter(_answered_within(period, "response__"),
                              question__key__in=list(StandardKey.values))
        .values("question__key", "question__kind", "choice", "number")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _question_lines(period: Period) -> list[dict]:
    totals: dict[str, dict] = defaultdict(lambda: {"answered": 0, "choices": 0, "yes": 0,
                                                   "sum": 0, "numbers": 0})
    for row in standard_answer_groups(period):
        entry, kind, count = totals[row["question__key"]], row["question__kind"], row["n"]
        if kind == answer_rules.SCALE_0_10 and row["number"] is not None:
            entry["answered"] += count
            entry["numbers"] += count
            entry["sum"] += row["number"] * count
        elif kind in answer_rules.YES_VALUES and row["choice"]:
            entry["answered"] += count
            entry["choices"] += count
            entry["yes"] += count if answer_rules.is_yes(kind, row["choice"]) else 0
    lines = []
    for key in StandardKey.values:
        entry = totals.get(key, {"answered": 0, "choices": 0, "yes": 0, "sum": 0,
                                 "numbers": 0})
        average = None
        if entry["numbers"]:
            average = (Decimal(entry["sum"]) / Decimal(entry["numbers"])).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP)
        lines.append({
            "key": key, "answered": entry["answered"], "average": average,
            "yes": entry["yes"] if entry["choices"] else None,
            "yes_share": share(entry["yes"], entry["choices"]) if entry["choices"] else None,
        })
    return lines


def evaluation_results(period: Period) -> dict:
    """Per standard question: answers, yeses (and their share) or the average of a scale; and
    the surveys answered in the period with the response rate of the responses sent in it."""
    lines = _question_lines(period)
    sent_in_period = Q(sent_at__gte=_moment(period.start),
                       sent_at__lt=_moment(period.end + timedelta(days=1)))
    counts = Response.objects.aggregate(
        sent=Count("pk", filter=sent_in_period),
        answered=Count("pk", filter=sent_in_period & Q(answered_at__isnull=False)),
        surveys=Count("survey", filter=_answered_within(period), distinct=True),
    )
    return {
        "surveys": counts["surveys"], "sent": counts["sent"], "answered": counts["answered"],
        "response_rate": share(counts["answered"], counts["sent"]), "lines": lines,
    }


def international_activities(period: Period, *, hub_id: int | None = None) -> list[dict]:
    """Held activities of type internationalisation with their attended participants (people
    and organisations), in date order."""
    activities = kpis.held_activities(period).filter(type=ActivityType.INTERNATIONALISATION)
    if hub_id:
        activities = activities.filter(hub_id=hub_id)
    rows = list(activities.order_by("starts_at", "pk").values(
        "pk", "title", "starts_at", "format", "hub__name"))
    counts = {
        row["activity_id"]: row for row in
        kpis.attended_registrations(period).filter(activity__in=activities)
        .values("activity_id")
        .annotate(people=Count("person", distinct=True),
                  organisations=Count("organisation", distinct=True))
        .order_by()
    }
    for row in rows:
        found = counts.get(row["pk"], {})
        row["people"] = found.get("people", 0)
        row["organisations"] = found.get("organisations", 0)
    return rows


def eu_applications(period: Period):
    """EU applications submitted in the period (whatever their later status) with their
    partners and company partners counted."""
    return (
        Project.objects.filter(
            kind=ProjectKind.EU_APPLICATION, status__in=list(SUBMITTED_STATUSES),
            submitted_on__gte=period.start, submitted_on__lte=period.end,
        )
        .annotate(
            partner_count=Count("partnerships", distinct=True),
            company_count=Count("partnerships", distinct=True,
                                filter=Q(partnerships__organisation__kind=COMPANY)),
        )
        .order_by("submitted_on", "title")
    )


def grants_in(period: Period) -> list[Grant]:
    """The grants whose period overlaps the report's period, by code."""
    return list(
        Grant.objects.filter(period_start__lte=period.end, period_end__gte=period.start)
        .select_related("giver").order_by("code")
    )


def years_of(grant: Grant, period: Period) -> list[int]:
    """The years a grant runs within the report's period."""
    return [year for year in grant.years if period.start.year <= year <= period.end.year]
