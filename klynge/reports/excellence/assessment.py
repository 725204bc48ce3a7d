"""The cluster-excellence self-assessment of one year: every indicator area filled from the
records where they hold a figure (with the figure's source and formula) and from uploaded
documents where they do not, scored by the pure rules in `reports.domain.excellence`.

"Members" below means organisations with a paying membership (KPI 7's rule): on the last
day of the year, or at some time in the year where that is said.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klynge.core.roles import Role
from klynge.ecosystem.models import Interaction, Membership
from klynge.evaluations.choices import StandardKey, SurveyKind
from klynge.evaluations.models import Answer, Survey
from klynge.funding.choices import ActivityType
from klynge.funding.models import BudgetLine
from klynge.kpis import selectors as kpis
from klynge.kpis.domain.counting import Period, share
from klynge.kpis.models import KpiTarget
from klynge.projects.choices import ProjectStatus
from klynge.projects.models import ProjectPartner
from klynge.reports.choices import ExcellenceArea
from klynge.reports.domain import excellence as rules
from klynge.reports.models import ExcellenceDocument

#: Project statuses in which partners actually work together.
WORKING_STATUSES = (ProjectStatus.FUNDED, ProjectStatus.RUNNING, ProjectStatus.COMPLETED)


@dataclass
class AreaReport:
    """One indicator area of the year: the figure and where it comes from, the details
    behind it, the uploaded evidence and the points."""

    area: str
    label: str
    kind: str
    value: Decimal | None = None
    figure: str = ""
    source: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)
    documents: list = field(default_factory=list)
    score: rules.AreaScore | None = None

    @property
    def is_data(self) -> bool:
        return self.kind == rules.DATA


@dataclass
class SelfAssessment:
    year: int
    areas: list[AreaReport]
    score: rules.Score
    generated_at: datetime

    @property
    def documents(self) -> list:
        return [document for area in self.areas for document in area.documents]

    def area(self, key: str) -> AreaReport:
        return next(report for report in self.areas if report.area == key)


def _pct(value: Decimal | None) -> str:
    """A percentage in the active language's number format (93,1 % in Danish)."""
    return "—" if value is None else f"{number_format(value)} %"


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- the data areas ---------------------------------------------------------------------


def _participants(period: Period, report: AreaReport) -> None:
    p = kpis.participants(period)
    report.value = Decimal(p.organisations)
    report.figure = _("%(n)s organisations took part") % {"n": p.organisations}
    report.source = _(
        "Unique organisations with at least one attended participation in an activity held "
        "in the year (companies once per CVR number); KPI page, unique participants.")
    report.details = [
        (_("Companies"), str(p.companies)),
        (_("of them SMEs"), str(p.by_size.get("sme", 0))),
        (_("of them large companies"), str(p.by_size.get("large", 0))),
        (_("of them startups"), str(p.startups)),
        (_("Knowledge institutions"), str(p.knowledge_institutions)),
        (_("Other organisations"),
         str(p.organisations - p.companies - p.knowledge_institutions)),
        (_("People"), str(p.people)),
    ]


def _engagement(period: Period, report: AreaReport, members: set[int]) -> None:
    attending = set(kpis.attended_registrations(period).values_list("organisation_id",
                                                                    flat=True))
    engaged = members & attending
    report.value = share(len(engaged), len(members))
    report.figure = _pct(report.value)
    report.source = _(
        "Members on the last day of the year with at least one attended participation in an "
        "activity held in the year, as a share of all those members.")
    report.details = [(_("Members"), str(len(members))),
                      (_("Members that took part"), str(len(engaged)))]


def _stability(period: Period, report: AreaReport) -> None:
    churn = kpis.churn_for(period)
    rate = churn["churn_rate"]
    report.value = None if rate is None else Decimal(100) - rate
    report.figure = _pct(report.value)
    report.source = _(
        "Retention = 100 % minus churn: of the members on the day before the year began, the "
        "share still a member on its last day (KPI page, churn).")
    over_time = kpis.members_over_time(period.start, period.end)
    report.details = [
        (_("Members at the start"), str(churn["start"])),
        (_("Members at the end"), str(churn["end"])),
        (_("Left"), str(churn["left"])),
        (_("Joined"), str(churn["joined"])),
        (_("Churn"), _pct(rate)),
        (_("Members at each month's end"),
         ", ".join(f"{day:%m}: {count}" for day, count in over_time)),
    ]


