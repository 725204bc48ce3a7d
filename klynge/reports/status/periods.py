"""The periods a status report can be made for: calendar years (the annual report) and the
programme and grant periods (the final report), as choices for the report page."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Min
from django.utils.translation import gettext as _

from klynge.funding.models import Grant
from klynge.kpis.domain.counting import Period
from klynge.kpis.models import TargetPeriod
from klynge.kpis.selectors import held_activities

#: How many years back the year choices go at most, whatever old record exists.
MAX_YEARS = 15


@dataclass(frozen=True)
class PeriodOption:
    value: str
    label: str
    period: Period
    final: bool


def _first_year(today: date, programmes, grants) -> int:
    starts = [p.start.year for p in programmes] + [g.period_start.year for g in grants]
    first_held = held_activities(Period(date(1900, 1, 1), today)).aggregate(
        first=Min("starts_at"))["first"]
    if first_held is not None:
        starts.append(first_held.year)
    return max(min(starts, default=today.year), today.year - MAX_YEARS)


def period_options(today: date) -> list[PeriodOption]:
    """The years up to this one (newest first), then the programme periods and the grant
    periods (a grant period equal to a programme period is not repeated)."""
    programmes = list(TargetPeriod.objects.order_by("-start"))
    grants = list(Grant.objects.order_by("-period_start", "code"))
    options = [
        PeriodOption(str(year), _("%(year)s (annual status report)") % {"year": year},
                     Period.year(year), False)
        for year in range(today.year, _first_year(today, programmes, grants) - 1, -1)
    ]
    seen = set()
    for programme in programmes:
        period = Period(programme.start, programme.end)
        seen.add(period)
        options.append(PeriodOption(
            f"programme-{programme.pk}",
            _("%(name)s (final report, %(period)s)") % {"name": programme.name,
                                                         "period": period.label},
            period, True))
    for grant in grants:
        period = Period(grant.period_start, grant.period_end)
        if period in seen:
            continue
        seen.add(period)
        options.append(PeriodOption(
            f"grant-{grant.pk}",
            _("Grant %(code)s (final report, %(period)s)") % {"code": grant.code,
                                                              "period": period.label},
            period, True))
    return options


def default_value(options: list[PeriodOption], today: date) -> str:
    """Last year: the annual report is written once a year is over."""
    wanted = str(today.year - 1)
    values = [option.value for option in options]
    return wanted if wanted in values else values[0]
