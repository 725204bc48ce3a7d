"""Reads of the reports app that are not part of a report's data: the frozen reports."""

from klynge.kpis.domain.counting import Period
from klynge.reports.models import FrozenReport

#: The order the downloads are offered in.
FORMAT_ORDER = {"pdf": 0, "xlsx": 1, "html": 2}


def frozen_reports_for(period: Period) -> list[FrozenReport]:
    """The report files stored when the period's figures were frozen (none if not frozen)."""
    reports = FrozenReport.objects.filter(
        snapshot__period_start=period.start, snapshot__period_end=period.end
    ).select_related("snapshot")
    return sorted(reports, key=lambda r: FORMAT_ORDER.get(r.format, 9))