def _management_contacts(period: Period, report: AreaReport, members: set[int]) -> None:
    interactions = list(
        Interaction.objects.filter(date__gte=period.start, date__lte=period.end,
                                   organisation_id__in=members)
        .values_list("organisation_id", "staff__role")
    )
    contacted = {org for org, _role in interactions}
    by_management = sum(1 for _org, role in interactions
                        if role in (Role.MANAGEMENT, Role.ADMINISTRATOR))
    report.value = share(len(contacted), len(members))
    report.figure = _pct(report.value)
    report.source = _(
        "Members on the last day of the year with at least one logged visit, call, meeting "
        "or e-mail of the cluster's management or staff in the year (registry, "
        "interactions), as a share of all those members.")
    report.details = [
        (_("Interactions with members"), str(len(interactions))),
        (_("of them by management"), str(by_management)),
        (_("Members contacted"), str(len(contacted))),
        (_("Members"), str(len(members))),
    ]


def _cooperation(period: Period, report: AreaReport, members: set[int]) -> None:
    per_activity: dict[int, set[int]] = defaultdict(set)
    for activity_id, org in kpis.attended_registrations(period).filter(
        organisation_id__in=members
    ).values_list("activity_id", "organisation_id"):
        per_activity[activity_id].add(org)
    per_project: dict[int, set[int]] = defaultdict(set)
    for project_id, org in ProjectPartner.objects.filter(
        organisation_id__in=members, project__status__in=WORKING_STATUSES,
        project__start_date__lte=period.end,
    ).filter(
        Q(project__end_date__isnull=True) | Q(project__end_date__gte=period.start)
    ).values_list("project_id", "organisation_id"):
        per_project[project_id].add(org)
    activities = sum(1 for orgs in per_activity.values() if len(orgs) >= 2)
    projects = sum(1 for orgs in per_project.values() if len(orgs) >= 2)
    report.value = Decimal(activities + projects)
    report.figure = _("%(n)s activities and projects") % {"n": activities + projects}
    report.source = _(
        "Activities held in the year attended by at least two members, plus projects "
        "(funded, running or completed) running in the year with at least two members as "
        "partners. Members: a paying membership at some time in the year.")
    report.details = [(_("Activities with two or more members"), str(activities)),
                      (_("Projects with two or more members"), str(projects))]


def _private_funding(period: Period, report: AreaReport) -> None:
    year = period.start.year
    fees = Membership.objects.filter(status="paying", start_date__lte=period.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    ).values_list("annual_fee", "start_date", "end_date")
    private = sum((rules.prorated_fee(fee, start, end, year) for fee, start, end in fees),
                  Decimal("0.00"))
    public = BudgetLine.objects.filter(plan__year=year).aggregate(
        total=Sum("planned_amount"))["total"] or Decimal("0.00")
    report.value = rules.private_share(private, public)
    report.figure = _pct(report.value)
    report.source = _(
        "Private funding = paying members' annual fees, each for the part of the year its "
        "membership covers (fee × days covered ÷ days in the year). Public funding = the "
        "planned amounts of every budget line in the year's action plans. Share = private ÷ "
        "(private + public) × 100.")
    report.details = [(_("Membership fees (DKK)"), f"{private:,.2f}"),
                      (_("Grant budgets (DKK)"), f"{public:,.2f}")]


def _monitoring(period: Period, report: AreaReport) -> None:
    year = period.start.year
    targets = KpiTarget.objects.filter(year=year).count()
    annual = Survey.objects.filter(kind=SurveyKind.ANNUAL, year=year).exists()
    snapshot = kpis.snapshot_for(period)
    steps = [targets > 0, annual, snapshot is not None]
    report.value = Decimal(sum(steps))
    report.figure = _("%(n)s of 3 in place") % {"n": sum(steps)}
    report.source = _(
        "Three steps of performance monitoring: KPI targets set for the year, the annual "
        "member survey of the year (evidence for KPIs 1, 3 and 6), and the year's KPI "
        "figures frozen in a snapshot.")
    yes, no = _("yes"), _("no")
    report.details = [
        (_("KPI targets for the year"), str(targets)),
        (_("Annual member survey"), yes if annual else no),
        (_("Frozen snapshot"),
         timezone.localtime(snapshot.frozen_at).strftime("%Y-%m-%d") if snapshot else no),
    ]


def _services(period: Period, report: AreaReport) -> None:
    counts = kpis.activity_counts(period)
    report.value = Decimal(counts.total)
    report.figure = _("%(n)s activities held") % {"n": counts.total}
    report.source = _("Activities marked held that started in the year (KPI page, activities).")
    labels = dict(ActivityType.choices)
    report.details = [(str(labels.get(kind, kind)), str(n))
                      for kind, n in sorted(counts.by_type.items(),
                                            key=lambda item: (-item[1], item[0]))]


