"""Reads of the funding app: the grant rules' verdicts per activity and per grant and year,
and the action plan's plan against actual.

The funding app sits below the activities app, so it never imports it: activities are
reached through reverse relations (grant.activity_fundings, activity.registrations) and the
registration model by its label.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q, Sum, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from klynge.ecosystem.choices import KNOWLEDGE_INSTITUTION_KINDS
from klynge.ecosystem.models import Organisation
from klynge.funding.domain import rules
from klynge.funding.messages import message_for
from klynge.funding.models import ActionPlan, BudgetLine, Cost, Grant, TimeRegistration

HELD = "held"
CANCELLED = "cancelled"
PARTICIPANT = "participant"
ZERO = Decimal("0.00")

LIVE_REGISTRATIONS = "funding_live_registrations"


# --- facts from the database ---------------------------------------------------------------


def actor_facts(organisation) -> rules.ActorFacts:
    return rules.ActorFacts(
        organisation_id=organisation.pk,
        kind=organisation.kind,
        size=str(organisation.size),
        region=organisation.region or "",
        is_knowledge_institution=organisation.is_knowledge_institution,
        is_company=organisation.kind == "company",
    )


def _registration_counts(registration, held: bool) -> bool:
    """Whether a live registration's organisation is an actor of the activity.

    Before the activity is held every live registration counts (planning: who is coming).
    Once held, a participant counts only if marked attended; speakers, knowledge partners
    and organisers count unless marked absent (their part is planned, not a sign-up).
    """
    if not held:
        return True
    if registration.role == PARTICIPANT:
        return registration.attended is True
    return registration.attended is not False


@dataclass(frozen=True)
class LiveRegistration:
    """What the facts read of a live registration: who (the organisation) and how."""

    organisation_id: int
    organisation: object
    role: str
    attended: bool | None


def prefetch_for_facts(activities) -> None:
    """Load what activity_facts needs for many activities in a constant number of queries.

    Registrations are read as four columns rather than model objects, and each organisation
    once however many registrations point to it: a year of a large grant has thousands of
    registrations of a few hundred organisations.
    """
    activities = list(activities)
    registration = apps.get_model("activities", "Registration")
    prefetch_related_objects(activities, "co_organisers")
    live_rows = (
        registration.objects.exclude(status=CANCELLED)
        .filter(organisation__isnull=False, activity__in=[a.pk for a in activities])
    )
    rows = list(live_rows.order_by("pk").values_list("activity_id", "organisation_id", "role",
                                                     "attended"))
    # A subquery, not a list of ids: one query however many organisations (in_bulk would
    # split a long list into batches on SQLite).
    organisations = {o.pk: o for o in Organisation.objects.filter(
        pk__in=live_rows.values("organisation_id"))} if rows else {}
    live = defaultdict(list)
    for activity_id, organisation_id, role, attended in rows:
        live[activity_id].append(LiveRegistration(
            organisation_id, organisations[organisation_id], role, attended))
    for activity in activities:
        setattr(activity, LIVE_REGISTRATIONS, live[activity.pk])


def activity_facts(activity) -> rules.ActivityFacts:
    """The facts of one activity: its distinct organisations (co-organisers, organisations of
    live registrations, attended ones once held) and its focus."""
    if not hasattr(activity, LIVE_REGISTRATIONS):
        prefetch_for_facts([activity])
    held = activity.status == HELD
    organisations = {org.pk: org for org in activity.co_organisers.all()}
    for registration in getattr(activity, LIVE_REGISTRATIONS):
        if _registration_counts(registration, held):
            organisations.setdefault(registration.organisation_id, registration.organisation)
    return rules.ActivityFacts(
        type=activity.type,
        actors=tuple(actor_facts(org) for org in organisations.values()),
        green_focus=bool(activity.green_focus),
        innovation_project=bool((activity.innovation_project or "").strip()),
    )


# --- verdicts per activity -----------------------------------------------------------------


@dataclass(frozen=True)
class VerdictLine:
    """A verdict with its message in the active language."""

    rule: str
    ok: bool
    code: str
    message: str
    params: dict = field(default_factory=dict)


def verdict_lines(verdicts) -> list[VerdictLine]:
    return [VerdictLine(v.rule, v.ok, v.code, message_for(v), v.params) for v in verdicts]


@dataclass(frozen=True)
class GrantVerdicts:
    """An activity under one of the grants that fund it: the verdicts, in words."""

    grant: Grant
    share: Decimal
    verdicts: list[VerdictLine]
    sme_share: float | None
    smes: int = 0
    companies: int = 0

    @property
    def ok(self) -> bool:
        return all(verdict.ok for verdict in self.verdicts)

    @property
    def missing(self) -> list[VerdictLine]:
        """What is still needed: the verdicts that are not met."""
        return [verdict for verdict in self.verdicts if not verdict.ok]


def grant_verdicts(activity, grant, share, facts: rules.ActivityFacts) -> GrantVerdicts:
    smes, companies = rules.sme_counts(facts)
    return GrantVerdicts(
        grant=grant, share=share,
        verdicts=verdict_lines(rules.activity_verdicts(facts, grant.rules)),
        sme_share=rules.sme_share(facts), smes=smes, companies=companies,
    )


def verdicts_for_activity(activity) -> list[GrantVerdicts]:
    """The grant rules' verdicts for an activity, one entry per grant funding it.

    Three queries whatever the number of registrations: fundings with grants, co-organisers,
    live registrations with their organisations (skipped when already prefetched).
    """
    fundings = list(activity.fundings.select_related("grant").order_by("grant__code"))
    if not fundings:
        return []
    facts = activity_facts(activity)
    return [grant_verdicts(activity, f.grant, f.share, facts) for f in fundings]


# --- per grant and year --------------------------------------------------------------------


def grants():
    return Grant.objects.select_related("giver").order_by("-period_start", "code")


def grant_for_year(pk: int, year: int) -> Grant:
    """The grant, or 404 when it does not exist or does not run in that year."""
    grant = get_object_or_404(Grant.objects.select_related("giver"), pk=pk)
    if year not in grant.years:
        raise Http404("The grant does not run in that year.")
    return grant


def funded_activities(grant, year: int):
    """The grant's not-cancelled activities starting in `year`, with the share it pays."""
    fundings = list(
        grant.activity_fundings.filter(activity__starts_at__year=year)
        .exclude(activity__status=CANCELLED)
        .select_related("activity")
        .order_by("activity__starts_at", "activity__pk")
    )
    prefetch_for_facts([funding.activity for funding in fundings])
    return fundings


