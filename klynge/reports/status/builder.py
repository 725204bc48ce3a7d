"""Assemble the status report from the selectors: counts in, plain translated values out.

Data assembly only: nothing here knows about XLSX, PDF or HTML (klynge.reports.render does).
The number of queries depends on the number of grants and years in the period, never on the
number of activities, participants or answers.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.activities.choices import ActivityFormat
from klynge.core.errors import ApplicationError
from klynge.ecosystem.choices import OrganisationKind, Region, Size
from klynge.ecosystem.models import Hub
from klynge.evaluations.choices import StandardKey
from klynge.funding import selectors as funding
from klynge.funding.choices import ActivityType
from klynge.funding.models import Grant
from klynge.kpis import selectors as kpis
from klynge.kpis.definitions import DEFINITIONS
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period, Progress, share
from klynge.reports.status import report as r
from klynge.reports.status import selectors


def _label(choices, value: str, unknown: str) -> str:
    if not value:
        return unknown
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _tallies(counts: dict[str, int], choices, unknown: str, total: int) -> tuple[r.Tally, ...]:
    """Counts in the vocabulary's order (so years compare line by line), unknown values last,
    zeros left out; each with its share of `total`."""
    order = {value: position for position, value in enumerate(choices.values)}
    present = sorted((v for v, n in counts.items() if n),
                     key=lambda v: (v not in order or not v, order.get(v, 0), v or ""))
    return tuple(r.Tally(_label(choices, value, unknown), counts[value],
                         share(counts[value], total)) for value in present)


def _hub_tallies(counts: dict[str, int], total: int) -> tuple[r.Tally, ...]:
    rows = sorted(((name, n) for name, n in counts.items() if n),
                  key=lambda item: (not item[0], -item[1], item[0]))
    return tuple(r.Tally(name or _("No hub"), n, share(n, total)) for name, n in rows)


# --- header ---------------------------------------------------------------------------------


def _hub_name(hub_id: int | None) -> str:
    if not hub_id:
        return ""
    name = Hub.objects.filter(pk=hub_id).values_list("name", flat=True).first()
    if name is None:
        raise ApplicationError(_("The chosen hub does not exist."), field="hub")
    return name


def _header(period: Period, final: bool, hub: str, snapshot) -> r.Header:
    kind = r.FINAL if final else r.ANNUAL
    if final:
        title = _("Final report %(period)s") % {"period": period.label}
        kind_label = _("Final report for the grant period")
    else:
        title = _("Cluster status report %(period)s") % {"period": period.label}
        kind_label = _("Annual cluster status report")
    return r.Header(
        cluster_name=settings.KLYNGE_CLUSTER_NAME, title=title, kind=kind,
        kind_label=kind_label, period_label=period.label, period_start=period.start,
        period_end=period.end, generated_at=timezone.localtime(), hub=hub,
        frozen=snapshot is not None,
        frozen_at=timezone.localtime(snapshot.frozen_at) if snapshot else None,
        frozen_label=snapshot.label if snapshot else "",
        frozen_note=snapshot.note if snapshot else "",
    )


# --- activities and participants -----------------------------------------------------------


def _activities(period: Period, hub_id: int | None) -> r.Activities:
    counts = kpis.activity_counts(period, hub_id=hub_id)
    names = dict(Grant.objects.filter(code__in=list(counts.by_grant)).values_list("code",
                                                                                 "name"))
    by_grant = tuple(
        r.GrantTally(code, names.get(code, ""), counts.by_grant[code],
                     counts.by_grant_weighted.get(code, Decimal("0.00")))
        for code in sorted(counts.by_grant)
    )
    return r.Activities(
        total=counts.total,
        by_type=_tallies(counts.by_type, ActivityType, _("Not known"), counts.total),
        by_format=_tallies(counts.by_format, ActivityFormat, _("Not known"), counts.total),
        by_grant=by_grant, unfunded=counts.unfunded,
        by_hub=_hub_tallies(counts.by_hub, counts.total),
    )


def _participants(period: Period, hub_id: int | None, snapshot) -> r.Participants:
    frozen = snapshot is not None and not hub_id and bool(snapshot.participants)
    if frozen:
        data = kpis.Participants(**snapshot.participants)
    else:
        data = kpis.participants(period, hub_id=hub_id)
    return r.Participants(
        people=data.people, organisations=data.organisations, companies=data.companies,
        knowledge_institutions=data.knowledge_institutions, startups=data.startups,
        by_kind=_tallies(data.by_kind, OrganisationKind, _("Not known"), data.organisations),
        by_size=_tallies(data.by_size, Size, _("Not known"), data.companies),
        by_region=_tallies(data.by_region, Region, _("Not known"), data.organisations),
        by_hub=_hub_tallies(data.by_hub, data.organisations),
        frozen=frozen,
    )


# --- the seven KPIs -------------------------------------------------------------------------

def _status_label(progress: Progress) -> str:
    if progress.target is None:
        return _("No target")
    if progress.value is None:
        return _("No figure")
    return {
        "met": _("Target met"),
        "near": _("Near the target"),
        "behind": _("Behind the target"),
    }.get(progress.status, _("No figure"))


def _kpi_line(key: str, figure, to_date, to_date_label: str, target) -> r.KpiLine:
    definition = DEFINITIONS[key]
    compared = to_date if to_date_label else (figure.value if figure else None)
    progress = Progress(
        value=None if compared is None else Decimal(compared),
        target=target.value if target else None,
        target_high=target.value_high if target else None,
    )
    return r.KpiLine(
        number=keys.number(key), key=key, goal=str(definition.goal),
        title=str(definition.title), indicator=str(definition.indicator),
        counting=str(definition.counting), source=str(definition.source),
        unit=str(definition.unit), is_share=definition.is_share,
        value=figure.value if figure else None,
        numerator=figure.numerator if figure else None,
        denominator=figure.denominator if figure else None,
        to_date=to_date, to_date_label=to_date_label,
        target=progress.target, target_high=progress.target_high,
        reached=progress.reached, status=progress.status, status_label=_status_label(progress),
    )


def _current_kpis(period: Period) -> tuple[r.KpiLine, ...]:
    lines = []
    for row in kpis.kpi_rows(period):
        cumulative = row.cumulative
        label = ""
        if cumulative is not None:
            programme = kpis.target_period_for(period.end.year)
            label = kpis.figure_to_compare(row.key, period.end.year, programme).label
        lines.append(_kpi_line(row.key, row.figure,
                               cumulative.value if cumulative else None, label, row.target))
    return tuple(lines)


def _frozen_kpis(period: Period, snapshot) -> tuple[r.KpiLine, ...]:
    """The snapshot's figures. A flow's figure to date (what its target measures) is taken
    from a snapshot of that longer period when one exists, else the one frozen with this
    snapshot: a frozen report shows nothing that could change later."""
    figures = kpis.frozen_figures(snapshot)
    year = period.end.year
    programme = kpis.target_period_for(year)
    targets = kpis.targets_for_year(year)
    lines = []
    for key in keys.ORDER:
        to_date_period = kpis.figure_to_compare(key, year, programme)
        to_date, label = None, ""
        if key not in keys.STATES and to_date_period != period:
            label = to_date_period.label
            longer = kpis.snapshot_for(to_date_period)
            frozen_with = kpis.frozen_to_date(snapshot, key, to_date_period)
            if longer is not None and key in longer.figures:
                to_date = kpis.Figure.from_json(key, longer.figures[key]).value
            elif frozen_with is not None:
                to_date = frozen_with.value
        lines.append(_kpi_line(key, figures.get(key), to_date, label, targets.get(key)))
    return tuple(lines)


# --- evaluations ----------------------------------------------------------------------------


def _evaluations(period: Period) -> r.Evaluations:
    data = selectors.evaluation_results(period)
    return r.Evaluations(
        surveys=data["surveys"], sent=data["sent"], answered=data["answered"],
        response_rate=data["response_rate"],
        lines=tuple(
            r.EvaluationLine(key=line["key"], label=str(StandardKey(line["key"]).label),
                             answered=line["answered"], yes=line["yes"],
                             yes_share=line["yes_share"], average=line["average"])
            for line in data["lines"]
        ),
    )


# --- grants: rules and budgets --------------------------------------------------------------

RULE_ORDER = ("type", "knowledge_institutions", "companies", "actors")


def _rule_label(rule: str) -> str:
    return {
        "type": _("Eligible activity type"),
        "knowledge_institutions": _("Knowledge institutions taking part"),
        "companies": _("Companies taking part"),
        "actors": _("Actors taking part"),
    }.get(rule, rule)


def _grant_rules(grant: Grant, year: int) -> r.GrantRules:
    overview = funding.grant_year(grant, year)
    tallies: dict[str, list[int]] = {}
    for row in overview.rows:
        for verdict in row.verdicts.verdicts:
            tallies.setdefault(verdict.rule, [0, 0])[0 if verdict.ok else 1] += 1
    order = {rule: position for position, rule in enumerate(RULE_ORDER)}
    rules = tuple(
        r.RuleTally(rule, _rule_label(rule), met, failed)
        for rule, (met, failed) in sorted(tallies.items(),
                                          key=lambda item: order.get(item[0], 99))
    )
    return r.GrantRules(
        code=grant.code, name=grant.name, giver=str(grant.giver), year=year,
        activities=len(overview.rows), activities_ok=overview.activities_ok,
        activities_not_ok=overview.activities_not_ok, rules=rules,
        year_verdicts=tuple(r.YearVerdict(v.ok, v.message) for v in overview.verdicts),
    )


def _budget(grant: Grant, year: int) -> r.Budget:
    plan = funding.plan_against_actual(grant, year)
    lines = tuple(
        r.BudgetLine(label=str(row.label), category=str(row.category or ""),
                     planned=row.planned, actual=row.actual, difference=row.difference)
        for row in plan.lines
    )
    return r.Budget(
        code=grant.code, name=grant.name, year=year, has_plan=plan.plan is not None,
        lines=lines, planned_total=plan.planned_total, actual_total=plan.actual_total,
        difference_total=plan.planned_total - plan.actual_total, hours=plan.hours,
    )


def _per_grant_year(period: Period, build) -> tuple:
    return tuple(
        build(grant, year)
        for grant in selectors.grants_in(period)
        for year in selectors.years_of(grant, period)
    )


# --- collaborations, international activities, EU applications ----------------------------


def _collaborations(period: Period) -> tuple[r.Collaboration, ...]:
    rows = kpis.drilldown(keys.CLUSTER_COLLABORATIONS, period)
    result = []
    for row in rows:
        evidence = row.evidence[0] if row.evidence else None
        kind = _("Activity") if row.key.startswith("activity:") else _("Project")
        result.append(r.Collaboration(
            kind=kind, title=row.label, day=evidence.day if evidence else None,
            detail=row.detail, clusters=evidence.text if evidence else "",
        ))
    return tuple(sorted(result, key=lambda c: (c.day or date.max, c.title)))


def _international(period: Period, hub_id: int | None) -> tuple[r.InternationalActivity, ...]:
    return tuple(
        r.InternationalActivity(
            title=row["title"], day=timezone.localtime(row["starts_at"]).date(),
            format=_label(ActivityFormat, row["format"], _("Not known")),
            hub=row["hub__name"] or "", participants=row["people"],
            organisations=row["organisations"],
        )
        for row in selectors.international_activities(period, hub_id=hub_id)
    )


def _eu_applications(period: Period) -> tuple[r.EuApplication, ...]:
    return tuple(
        r.EuApplication(
            title=str(project), programme=project.programme, call=project.call_identifier,
            submitted_on=project.submitted_on, status=project.get_status_display(),
            partners=project.partner_count, companies=project.company_count,
        )
        for project in selectors.eu_applications(period)
    )


# --- the report -----------------------------------------------------------------------------


def build_status_report(*, period: Period, final: bool = False,
                        hub_id: int | None = None) -> r.StatusReport:
    """The annual status report for a period (normally a calendar year), or with `final` the
    final report for a whole grant period.

    When the period's KPI figures are frozen (a snapshot), the report uses the frozen figures
    and the frozen participants and says so in its header. `hub_id` narrows activities,
    participants and international activities to one hub; the KPIs, evaluations, grants and
    budgets are the cluster's.
    """
    snapshot = kpis.snapshot_for(period)
    hub = _hub_name(hub_id)
    return r.StatusReport(
        header=_header(period, final, hub, snapshot),
        activities=_activities(period, hub_id),
        participants=_participants(period, hub_id, snapshot),
        kpis=_frozen_kpis(period, snapshot) if snapshot else _current_kpis(period),
        evaluations=_evaluations(period),
        grant_rules=_per_grant_year(period, _grant_rules),
        budgets=_per_grant_year(period, _budget),
        collaborations=_collaborations(period),
        international=_international(period, hub_id),
        eu_applications=_eu_applications(period),
    )