def _satisfaction(period: Period, report: AreaReport) -> None:
    found = Answer.objects.filter(
        question__key=StandardKey.SATISFACTION, number__isnull=False,
        response__answered_at__gte=_day_start(period.start),
        response__answered_at__lt=_day_start(period.end) + timedelta(days=1),
    ).aggregate(average=Avg("number"), answers=Count("pk"))
    average = found["average"]
    report.value = None if average is None else Decimal(str(average)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    report.figure = "—" if report.value is None else f"{number_format(report.value)} / 10"
    report.source = _(
        "The average answer to the standard question on overall satisfaction (0-10) in the "
        "surveys after activities answered in the year.")
    report.details = [(_("Answers"), str(found["answers"]))]


DATA_AREAS = {
    ExcellenceArea.PARTICIPANTS: lambda p, r, m: _participants(p, r),
    ExcellenceArea.ENGAGEMENT: lambda p, r, m: _engagement(p, r, m["end"]),
    ExcellenceArea.STABILITY: lambda p, r, m: _stability(p, r),
    ExcellenceArea.MANAGEMENT_CONTACTS: lambda p, r, m: _management_contacts(p, r, m["end"]),
    ExcellenceArea.COOPERATION: lambda p, r, m: _cooperation(p, r, m["during"]),
    ExcellenceArea.PRIVATE_FUNDING: lambda p, r, m: _private_funding(p, r),
    ExcellenceArea.MONITORING: lambda p, r, m: _monitoring(p, r),
    ExcellenceArea.SERVICES: lambda p, r, m: _services(p, r),
    ExcellenceArea.SATISFACTION: lambda p, r, m: _satisfaction(p, r),
}

DOCUMENT_SOURCE = {
    ExcellenceArea.STRATEGY: gettext_lazy(
        "The strategy and the year's action plan, uploaded below."),
    ExcellenceArea.FINANCIAL_CONTROL: gettext_lazy(
        "Budget, accounts and audit statements, uploaded below."),
    ExcellenceArea.COMMUNICATION: gettext_lazy(
        "The communication plan and evidence of its use (newsletters, web, press), "
        "uploaded below."),
}


def documents_for(year: int):
    return ExcellenceDocument.objects.filter(year=year).select_related("uploaded_by")


def self_assessment(year: int) -> SelfAssessment:
    """Every area of the year, filled and scored (a bounded number of queries)."""
    period = Period.year(year)
    members = {"end": kpis.paying_member_ids(period.end),
               "during": kpis.paying_member_ids_during(period)}
    by_area = defaultdict(list)
    for document in documents_for(year):
        by_area[document.area].append(document)
    reports = []
    for area, label in ExcellenceArea.choices:
        rule = rules.RULES[area]
        report = AreaReport(area=area, label=str(label), kind=rule.kind,
                            documents=by_area.get(area, []))
        if area in DATA_AREAS:
            DATA_AREAS[area](period, report, members)
        else:
            count = len(report.documents)
            report.figure = (_("%(n)s documents") % {"n": count}) if count else _(
                "No documents yet")
            report.source = str(DOCUMENT_SOURCE.get(area, ""))
        reports.append(report)
    score = rules.score([rules.AreaFacts(r.area, r.value, len(r.documents)) for r in reports])
    for report, area_score in zip(reports, score.areas, strict=True):
        report.score = area_score
    return SelfAssessment(year=year, areas=reports, score=score,
                          generated_at=timezone.localtime())


def document_counts() -> dict[int, int]:
    """How many documents each year has (for the year picker)."""
    return dict(Counter(ExcellenceDocument.objects.values_list("year", flat=True)))


def missing_lines(assessment: SelfAssessment) -> list[str]:
    """What the year still lacks for gold, in words."""
    labels = dict(ExcellenceArea.choices)
    lines = []
    for missing in assessment.score.missing_for_gold:
        label = labels.get(missing.area, "")
        if missing.need == "document":
            lines.append(_("%(area)s: upload evidence (at least one document).")
                         % {"area": label})
        elif missing.need == "figure":
            unit = rules.RULES[missing.area].unit
            lines.append(_("%(area)s: reach %(target)s%(unit)s (now %(current)s).") % {
                "area": label, "target": missing.target, "unit": f" {unit}" if unit else "",
                "current": "—" if missing.current is None else missing.current,
            })
        else:
            lines.append(_("The total needs %(n)s more points (80 %% of the maximum).")
                         % {"n": missing.points})
    return lines
