"""The KPIs of Table 1 computed from the records and the survey answers for any period, the
evidence behind each figure, targets, snapshots and the figures reported beside the KPIs
(unique participants, activities by grant and type, paying members over time, churn).

Every function here runs a fixed number of queries whatever the amount of data: sets of ids
are fetched once and counted in Python (bench/kpis.py prints the count).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from klynge.activities.choices import ActivityStatus, ParticipationRole, RegistrationStatus
from klynge.activities.models import Activity, ActivityFunding, Registration
from klynge.ecosystem.choices import KNOWLEDGE_INSTITUTION_KINDS, OrganisationKind
from klynge.ecosystem.models import Membership, Organisation
from klynge.evaluations import selectors as evaluations
from klynge.evaluations.choices import StandardKey
from klynge.funding.choices import ActivityType
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import (
    OrganisationFacts,
    Period,
    Progress,
    churn,
    counting_key,
    month_ends,
    paying_count_on,
    record_key,
    share,
)
from klynge.kpis.models import KpiSnapshot, KpiTarget, TargetPeriod
from klynge.projects.choices import COMMERCIAL_OUTCOMES, SUBMITTED_STATUSES, ProjectKind
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
        partners__in=_other_clusters(),
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


INNOVATION_QUESTIONS = (StandardKey.INNOVATION_STARTED, StandardKey.KNOWLEDGE_GAINED)


# --- the seven figures ---------------------------------------------------------------------


@dataclass
class Figure:
    """One indicator's figure for a period, with what counted (the counting keys)."""

    key: str
    value: Decimal | int | None
    counted: frozenset[str] = frozenset()
    numerator: int | None = None
    denominator: int | None = None

    @property
    def number(self) -> int:
        return keys.number(self.key)

    def as_json(self) -> dict:
        return {
            "value": None if self.value is None else str(self.value),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "counted": sorted(self.counted),
        }

    @classmethod
    def from_json(cls, key: str, data: dict) -> "Figure":
        value = data.get("value")
        if value is not None:
            value = Decimal(value) if key in keys.SHARES else int(Decimal(value))
        return cls(key=key, value=value, counted=frozenset(data.get("counted", ())),
                   numerator=data.get("numerator"), denominator=data.get("denominator"))


def _innovative_members(period: Period) -> Figure:
    members = _keys(paying_member_ids(period.end))
    yes = evaluations.yes_organisations(INNOVATION_QUESTIONS, period.start, period.end)
    counted = members & _keys(yes)
    return Figure(keys.INNOVATIVE_MEMBERS, share(len(counted), len(members)), counted,
                  numerator=len(counted), denominator=len(members))


def _cluster_collaborations(period: Period) -> Figure:
    activities = cluster_collaboration_activities(period).values_list("pk", flat=True)
    projects = cluster_collaboration_projects(period).values_list("pk", flat=True)
    counted = frozenset(
        [record_key("activity", pk) for pk in activities]
        + [record_key("project", pk) for pk in projects]
    )
    return Figure(keys.CLUSTER_COLLABORATIONS, len(counted), counted)


def _international_visibility(period: Period) -> Figure:
    yes = evaluations.yes_organisations(
        StandardKey.INTERNATIONAL_VISIBILITY, period.start, period.end,
        activity_type=ActivityType.INTERNATIONALISATION,
    )
    counted = _keys(yes, companies_only=True)
    return Figure(keys.INTERNATIONAL_VISIBILITY, len(counted), counted)


def _eu_applications(period: Period) -> Figure:
    ids = eu_application_partnerships(period).values_list("organisation_id", flat=True)
    counted = _keys(set(ids), companies_only=True)
    return Figure(keys.EU_APPLICATIONS, len(counted), counted)


def _commercial_use(period: Period) -> Figure:
    projects = set(commercial_outcomes(period).values_list("project_id", flat=True))
    counted = frozenset(record_key("project", pk) for pk in projects)
    return Figure(keys.COMMERCIAL_USE, len(counted), counted)


def _green_contacts(period: Period) -> Figure:
    yes = evaluations.yes_organisations(StandardKey.GREEN_CONTACTS, period.start, period.end)
    counted = _keys(yes & paying_member_ids_during(period))
    return Figure(keys.GREEN_CONTACTS, len(counted), counted)


def _paying_members(period: Period) -> Figure:
    counted = _keys(paying_member_ids(period.end))
    return Figure(keys.PAYING_MEMBERS, len(counted), counted)


COMPUTE = {
    keys.INNOVATIVE_MEMBERS: _innovative_members,
    keys.CLUSTER_COLLABORATIONS: _cluster_collaborations,
    keys.INTERNATIONAL_VISIBILITY: _international_visibility,
    keys.EU_APPLICATIONS: _eu_applications,
    keys.COMMERCIAL_USE: _commercial_use,
    keys.GREEN_CONTACTS: _green_contacts,
    keys.PAYING_MEMBERS: _paying_members,
}


def kpi_figure(key: str, period: Period) -> Figure:
    return COMPUTE[key](period)


