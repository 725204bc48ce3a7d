"""`klynge import-cordis DIR`: import EU project history from a folder in the CORDIS layout.

Reads organization, topics, euroSciVoc, deliverables and legalBasis (.csv.gz or .csv) and
upserts CORDIS organisations, projects and participations; Danish organisations (VAT number
DK + a valid CVR) are linked to the registry organisation with that CVR. Bad rows (no id, an
unknown role, a number that is not one) are listed by file, line and column and skipped; the
good rows are imported. Importing the same folder again changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from klynge.core.errors import ApplicationError
from klynge.matchmaking.importing.common import bad_row_markup
from klynge.matchmaking.services.cordis import cordis_import


class Command(BaseCommand):
    help = ("Import EU project history from a folder in the CORDIS layout (organization, "
            "topics, euroSciVoc, deliverables, legalBasis as .csv.gz or .csv). Bad rows are "
            "reported by file, line and column and skipped; the good rows are imported. "
            "Importing the same folder twice changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--only-linked", action="store_true",
            help="Import only the projects in which an organisation of the registry took part "
                 "(linked, or with its CVR as VAT number), with all their partners.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Read and count what would change; write nothing.")

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        status = Console(stderr=True, highlight=False)
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(_("No such folder: %(path)s") % {"path": folder})

        def progress(step: str, count: int) -> None:
            status.print(_("%(step)s: %(count)s") % {"step": step, "count": count},
                         style="dim")

        try:
            report = cordis_import(folder=folder, only_linked=options["only_linked"],
                                   dry_run=options["dry_run"], progress=progress)
        except ApplicationError as error:
            raise CommandError(str(error)) from None
        for bad in report["bad"]:
            console.print(bad_row_markup(bad))
        if report["bad_count"] > len(report["bad"]):
            console.print(_("… and %(count)s more bad rows.")
                          % {"count": report["bad_count"] - len(report["bad"])})
        for name in report["missing_files"]:
            console.print("[yellow]" + _("No %(name)s file: skipped.") % {"name": name}
                          + "[/]")
        table = Table(title=_("CORDIS import") + (f" #{report['import_id']}"
                                                   if "import_id" in report else ""))
        for column in ("", _("added"), _("updated"), _("unchanged")):
            table.add_column(column, justify="right")
        for key, label in (("organisations", _("organisations")), ("projects", _("projects")),
                           ("participations", _("participations"))):
            counts = report[key]
            table.add_row(label, str(counts["added"]), str(counts["updated"]),
                          str(counts["unchanged"]))
        console.print(table)
        console.print(_("Linked to the registry: %(linked)s. Bad rows skipped: %(bad)s. "
                        "Took %(seconds)s s.")
                      % {"linked": report["linked"], "bad": report["bad_count"],
                         "seconds": report["seconds"]})
        if options["dry_run"]:
            console.print(_("Dry run: nothing was written."))
