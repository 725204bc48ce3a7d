"""`klynge apply_retention`: anonymise the people the active retention rules find inactive.

Run it daily from cron (docs/operations.md, "Privacy"). `--dry-run` lists who would be
anonymised and changes nothing; `--rule` applies one rule by name; `--queue` hands the run to
the task worker instead of running it here.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from klynge.privacy.models import RetentionRule
from klynge.privacy.selectors_retention import retention_candidates
from klynge.privacy.services_retention import retention_apply


class Command(BaseCommand):
    help = ("Anonymise the people the active retention rules find inactive (the scheduled "
            "run). --dry-run only lists them.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="List who would be anonymised; change nothing.")
        parser.add_argument("--rule", help="Apply only the rule with this name.")
        parser.add_argument("--today", help="Run as if today were this day (YYYY-MM-DD).")
        parser.add_argument("--queue", action="store_true",
                            help="Queue the run for the task worker.")

    def _rules(self, name):
        if not name:
            return None, list(RetentionRule.objects.filter(is_active=True))
        rule = RetentionRule.objects.filter(name=name).first()
        if rule is None:
            raise CommandError(_("There is no retention rule named “%(name)s”.") % {"name": name})
        return rule, [rule]

    def handle(self, *args, dry_run=False, rule=None, today=None, queue=False, **options):
        day = parse_date(today) if today else None
        if today and day is None:
            raise CommandError(_("--today must be a date as YYYY-MM-DD."))
        one, rules = self._rules(rule)
        if queue:
            from klynge.privacy.tasks import apply_retention_rules

            apply_retention_rules.enqueue()
            self.stdout.write(_("The retention run was queued for the task worker."))
            return
        if dry_run:
            for r in rules:
                people = retention_candidates(r, today=day)
                self.stdout.write(_("%(rule)s: %(count)s would be anonymised.")
                                  % {"rule": r.name, "count": people.count()})
                for person in people:
                    self.stdout.write(f"  {person.pk}\t{person.full_name}\t{person.email}")
            return
        for name, count in retention_apply(rule=one, today=day).items():
            self.stdout.write(_("%(rule)s: %(count)s anonymised.")
                              % {"rule": name, "count": count})