def kpi_figures(period: Period) -> dict[str, Figure]:
    """All seven figures for the period, in Table 1's order."""
    return {key: COMPUTE[key](period) for key in keys.ORDER}


# --- targets ------------------------------------------------------------------------------


def target_period_for(year: int) -> TargetPeriod | None:
    return TargetPeriod.objects.filter(start__year__lte=year, end__year__gte=year).first()


def targets_for_year(year: int) -> dict[str, KpiTarget]:
    return {
        t.kpi: t for t in KpiTarget.objects.filter(
            year=year, period__start__year__lte=year, period__end__year__gte=year
        )
    }


def figure_to_compare(key: str, year: int, programme: TargetPeriod | None) -> Period:
    """The period a year's figure is compared with its target over: the year itself for a
    state (KPIs 1, 7), the programme period from its start to the year's end for a flow."""
    if key in keys.STATES or programme is None:
        return Period.year(year)
    return Period(programme.start, date(year, 12, 31))


@dataclass
class Row:
    """One indicator's line: the figure for the period, the year's target, and progress."""

    key: str
    figure: Figure
    target: KpiTarget | None = None
    cumulative: Figure | None = None

    @property
    def compared(self) -> Figure:
        return self.cumulative or self.figure

    @property
    def progress(self) -> Progress:
        target = self.target
        return Progress(
            value=None if self.compared.value is None else Decimal(self.compared.value),
            target=target.value if target else None,
            target_high=target.value_high if target else None,
        )


def kpi_rows(period: Period) -> list[Row]:
    """The seven indicators for the period with the target of the period's last year.

    For a flow KPI in a calendar year of a programme period the row also carries the
    cumulative figure from the programme's start, which is what the target measures.
    """
    figures = kpi_figures(period)
    year = period.end.year
    programme = target_period_for(year)
    targets = targets_for_year(year)
    rows = []
    for key in keys.ORDER:
        row = Row(key=key, figure=figures[key], target=targets.get(key))
        to_date = figure_to_compare(key, year, programme)
        if key not in keys.STATES and to_date != period:
            row.cumulative = kpi_figure(key, to_date)
        rows.append(row)
    return rows


def trajectory(programme: TargetPeriod, *, today: date | None = None) -> dict[str, list[dict]]:
    """Per indicator, the target and the actual figure per year of the programme period
    (actual up to today's year; flows cumulative from the period's start)."""
    today = today or timezone.localdate()
    targets = defaultdict(dict)
    for target in programme.targets.all():
        targets[target.kpi][target.year] = target.value
    series = {key: [] for key in keys.ORDER}
    for year in programme.years:
        figures = None
        if year <= today.year:
            end = min(date(year, 12, 31), today)
            figures = {}
            for key in keys.ORDER:
                start = date(year, 1, 1) if key in keys.STATES else programme.start
                figures[key] = kpi_figure(key, Period(start, end))
        for key in keys.ORDER:
            series[key].append({
                "year": year,
                "target": targets[key].get(year),
                "actual": figures[key].value if figures else None,
            })
    return series


# --- evidence (the drill-down) -------------------------------------------------------------


@dataclass
class Evidence:
    day: date | None
    text: str
    url: str = ""


@dataclass
class EvidenceRow:
    """One counted organisation or record and why it counts."""

    key: str
    label: str
    url: str
    detail: str = ""
    evidence: list[Evidence] = field(default_factory=list)


def _organisation_rows(ids, *, companies_only=False) -> dict[str, EvidenceRow]:
    rows: dict[str, EvidenceRow] = {}
    organisations = Organisation.objects.filter(pk__in=list(ids)).order_by("name")
    for org in organisations:
        if companies_only and org.kind != COMPANY:
            continue
        key = counting_key(OrganisationFacts(org.pk, org.kind, org.country or "DK", org.cvr))
        rows.setdefault(key, EvidenceRow(
            key=key, label=org.name, url=org.get_absolute_url(),
            detail=" · ".join(filter(None, [org.get_kind_display(),
                                            f"CVR {org.cvr}" if org.cvr else org.country])),
        ))
    return rows


def _answer_evidence(rows: dict[str, EvidenceRow], answers, facts) -> None:
    answers = answers.select_related(
        "question", "response__person", "response__survey__activity"
    ).order_by("response__answered_at")
    for answer in answers:
        org_facts = facts.get(answer.response.organisation_id)
        if org_facts is None:
            continue
        row = rows.get(counting_key(org_facts))
        if row is None:
            continue
        survey = answer.response.survey
        who = str(answer.response.person) if answer.response.person else ""
        about = survey.activity.title if survey.activity_id else survey.title
        row.evidence.append(Evidence(
            timezone.localtime(answer.response.answered_at).date(),
            f"{who}: {answer.question.text} — {answer.value} ({about})",
            reverse("evaluations:survey_detail", args=[survey.pk]),
        ))


def _survey_drilldown(counted: frozenset[str], answers) -> list[EvidenceRow]:
    ids = set(answers.values_list("response__organisation_id", flat=True))
    facts = _facts(ids)
    rows = {k: v for k, v in _organisation_rows(ids).items() if k in counted}
    _answer_evidence(rows, answers, facts)
    return list(rows.values())


