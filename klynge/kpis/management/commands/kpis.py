"""`klynge kpis`: the seven indicators for a year or any period, in the terminal."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from klynge.core.errors import ApplicationError
from klynge.kpis import selectors, services
from klynge.kpis.definitions import DEFINITIONS
from klynge.kpis.domain.counting import Period

STATUS = {
    "met": lambda: _("met"), "near": lambda: _("near"), "behind": lambda: _("behind"),
    "unknown": lambda: _("no target"),
}


def _period(year, start, end) -> Period:
    if year and (start or end):
        raise CommandError(_("Give either --year or --from and --until, not both."))
    if start or end:
        try:
            first, last = parse_date(start or ""), parse_date(end or "")
        except ValueError:  # the right shape but no such day, e.g. month 13
            first = last = None
        if first is None or last is None:
            raise CommandError(_("--from and --until must both be dates as YYYY-MM-DD."))
        if last < first:
            raise CommandError(_("The last day must be on or after the first day."))
        return Period(first, last)
    today = timezone.localdate()
    year = year or today.year
    if year == today.year:
        return Period(date(year, 1, 1), today)
    return Period.year(year)


class Command(BaseCommand):
    help = ("Print the seven KPIs of Table 1 for a year (this year to date by default) or a "
            "period, with targets and progress; --freeze freezes the period's figures.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="A calendar year, e.g. 2024.")
        parser.add_argument("--from", dest="start", help="First day (YYYY-MM-DD).")
        parser.add_argument("--until", dest="end", help="Last day (YYYY-MM-DD).")
        parser.add_argument("--freeze", action="store_true",
                            help="Freeze the period's figures (once per period).")

    def handle(self, *args, year=None, start=None, end=None, freeze=False, **options):
        period = _period(year, start, end)
        self.stdout.write(_("KPIs for %(period)s (%(start)s – %(end)s)") % {
            "period": period.label, "start": period.start, "end": period.end})
        for row in selectors.kpi_rows(period):
            definition = DEFINITIONS[row.key]
            value = "—" if row.figure.value is None else str(row.figure.value)
            if definition.is_share and row.figure.denominator:
                value += f" % ({row.figure.numerator}/{row.figure.denominator})"
            target = "—" if row.target is None else str(row.target.value)
            line = f"{definition.number}. {definition.title}: {value}"
            if row.cumulative is not None:
                line += " · " + _("to date %(value)s") % {"value": row.cumulative.value}
            line += " · " + _("target %(target)s") % {"target": target}
            line += f" · {STATUS[row.progress.status]()}"
            self.stdout.write(line)
        if freeze:
            try:
                services.snapshot_freeze(period=period, note=_("Frozen from the command line."))
            except ApplicationError as error:
                raise CommandError(error.message) from error
            self.stdout.write(_("The figures for %(period)s are frozen.") % {
                "period": period.label})
