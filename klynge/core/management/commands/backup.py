"""`klynge backup [PATH]`: the database and the uploaded files in one archive.

SQLite through its online backup API (safe while the server and the worker run), PostgreSQL
through `pg_dump --format=custom`; see klynge/core/backup.py and docs/operations.md.
"""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import ngettext

from klynge.core.backup import ENGINE_NAMES, BackupError, backup_dir, create_backup


class Command(BaseCommand):
    help = ("Back up the database and the uploaded files to one .tar.gz archive (default "
            "var/backups/klynge-YYYYmmdd-HHMMSS.tar.gz, or $KLYNGE_BACKUP_DIR).")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?",
            help=f"the archive to write (default: a new file in {backup_dir()})")
        parser.add_argument("--database", default="default",
                            help="the database alias in DATABASES (default: default)")

    def handle(self, *args, **options):
        try:
            result = create_backup(options["path"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            ngettext("Wrote %(path)s (%(size)s): the %(engine)s database and %(files)d "
                     "uploaded file.",
                     "Wrote %(path)s (%(size)s): the %(engine)s database and %(files)d "
                     "uploaded files.", result.media_files)
            % {"path": result.path, "size": filesizeformat(result.size),
               "engine": ENGINE_NAMES[result.engine], "files": result.media_files})
