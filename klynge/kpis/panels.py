"""The KPIs' panel on the overview page: the seven indicators' status this year to date,
for management and administrators."""

from datetime import date

from django.utils import timezone

from klynge.kpis import selectors
from klynge.kpis.definitions import DEFINITIONS
from klynge.kpis.domain.counting import Period
from klynge.kpis.views.common import MANAGERS


def management_panel(request):
    if request.user.role not in MANAGERS:
        return None
    today = timezone.localdate()
    rows = selectors.kpi_rows(Period(date(today.year, 1, 1), today))
    return {"year": today.year, "rows": [(DEFINITIONS[row.key], row) for row in rows]}
