"""`klynge import organisations|people FILE`: the registry import from the command line.

Runs the same steps as the import pages (and records the batch, so it is listed there): guess
the mapping (override with --mapping column=field), check every row, then import all or
nothing, or the good rows only (--good-rows). --dry-run only checks. Exits with status 1 when
rows were rejected in all-or-nothing mode (also in a dry run, which would be rejected).
"""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from klynge.core.errors import ApplicationError
from klynge.ecosystem.domain.importing import TARGETS, field_names
from klynge.ecosystem.importing import services
from klynge.ecosystem.importing.messages import message
from klynge.ecosystem.models import ImportBatch

PHASES = {"check": gettext_lazy("Checking rows"), "write": gettext_lazy("Writing")}
COUNT_LABELS = {
    "rows": gettext_lazy("rows"), "new": gettext_lazy("new"),
    "updated": pgettext_lazy("count of rows", "updated"), "unchanged": gettext_lazy("unchanged"),
    "duplicates": gettext_lazy("duplicates"), "bad": gettext_lazy("bad"),
}


class Command(BaseCommand):
    help = "Import organisations or people from a CSV, gzipped CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("target", choices=TARGETS)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--mapping", nargs="+", default=[], metavar="COLUMN=FIELD",
            help="Map a column of the file to a field (an empty field ignores the column). "
                 "Unmapped columns keep the guess from their header.",
        )
        parser.add_argument("--good-rows", action="store_true",
                            help="Import the good rows and skip the bad ones "
                                 "(default: all or nothing).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Only check the file and report what would happen.")
        parser.add_argument("--error-file", type=Path,
                            help="Write the bad rows, with an error column, to this CSV file.")

    def handle(self, *args, **options):
        self.console = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            batch = self._create(options["target"], path)
            self._map(batch, options["mapping"])
            plan = self._run(batch, options)
        except ApplicationError as error:
            raise CommandError(str(error)) from None
        if options["error_file"] and plan.bad:
            services.write_error_csv(plan, options["error_file"])
            self.console.print(_("Bad rows written to %(path)s") % {"path": options["error_file"]})
        self._report(batch, plan, options)

    def _create(self, target: str, path: Path) -> ImportBatch:
        with path.open("rb") as handle:
            return services.import_batch_create(
                actor=None, target=target, file=File(handle, name=path.name), name=path.name
            )

    def _map(self, batch: ImportBatch, pairs: list[str]) -> None:
        mapping = dict(batch.mapping)
        known = set(field_names(batch.target))
        for pair in pairs:
            column, sep, name = pair.partition("=")
            if not sep or column not in mapping:
                columns = ", ".join(mapping)
                raise CommandError(_("--mapping %(pair)r: the file's columns are %(columns)s")
                                   % {"pair": pair, "columns": columns})
            if name and name not in known:
                raise CommandError(
                    _("--mapping %(pair)r: unknown field; choose from %(fields)s")
                    % {"pair": pair, "fields": ", ".join(sorted(known))}
                )
            mapping[column] = name
        services.import_mapping_set(batch=batch, mapping=mapping)
        used = [f"{column}={name}" for column, name in mapping.items() if name]
        self.console.print(f"[bold]{batch.original_name}[/]: "
                           + ngettext("%(rows)s row; mapping: %(mapping)s",
                                      "%(rows)s rows; mapping: %(mapping)s", batch.report["rows"])
                           % {"rows": batch.report["rows"], "mapping": "; ".join(used)})

    def _run(self, batch: ImportBatch, options):
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
            tasks: dict[str, int] = {}

            def progress(done: int, total: int, phase: str) -> None:
                if phase not in tasks:
                    tasks[phase] = bar.add_task(str(PHASES.get(phase, phase)), total=total)
                bar.update(tasks[phase], completed=done, total=total)

            if options["dry_run"]:
                return services.import_check(batch=batch, progress=progress)
            mode = ImportBatch.Mode.GOOD_ROWS if options["good_rows"] \
                else ImportBatch.Mode.ALL_OR_NOTHING
            return services.import_commit(batch=batch, actor=None, mode=mode, progress=progress)

    def _report(self, batch: ImportBatch, plan, options) -> None:
        for row in plan.bad:
            for error in row.errors:
                column = _(", column %(column)r") % {"column": error.column} \
                    if error.column else ""
                value = _(" (value %(value)r)") % {"value": error.value} if error.value else ""
                line = _("line %(line)s") % {"line": row.line}
                self.console.print(f"[red]{line}{column}[/]{value}: "
                                   f"{message(error.code, dict(error.params))}")
        for warning in plan.warnings:
            line = _("line %(line)s") % {"line": warning["line"]}
            self.console.print(f"[yellow]{line}[/]: "
                               f"{message(warning['code'], warning['params'])}")
        counts = plan.counts()
        table = Table(title=_("Import #%(pk)s: %(status)s")
                      % {"pk": batch.pk, "status": batch.get_status_display()})
        for key in ("rows", "new", "updated", "unchanged", "duplicates", "bad"):
            table.add_column(str(COUNT_LABELS[key]), justify="right")
        table.add_row(*(str(counts[key]) for key in
                        ("rows", "new", "updated", "unchanged", "duplicates", "bad")))
        self.console.print(table)
        if options["dry_run"]:
            self.console.print(_("Dry run: nothing was written."))
        rejected = plan.bad and not options["good_rows"]
        if rejected:
            raise CommandError(
                ngettext("%(count)s bad row: nothing was imported (all or nothing). "
                         "Fix it, or use --good-rows to import the rest.",
                         "%(count)s bad rows: nothing was imported (all or nothing). "
                         "Fix them, or use --good-rows to import the rest.", len(plan.bad))
                % {"count": len(plan.bad)}
            )
