"""`klynge import-calls FILE…`: import EU call topics from Funding & Tenders CSV exports.

Columns are found by their header (any order; a byte order mark is fine; .csv or .csv.gz).
Topics are upserted by identifier. Rows without identifier or title, or with a date or
amount that cannot be read, are listed by file, line and column and skipped; the good rows
are imported.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from klynge.core.errors import ApplicationError
from klynge.matchmaking.importing.common import bad_row_markup
from klynge.matchmaking.services.calls import call_topics_import


class Command(BaseCommand):
    help = ("Import EU call topics from Funding & Tenders CSV exports (.csv or .csv.gz). "
            "Bad rows are reported by file, line and column and skipped; the good rows are "
            "imported. Topics are updated by identifier.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true",
                            help="Read and count what would change; write nothing.")

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        files = []
        for path in options["files"]:
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            files.append((path.name, path.read_bytes()))
        try:
            report = call_topics_import(files=files, dry_run=options["dry_run"])
        except ApplicationError as error:
            raise CommandError(str(error)) from None
        for bad in report["bad"]:
            console.print(bad_row_markup(bad))
        table = Table(title=_("Call topics"))
        for column in (_("file"), _("rows"), _("good"), _("bad")):
            table.add_column(column, justify="right")
        for entry in report["files"]:
            table.add_row(entry["name"], str(entry["rows"]), str(entry["good"]),
                          str(entry["bad"]))
        console.print(table)
        console.print(_("%(topics)s topics: %(added)s added, %(updated)s updated, "
                        "%(unchanged)s unchanged; %(bad)s bad rows skipped.")
                      % {key: report[key if key != "bad" else "bad_count"]
                         for key in ("topics", "added", "updated", "unchanged", "bad")})
        if options["dry_run"]:
            console.print(_("Dry run: nothing was written."))
