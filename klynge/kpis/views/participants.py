"""Beside the KPIs: unique participants, activities by grant, type and format, paying members
over time and churn, for a period and optionally one hub."""

from dataclasses import dataclass, field
from datetime import date

from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from klynge.activities.choices import ActivityFormat
from klynge.core.listing import export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.choices import OrganisationKind, Region, Size
from klynge.funding.choices import ActivityType
from klynge.kpis import selectors
from klynge.kpis.domain.counting import Period
from klynge.kpis.views.common import hub_choice, period_choice


@dataclass
class Table:
    """One table of figures: rows of (label, value) or (label, value, second value)."""

    slug: str
    title: str
    headers: list[str]
    rows: list[tuple] = field(default_factory=list)
    wide: bool = False


def _label(choices, value, unknown: str) -> str:
    if not value:
        return unknown
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def sorted_counts(counts: dict, choices=None, unknown: str = "") -> list[tuple]:
    rows = [(_label(choices, key, unknown) if choices else (key or unknown), value)
            for key, value in counts.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def participant_tables(period: Period, hub_id: int | None) -> list[Table]:
    found = selectors.participants(period, hub_id=hub_id)
    number = [_("What"), _("Number")]
    return [
        Table("summary", _("Unique participants"), number, [
            (_("People"), found.people), (_("Organisations"), found.organisations),
            (_("Companies (once per CVR number)"), found.companies),
            (_("Knowledge institutions"), found.knowledge_institutions),
            (_("Startups"), found.startups),
        ]),
        Table("size", _("Companies by size"), number,
              sorted_counts(found.by_size, Size, _("Not known"))),
        Table("kind", _("Organisations by kind"), number,
              sorted_counts(found.by_kind, OrganisationKind, _("Not known"))),
        Table("region", _("Organisations by region"), number,
              sorted_counts(found.by_region, Region, _("Not known"))),
        Table("hub", _("Organisations by hub"), number,
              sorted_counts(found.by_hub, None, _("No hub"))),
    ]


def activity_tables(period: Period, hub_id: int | None) -> list[Table]:
    counts = selectors.activity_counts(period, hub_id=hub_id)
    grants = [(code, count, counts.by_grant_weighted.get(code))
              for code, count in sorted(counts.by_grant.items())]
    if counts.unfunded:
        grants.append((_("No grant"), counts.unfunded, counts.unfunded))
    return [
        Table("activities", _("Activities held"), [_("What"), _("Number")], [
            (_("Activities held"), counts.total), (_("Without a grant"), counts.unfunded),
        ]),
        Table("grant", _("Activities by grant"),
              [_("Grant"), _("Activities"), _("Weighted by share")], grants),
        Table("type", _("Activities by type"), [_("Type"), _("Number")],
              sorted_counts(counts.by_type, ActivityType, _("Not known"))),
        Table("format", _("Activities by format"), [_("Format"), _("Number")],
              sorted_counts(counts.by_format, ActivityFormat, _("Not known"))),
    ]


def member_tables(period: Period) -> list[Table]:
    months = selectors.members_over_time(period.start, period.end)
    churn_rows = []
    for year in period.years:
        part = Period(max(period.start, date(year, 1, 1)), min(period.end, date(year, 12, 31)))
        result = selectors.churn_for(part)
        rate = result["churn_rate"]
        churn_rows.append((part.label, result["start"], result["joined"], result["left"],
                           result["end"], "—" if rate is None else f"{rate} %"))
    return [
        Table("members", _("Paying members at the end of each month"),
              [_("Day"), _("Paying members")],
              [(date_format(day, "SHORT_DATE_FORMAT"), count) for day, count in months]),
        Table("churn", _("Membership churn per year"),
              [_("Year"), _("Members at the start"), _("Joined"), _("Left"),
               _("Members at the end"), _("Churn")], churn_rows, wide=True),
    ]


@access(CLUSTER_TEAM)
def participants(request):
    choice = period_choice(request)
    hubs = hub_choice(request)
    hub_id = hubs.hub.pk if hubs.hub else None
    tables = (participant_tables(choice.period, hub_id) + activity_tables(choice.period, hub_id)
              + member_tables(choice.period))
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            basename="participants", fmt=request.GET["format"],
            headers=[_("Period"), _("Hub"), pgettext("data table", "Table"), _("Row"),
                     _("Column"), _("Value")],
            rows=_cells(choice.period.label, hubs.hub.name if hubs.hub else _("All hubs"), tables),
        )
    snapshot = selectors.snapshot_for(choice.period) if hub_id is None else None
    return render(request, "kpis/participants.html", {
        "choice": choice, "hubs": hubs, "tables": tables, "snapshot": snapshot,
        "frozen": _frozen_summary(snapshot) if snapshot else [],
        "extra_params": [("hub", hubs.hub.pk if hubs.hub else "")],
    })


def _frozen_summary(snapshot) -> list[tuple[str, int | None]]:
    """The unique participants as frozen with the period's KPI figures."""
    frozen = snapshot.participants
    return [
        (_("People"), frozen.get("people")), (_("Organisations"), frozen.get("organisations")),
        (_("Companies (once per CVR number)"), frozen.get("companies")),
        (_("Knowledge institutions"), frozen.get("knowledge_institutions")),
        (_("Startups"), frozen.get("startups")),
    ]


def _cells(period: str, hub: str, tables: list[Table]):
    """Every figure as one row (period, hub, table, row, column, value): tidy for Excel."""
    for table in tables:
        for label, *values in table.rows:
            for column, value in zip(table.headers[1:], values, strict=False):
                yield [period, hub, table.title, label, column, value]
