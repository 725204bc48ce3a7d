"""`klynge report`: write the status report (or the final report) to a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from klynge.kpis.domain.counting import Period
from klynge.reports.render import render
from klynge.reports.status import build_status_report

FORMATS = ("pdf", "xlsx", "html")


class Command(BaseCommand):
    help = ("Write the annual cluster status report for --year, or the final report for a "
            "grant period (--final --from-year 2021 --until-year 2024), as PDF, XLSX or HTML.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="The report's year.")
        parser.add_argument("--final", action="store_true", help="The final report of a period.")
        parser.add_argument("--from-year", type=int, help="First year of the final report.")
        parser.add_argument("--until-year", type=int, help="Last year of the final report.")
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("--output", "-o", help="File to write (default: the report's name "
                                                   "in the current folder).")

    def _period(self, year, final, first, last) -> Period:
        if final:
            if not (first and last) or last < first:
                raise CommandError(_("The final report needs --from-year and --until-year, "
                                     "the first not after the last."))
            return Period(Period.year(first).start, Period.year(last).end)
        if not year:
            raise CommandError(_("Give --year (or --final with --from-year and --until-year)."))
        return Period.year(year)

    def handle(self, *args, year=None, final=False, from_year=None, until_year=None,
               format="pdf", output=None, **options):
        period = self._period(year, final, from_year, until_year)
        report = build_status_report(period=period, final=final)
        content, _content_type, filename = render(report, format)
        path = Path(output or filename)
        path.write_bytes(content)
        self.stdout.write(_("Wrote %(path)s (%(size)s bytes).") % {
            "path": path, "size": len(content)})