def _spend_rows(grant, year: int):
    costs = Cost.objects.filter(grant=grant, date__year=year).values_list(
        "amount", "organisation__kind"
    )
    hours = TimeRegistration.objects.filter(grant=grant, date__year=year).values_list(
        "hours", "hourly_rate", "organisation__kind"
    )
    spend = [rules.SpendFacts(amount, kind in KNOWLEDGE_INSTITUTION_KINDS)
             for amount, kind in costs]
    spend += [rules.SpendFacts(h * rate, kind in KNOWLEDGE_INSTITUTION_KINDS)
              for h, rate, kind in hours]
    return tuple(spend)


@dataclass
class ActivityRow:
    activity: object
    share: Decimal
    verdicts: GrantVerdicts
    facts: rules.ActivityFacts


@dataclass
class GrantYear:
    """A grant's year: each funded activity with its verdicts, and the year's verdicts."""

    grant: Grant
    year: int
    rows: list[ActivityRow]
    verdicts: list[VerdictLine]
    spent: Decimal
    spent_by_knowledge_institutions: Decimal

    @property
    def activities_ok(self) -> int:
        return sum(1 for row in self.rows if row.verdicts.ok)

    @property
    def activities_not_ok(self) -> int:
        return len(self.rows) - self.activities_ok

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts) and self.activities_not_ok == 0


