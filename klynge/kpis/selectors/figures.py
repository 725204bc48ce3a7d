"""The seven figures of Table 1 for a period, their targets and trajectory, and snapshots."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from klynge.evaluations import selectors as evaluations
from klynge.evaluations.choices import StandardKey
from klynge.funding.choices import ActivityType
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import (
    Period,
    Progress,
    record_key,
    share,
)
from klynge.kpis.models import KpiSnapshot, KpiTarget, TargetPeriod
from klynge.kpis.selectors.base import (
    INNOVATION_QUESTIONS,
    _keys,
    cluster_collaboration_activities,
    cluster_collaboration_projects,
    commercial_introduction_outcomes,
    commercial_outcomes,
    eu_application_partnerships,
    paying_member_ids,
    paying_member_ids_during,
)

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
    """Projects and introductions with a commercial outcome in the period, each once (an
    introduction's outcome recorded on a project that counts already adds nothing)."""
    projects = set(commercial_outcomes(period).values_list("project_id", flat=True))
    introductions = {
        introduction for introduction, project in
        commercial_introduction_outcomes(period).values_list("introduction_id", "project_id")
        if project is None or project not in projects
    }
    counted = frozenset(
        [record_key("project", pk) for pk in projects]
        + [record_key("introduction", pk) for pk in introductions]
    )
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
    cumulative_period: Period | None = None

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
        if to_date.start <= period.end < to_date.end:  # part of a year: to its end only
            to_date = Period(to_date.start, period.end)
        if key not in keys.STATES and to_date != period:
            row.cumulative, row.cumulative_period = kpi_figure(key, to_date), to_date
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
        if year <= today.year and programme.start <= today:  # no actuals before it starts
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


# --- snapshots -----------------------------------------------------------------------------


def snapshot_for(period: Period) -> KpiSnapshot | None:
    return KpiSnapshot.objects.filter(period_start=period.start, period_end=period.end).first()


def snapshot_list():
    return KpiSnapshot.objects.select_related("frozen_by")


def frozen_figures(snapshot: KpiSnapshot) -> dict[str, Figure]:
    """The frozen figures in Table 1's order (PostgreSQL's jsonb keeps no key order)."""
    return {key: Figure.from_json(key, snapshot.figures[key])
            for key in keys.ORDER if key in snapshot.figures}


def frozen_to_date(snapshot: KpiSnapshot, key: str, period: Period) -> Figure | None:
    """A flow's figure from its programme's start frozen with the snapshot, if it covers
    exactly `period` (snapshots made before this was stored have none)."""
    data = snapshot.figures.get(key, {}).get("to_date")
    if not data or (data.get("start"), data.get("end")) != (str(period.start), str(period.end)):
        return None
    return Figure.from_json(key, data)
