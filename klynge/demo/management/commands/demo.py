"""`klynge demo`: build the demo ecosystem once, then print the demo logins."""

from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from klynge.demo.builder import DemoRefused, build_demo, demo_logins


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(_("Give the anchor date as YYYY-MM-DD.")) from None


class Command(BaseCommand):
    help = (
        "Build the demo ecosystem (hubs, organisations, people, memberships, interactions, "
        "activities, evaluations, action plans, time registrations, consents, projects and EU "
        "applications, frozen KPI figures, one login per role) unless it is already there, "
        "and print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true",
                            help="only print the demo logins (if the demo is there)")
        parser.add_argument("--organisations", type=int)
        parser.add_argument("--people", type=int)
        parser.add_argument("--members-2021", type=int, dest="members_2021",
                            help="paying members on 2021-12-31 (exact)")
        parser.add_argument("--members-2025", type=int, dest="members_2025",
                            help="paying members wanted on 2025-12-31")
        parser.add_argument("--interactions", type=int)
        parser.add_argument("--anchor", type=_day,
                            help="the date the demo is built around (default: today)")
        parser.add_argument("--force", action="store_true",
                            help="build even though the database has other organisations")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if options["logins"]:
            self.print_logins()
            return
        try:
            result = build_demo(
                organisations=options["organisations"], people=options["people"],
                members_2021=options["members_2021"], members_2025=options["members_2025"],
                interactions=options["interactions"], anchor=options["anchor"],
                force=options["force"], progress=self.progress,
            )
        except DemoRefused:
            raise CommandError(_(
                "This database already holds organisations that are not the demo's; the demo "
                "is only built into an empty registry (use --force to build it anyway)."
            )) from None
        except ValueError as error:
            raise CommandError(str(error)) from error
        if result.built:
            self.print_summary(result)
        else:
            self.stdout.write(_("The demo ecosystem is already there (built around %(day)s).")
                              % {"day": result.anchor})
        self.print_logins()

    def progress(self, step: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(_("Building the demo: %(step)s ...") % {"step": step})

    def print_summary(self, result) -> None:
        counts = result.counts
        registry = _(
            "Demo ecosystem built in %(seconds).1f s around %(day)s: %(hubs)d hubs, "
            "%(organisations)d organisations (%(real)d real, from CORDIS), %(people)d people, "
            "%(interactions)d interactions."
        ) % {"seconds": result.seconds, "day": result.anchor, "hubs": counts["hubs"],
             "organisations": counts["organisations"], "real": counts["real_organisations"],
             "people": counts["people"], "interactions": counts["interactions"]}
        work = _(
            "%(activities)d activities with %(registrations)d registrations, %(surveys)d "
            "surveys (%(answered)d of %(responses)d responses answered), %(plans)d action plans "
            "with %(hours)d time registrations, %(consents)d consents."
        ) % {"activities": counts.get("activities", 0),
             "registrations": counts.get("registrations", 0),
             "surveys": counts.get("surveys", 0),
             "answered": counts.get("answered_responses", 0),
             "responses": counts.get("responses", 0), "plans": counts.get("action_plans", 0),
             "hours": counts.get("time_registrations", 0),
             "consents": counts.get("consents", 0)}
        self.stdout.write(self.style.SUCCESS(f"{registry} {work}"))
        members = ", ".join(f"{day}: {count}" for day, count in result.paying_members.items())
        self.stdout.write(_("Paying members (31 December of each year, and today): %(members)s")
                          % {"members": members})

    def print_logins(self) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write(_("There are no demo logins: run `klynge demo` to build the demo."))
            return
        headers = (_("E-mail"), _("Role"), _("Password"), _("Note"))
        rows = [headers, *((r.email, r.role, r.password, r.note) for r in logins)]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(_("Demo logins (one per role):"))
        for index, row in enumerate(rows):
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]).rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in [*widths, len(row[3])]))
        self.stdout.write("")