def grant_year(grant, year: int) -> GrantYear:
    """Everything the per-grant overview shows for one year, in a constant number of queries."""
    rows = []
    for funding in funded_activities(grant, year):
        facts = activity_facts(funding.activity)
        rows.append(ActivityRow(funding.activity, funding.share,
                                grant_verdicts(funding.activity, grant, funding.share, facts),
                                facts))
    spend = _spend_rows(grant, year)
    year_facts = rules.GrantYearFacts(year=year, activities=tuple(r.facts for r in rows),
                                      spend=spend)
    return GrantYear(
        grant=grant, year=year, rows=rows,
        verdicts=verdict_lines(rules.grant_year_verdicts(year_facts, grant.rules)),
        spent=sum((s.amount for s in spend), ZERO),
        spent_by_knowledge_institutions=sum(
            (s.amount for s in spend if s.by_knowledge_institution), ZERO
        ),
    )


def default_year(grant, today) -> int:
    """The year to open a grant at: this year while it runs, else its nearest year."""
    return min(max(today.year, grant.period_start.year), grant.period_end.year)


# --- action plans: plan against actual -----------------------------------------------------


@dataclass
class PlanRow:
    """One budget line or planned activity: what was planned against what was spent."""

    label: str
    planned: Decimal
    actual: Decimal
    obj: object = None
    category: str = ""
    target_participants: int | None = None
    participants: int | None = None

    @property
    def difference(self) -> Decimal:
        return self.planned - self.actual

    @property
    def used(self) -> float | None:
        return float(self.actual / self.planned) if self.planned else None


@dataclass
class PlanAgainstActual:
    grant: Grant
    year: int
    plan: ActionPlan | None
    lines: list[PlanRow]
    activities: list[PlanRow]
    hours: Decimal

    @property
    def planned_total(self) -> Decimal:
        return sum((row.planned for row in self.lines), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum((row.actual for row in self.lines), ZERO)


def _actual_by(grant, year: int, key: str) -> dict:
    """Spent per budget line or per activity (costs plus hours x rate) in a grant's year."""
    totals: dict = defaultdict(lambda: ZERO)
    for value, amount in Cost.objects.filter(grant=grant, date__year=year).values_list(
        key, "amount"
    ):
        totals[value] += amount
    for value, h, rate in TimeRegistration.objects.filter(
        grant=grant, date__year=year
    ).values_list(key, "hours", "hourly_rate"):
        totals[value] += (h * rate).quantize(Decimal("0.01"))
    return totals


def plan_against_actual(grant, year: int) -> PlanAgainstActual:
    plan = ActionPlan.objects.filter(grant=grant, year=year).first()
    by_line = _actual_by(grant, year, "budget_line")
    lines = []
    if plan is not None:
        lines = [
            PlanRow(line.name, line.planned_amount, by_line.get(line.pk, ZERO), line,
                    line.get_category_display())
            for line in plan.budget_lines.all()
        ]
    if by_line.get(None):
        lines.append(PlanRow(_("Not on a budget line"), ZERO, by_line[None]))
    activities = _planned_activity_rows(plan, _actual_by(grant, year, "activity"))
    hours = TimeRegistration.objects.filter(grant=grant, date__year=year).aggregate(
        total=Sum("hours")
    )["total"] or ZERO
    return PlanAgainstActual(grant, year, plan, lines, activities, hours)


def _planned_activity_rows(plan, by_activity: dict) -> list[PlanRow]:
    if plan is None:
        return []
    live = ~Q(activity__registrations__status=CANCELLED)
    planned = plan.planned_activities.select_related("activity").order_by("pk").annotate(
        live_registrations=Count("activity__registrations", filter=live),
        attended=Count("activity__registrations",
                       filter=live & Q(activity__registrations__attended=True)),
    )
    rows = []
    for item in planned:
        participants = None
        if item.activity is not None:
            held = item.activity.status == HELD
            participants = item.attended if held else item.live_registrations
        rows.append(PlanRow(
            item.title, item.budget,
            by_activity.get(item.activity_id, ZERO) if item.activity_id else ZERO, item,
            item.get_type_display(), item.target_participants, participants,
        ))
    return rows


def time_registrations(grant):
    return TimeRegistration.objects.filter(grant=grant).select_related(
        "user", "organisation", "budget_line", "activity"
    )


def costs(grant):
    return Cost.objects.filter(grant=grant).select_related(
        "organisation", "budget_line", "activity"
    )


def budget_lines_for(grant):
    return BudgetLine.objects.filter(plan__grant=grant).select_related("plan").order_by(
        "plan__year", "category", "name"
    )
