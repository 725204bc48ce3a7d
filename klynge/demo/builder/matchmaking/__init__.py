"""The demo's matchmaking data: an EU project history in CORDIS's shape, call topics, and the
introductions staff made over the last two years with their answers and outcomes (see the
modules for what each holds). Everything is generated, deterministically, from the demo's
random streams; nothing is read from the shared data."""

from django.contrib.auth import get_user_model

from klynge.demo.builder.logins import DEMO_LOGINS
from klynge.demo.builder.matchmaking.calls import build_calls
from klynge.demo.builder.matchmaking.history import build_history
from klynge.demo.builder.matchmaking.introductions import build_introductions
from klynge.matchmaking.models import CallTopic


def build_matchmaking(ctx, specs, people, staff, hubs) -> dict[str, int]:
    """Create the CORDIS history, the call topics and the introductions; their counts."""
    admin = get_user_model().objects.filter(email=DEMO_LOGINS[0][0]).first()
    counts = build_history(ctx, specs, admin)
    counts |= build_calls(ctx)
    calls = list(CallTopic.objects.filter(source="demo").order_by("deadline", "identifier"))
    counts |= build_introductions(ctx, specs, people, staff, hubs, calls)
    return counts
