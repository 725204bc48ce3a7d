"""The management dashboard: the KPIs against their trajectory, members, participants,
activities and budgets of one year, in one request with a bounded number of queries (it
grows with the number of grants running in the year, not with the data)."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.choices import OrganisationKind, Region, Size
from klynge.funding import selectors as funding
from klynge.funding.models import Grant
from klynge.kpis import charts, selectors
from klynge.kpis.definitions import DEFINITIONS
from klynge.kpis.domain.counting import Period, month_ends
from klynge.kpis.forms import EARLIEST_YEAR
from klynge.kpis.views.common import hub_choice, lines_for
from klynge.kpis.views.participants import sorted_counts


@dataclass
class Dashboard:
    year: int
    period: Period
    to_date: bool
    programme: object
    lines: list
    charts: dict
    budgets: list


def _year(request, today: date) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return today.year
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year is None or not EARLIEST_YEAR <= year <= today.year:
        messages.error(request, _("Choose a year from %(first)s to %(last)s; %(today)s is shown.")
                       % {"first": EARLIEST_YEAR, "last": today.year, "today": today.year})
        return today.year
    return year


def _trajectory_charts(programme, today: date) -> list[str]:
    if programme is None:
        return []
    series = selectors.trajectory(programme, today=today)
    result = []
    for key, points in series.items():
        definition = DEFINITIONS[key]
        title = f"{definition.number}. {definition.title}"
        result.append(charts.trajectory_chart(key, title, points, unit=str(definition.unit)))
    return result


def _activity_chart(period: Period, hub_id) -> str:
    per_month = selectors.activities_per_month(period, hub_id=hub_id)
    months = [day.strftime("%Y-%m") for day in month_ends(period.start, period.end)]
    series = [(code or _("No grant"), [round(per_month[code].get(m, 0), 2) for m in months])
              for code in sorted(per_month, key=lambda c: (c == "", c))]
    return charts.activities_chart(months, series)


def _budgets(year: int) -> list:
    grants = Grant.objects.filter(period_start__lte=date(year, 12, 31),
                                  period_end__gte=date(year, 1, 1)).order_by("code")
    return [funding.plan_against_actual(grant, year) for grant in grants]


def dashboard_data(year: int, hub_id: int | None, today: date) -> Dashboard:
    end = min(date(year, 12, 31), today)
    period = Period(date(year, 1, 1), end)
    programme = selectors.target_period_for(year)
    found = selectors.participants(period, hub_id=hub_id)
    members_from = programme.start if programme else period.start
    budgets = _budgets(year)
    chart_html = {
        "trajectories": _trajectory_charts(programme, today),
        "members": charts.members_chart(selectors.members_over_time(members_from, end)),
        "region": charts.breakdown_chart("chart-region", _("Participating organisations by "
                                                           "region"),
                                         sorted_counts(found.by_region, Region, _("Not known"))),
        "size": charts.breakdown_chart("chart-size", _("Participating companies by size"),
                                       sorted_counts(found.by_size, Size, _("Not known"))),
        "kind": charts.breakdown_chart("chart-kind", _("Participating organisations by kind"),
                                       sorted_counts(found.by_kind, OrganisationKind,
                                               _("Not known"))),
        "activities": _activity_chart(period, hub_id),
        "budget": charts.budget_chart(budgets) if budgets else "",
    }
    return Dashboard(year, period, end < date(year, 12, 31), programme,
                     lines_for(selectors.kpi_rows(period)), chart_html, budgets)


@access(CLUSTER_TEAM)
def dashboard(request):
    today = timezone.localdate()
    year = _year(request, today)
    hubs = hub_choice(request)
    data = dashboard_data(year, hubs.hub.pk if hubs.hub else None, today)
    return render(request, "kpis/dashboard.html", {
        "data": data, "hubs": hubs, "years": list(range(today.year, today.year - 10, -1)),
    })
