"""`klynge compile_translations`: compile the translation catalogues (.po) to .mo files.

Django's compilemessages needs GNU gettext's msgfmt, which a fresh machine lacks; polib is
pure Python. Fuzzy and obsolete entries are left out, as msgfmt does.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def catalogues() -> list[Path]:
    """Every <locale>/LC_MESSAGES/*.po under the project's locale folders."""
    found = []
    for folder in settings.LOCALE_PATHS:
        found += sorted(Path(folder).glob("*/LC_MESSAGES/*.po"))
    return found


class Command(BaseCommand):
    help = "Compile every klynge/locale/*/LC_MESSAGES/*.po to .mo (pure Python, no gettext)."
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        paths = catalogues()
        if not paths:
            self.stdout.write(_("No translation catalogues (.po) to compile."))
            return
        for path in paths:
            try:
                catalogue = polib.pofile(str(path))
            except (OSError, ValueError) as error:
                raise CommandError(
                    _("%(path)s cannot be read: %(error)s") % {"path": path, "error": error}
                ) from error
            target = path.with_suffix(".mo")
            catalogue.save_as_mofile(str(target))
            if options["verbosity"] >= 1:
                self.stdout.write(
                    _("%(path)s: %(translated)d of %(total)d messages translated")
                    % {"path": target, "translated": len(catalogue.translated_entries()),
                       "total": len([e for e in catalogue if not e.obsolete])}
                )
