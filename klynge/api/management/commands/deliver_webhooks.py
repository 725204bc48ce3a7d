"""`klynge deliver_webhooks`: send the webhook deliveries that are due (cron, every minute)."""

from django.core.management.base import BaseCommand, CommandError

from klynge.api.webhooks_services import deliveries_prune, deliveries_send_due


class Command(BaseCommand):
    help = ("Send webhook deliveries whose next attempt is due (first attempts the worker "
            "missed and retries); optionally delete old finished deliveries.")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000,
                            help="at most this many deliveries per run (default 1000)")
        parser.add_argument("--prune-days", type=int, default=None, metavar="DAYS",
                            help="also delete delivered and failed deliveries older than DAYS")

    def handle(self, *args, limit: int, prune_days: int | None, **options):
        if prune_days is not None and prune_days < 1:
            raise CommandError("--prune-days must be at least 1")
        counts = deliveries_send_due(limit=limit)
        self.stdout.write(
            f"{counts['sent']} sent: {counts['delivered']} delivered, "
            f"{counts['retrying']} to retry, {counts['failed']} failed")
        if prune_days is not None:
            self.stdout.write(f"{deliveries_prune(days=prune_days)} old deliveries deleted")
