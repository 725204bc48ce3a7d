"""`klynge send_surveys`: the daily run of evaluations (follow-up waves, retries, reminders)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from klynge.evaluations.services import due_surveys_send


class Command(BaseCommand):
    help = ("Send the 6- and 12-month follow-up surveys that are due, retry failed invitations "
            "and remind non-responders once. Safe to run more than once a day.")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            day = parse_date(today)
            if day is None:
                raise CommandError(_("--today must be a date as YYYY-MM-DD."))
        counts = due_surveys_send(today=day)
        self.stdout.write(
            _("Follow-up surveys created: %(follow_ups)s; invitations retried: %(retried)s; "
              "reminders sent: %(reminded)s.") % counts
        )
