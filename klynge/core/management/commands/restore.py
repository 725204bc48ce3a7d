"""`klynge restore PATH [--yes]`: put back a backup written by `klynge backup`.

Checks the file first, refuses to replace a database holding data without --yes (or a
typed confirmation at a terminal), saves that database to a safety backup, then restores in
one transaction; see klynge/core/backup.py and docs/operations.md.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klynge.core.backup import (
    ENGINE_NAMES,
    BackupError,
    database_contents,
    describe_contents,
    engine_of,
    inspect_backup,
    restore_backup,
)


class Command(BaseCommand):
    help = ("Restore a backup written by `klynge backup` (or a bare SQLite database or "
            "pg_dump custom-format file): replaces the whole database and the uploaded files.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup to restore")
        parser.add_argument("--yes", action="store_true",
                            help="replace a database that holds data without asking")
        parser.add_argument("--no-safety-backup", action="store_true",
                            help="do not save the current database before replacing it")
        parser.add_argument("--database", default="default",
                            help="the database alias in DATABASES (default: default)")

    def handle(self, *args, **options):
        using = options["database"]
        try:
            backup = inspect_backup(options["path"])
            engine_of(using)
        except BackupError as error:
            raise CommandError(str(error)) from error
        contents = database_contents(using)
        if contents and not options["yes"]:
            held = describe_contents(contents)
            if not sys.stdin.isatty():
                raise CommandError(
                    _("The database holds %(contents)s; restoring replaces all of it. Run "
                      "again with --yes to confirm.") % {"contents": held})
            answer = input(_("The database holds %(contents)s; restoring %(path)s replaces "
                             "all of it. Type 'yes' to continue: ")
                           % {"contents": held, "path": backup.path})
            if answer.strip().lower() != "yes":
                raise CommandError(_("Restore cancelled; nothing was changed."))
        try:
            result = restore_backup(backup, using=using,
                                    safety_backup=not options["no_safety_backup"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        if result.safety_backup:
            self.stdout.write(
                _("Saved the database as it was to %(path)s (%(size)s).")
                % {"path": result.safety_backup.path,
                   "size": filesizeformat(result.safety_backup.size)})
        self.stdout.write(_("Restored the %(engine)s database from %(path)s.")
                          % {"engine": ENGINE_NAMES[result.engine], "path": result.path})
        if result.media_files is None:
            self.stdout.write(_("The backup holds no uploaded files; the media folder was "
                                "left as it was."))
        else:
            self.stdout.write(ngettext("Restored %(files)d uploaded file.",
                                       "Restored %(files)d uploaded files.",
                                       result.media_files) % {"files": result.media_files})
        if result.unapplied_migrations:
            self.stdout.write(self.style.WARNING(
                _("The backup is from an older version of Klynge: run `klynge migrate` "
                  "(%(count)d migrations to apply).") % {"count": result.unapplied_migrations}))
