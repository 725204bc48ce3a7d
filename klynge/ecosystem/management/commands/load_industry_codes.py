"""`klynge load_industry_codes [PATH]`: load DB07, the Danish industry classification."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from klynge.core.errors import ApplicationError
from klynge.ecosystem.reference import db07_path, industry_codes_load


class Command(BaseCommand):
    help = (
        "Load the DB07 industry codes from PATH (default: the shared data folder's "
        "db07/dksic.tsv); without the file, load the 21 sections. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="a DB07 table (dksic.tsv)")

    def handle(self, *args, path: Path | None = None, **options):
        try:
            result = industry_codes_load(path=path)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if result.source == "file":
            self.stdout.write(_("Read DB07 from %(path)s.") % {"path": result.path})
        else:
            self.stdout.write(self.style.WARNING(
                _("%(path)s is absent: loaded the 21 DB07 sections only. Give the path of "
                  "dksic.tsv to load all codes.") % {"path": db07_path()}
            ))
        levels = ", ".join(
            _("level %(level)d: %(count)d") % {"level": level, "count": count}
            for level, count in result.by_level.items()
        )
        self.stdout.write(self.style.SUCCESS(
            _("%(total)d industry codes (%(levels)s); %(created)d new, %(updated)d updated, "
              "%(unchanged)d unchanged.")
            % {"total": result.total, "levels": levels, "created": result.created,
               "updated": result.updated, "unchanged": result.unchanged}
        ))