def _membership_drilldown(counted: frozenset[str], day: date) -> list[EvidenceRow]:
    memberships = Membership.objects.paying_on(day).select_related("organisation", "tier")
    rows = _organisation_rows(m.organisation_id for m in memberships)
    for membership in memberships:
        org = membership.organisation
        row = rows.get(counting_key(OrganisationFacts(org.pk, org.kind, org.country or "DK",
                                                      org.cvr)))
        if row is not None:
            tier = f" ({membership.tier})" if membership.tier_id else ""
            row.evidence.append(Evidence(membership.start_date,
                                         f"{membership.get_status_display()}{tier}"))
    return [row for key, row in rows.items() if key in counted]


def drilldown(key: str, period: Period) -> list[EvidenceRow]:
    """Exactly what counts for the indicator in the period, each with its evidence."""
    figure = kpi_figure(key, period)
    counted = figure.counted
    if key == keys.INNOVATIVE_MEMBERS:
        answers = evaluations.yes_answers(INNOVATION_QUESTIONS, period.start, period.end)
        return _survey_drilldown(counted, answers)
    if key == keys.INTERNATIONAL_VISIBILITY:
        answers = evaluations.yes_answers(
            StandardKey.INTERNATIONAL_VISIBILITY, period.start, period.end,
            activity_type=ActivityType.INTERNATIONALISATION,
        )
        return _survey_drilldown(counted, answers)
    if key == keys.GREEN_CONTACTS:
        answers = evaluations.yes_answers(StandardKey.GREEN_CONTACTS, period.start, period.end)
        return _survey_drilldown(counted, answers)
    if key == keys.PAYING_MEMBERS:
        return _membership_drilldown(counted, period.end)
    if key == keys.CLUSTER_COLLABORATIONS:
        return _collaboration_drilldown(period)
    if key == keys.EU_APPLICATIONS:
        return _eu_drilldown(counted, period)
    if key == keys.COMMERCIAL_USE:
        return _commercial_drilldown(period)
    raise KeyError(key)


def _collaboration_drilldown(period: Period) -> list[EvidenceRow]:
    rows = []
    others = _other_clusters()
    for activity in cluster_collaboration_activities(period).prefetch_related("co_organisers"):
        clusters = [o.name for o in activity.co_organisers.all() if o.kind == CLUSTER]
        rows.append(EvidenceRow(
            key=record_key("activity", activity.pk), label=activity.title,
            url=activity.get_absolute_url(),
            detail=activity.get_type_display(),
            evidence=[Evidence(timezone.localtime(activity.starts_at).date(), ", ".join(clusters))],
        ))
    projects = cluster_collaboration_projects(period).prefetch_related("partners")
    other_ids = set(others.values_list("pk", flat=True))
    for project in projects:
        clusters = [o.name for o in project.partners.all() if o.pk in other_ids]
        rows.append(EvidenceRow(
            key=record_key("project", project.pk), label=str(project),
            url=project.get_absolute_url(), detail=project.get_kind_display(),
            evidence=[Evidence(project.start_date, ", ".join(clusters))],
        ))
    return rows


def _eu_drilldown(counted: frozenset[str], period: Period) -> list[EvidenceRow]:
    partnerships = eu_application_partnerships(period).select_related("project", "organisation")
    rows = _organisation_rows({p.organisation_id for p in partnerships}, companies_only=True)
    for partnership in partnerships:
        org, project = partnership.organisation, partnership.project
        row = rows.get(counting_key(OrganisationFacts(org.pk, org.kind, org.country or "DK",
                                                      org.cvr)))
        if row is not None:
            row.evidence.append(Evidence(
                project.submitted_on,
                f"{project} · {project.call_identifier or project.programme} · "
                f"{partnership.get_role_display()} · {project.get_status_display()}",
                project.get_absolute_url(),
            ))
    return [row for key, row in rows.items() if key in counted]


def _commercial_drilldown(period: Period) -> list[EvidenceRow]:
    rows: dict[int, EvidenceRow] = {}
    for outcome in commercial_outcomes(period).select_related("project").order_by("date"):
        project = outcome.project
        row = rows.setdefault(project.pk, EvidenceRow(
            key=record_key("project", project.pk), label=str(project),
            url=project.get_absolute_url(), detail=project.get_kind_display(),
        ))
        row.evidence.append(Evidence(outcome.date, f"{outcome.get_kind_display()}: "
                                                   f"{outcome.description}".rstrip(": ")))
    return list(rows.values())


# --- snapshots -----------------------------------------------------------------------------


def snapshot_for(period: Period) -> KpiSnapshot | None:
    return KpiSnapshot.objects.filter(period_start=period.start, period_end=period.end).first()


def snapshot_list():
    return KpiSnapshot.objects.select_related("frozen_by")


def frozen_figures(snapshot: KpiSnapshot) -> dict[str, Figure]:
    return {key: Figure.from_json(key, data) for key, data in snapshot.figures.items()}


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
