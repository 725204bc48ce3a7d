"""The demo's B2B meeting events (the brokerage app), one at each stage.

- **Held**: the latest held activity of format B2B matchmaking gets its meetings: two
  sessions with a coffee break, twelve tables, two participation types ("Virksomhed" meets
  anyone, "Forsker/videninstitution" does not meet its own kind), up to 40 of its registered
  people as participants with their marketplace entries prefilled from their organisations,
  about three requests per participant (most accepted, some declined, a few never answered)
  and a few meetings the organiser arranged. The real scheduler placed them (the heuristic
  with break reduction, TIME_LIMIT), the schedule was published, one meeting was cancelled
  and one late request placed without moving the others, the schedule was published again,
  and on the day every meeting was checked in: held, or a no-show by whoever did not come to
  the activity (one registered person who stayed away is among the participants).
  Afterwards a few meetings led to a collaboration and one to commercial use of research
  results, recorded on the introduction the meeting became (KPI 5's evidence).
- **Upcoming**: a new B2B matchmaking activity a few weeks after the anchor date, open for
  registration, with participants (among them the demo member login's person) and requests
  waiting for answers (some already answered); not scheduled yet.

Unlike the rest of the demo, these records are made through the brokerage services, as the
organiser and the participants would make them, so the rules, the scheduler and its
validator run for real. The services' e-mails reach nobody (`mail_withheld`), and the times
they stamp (requests, answers, runs, publication, check-in and their audit entries) are set
afterwards to when each step happened in the story. Everything but the slots the solver picks
(and so the check-in times) is the same in two builds with the same sizes and anchor.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import transaction
from django.test.utils import override_settings

from klynge.activities.models import Activity
from klynge.brokerage.models import Meeting, Participant
from klynge.demo.builder.brokerage.activity import upcoming_activity
from klynge.demo.builder.brokerage.held import HeldStory
from klynge.demo.builder.brokerage.story import Story


@contextmanager
def mail_withheld() -> Iterator[None]:
    """Run services whose e-mails must reach nobody (the demo's people have addresses at
    plausible domains): what they send at once goes to Django's dummy backend, and what they
    leave for after the commit (every brokerage e-mail: welcome links, requests, answers,
    agendas) is dropped here instead of being sent when the demo's transaction commits.
    Dropping rather than rendering them into the dummy backend keeps the demo fast."""
    connection = transaction.get_connection()
    start = len(connection.run_on_commit)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield
    del connection.run_on_commit[start:]


def build_brokerage(ctx, specs, people, staff, hubs) -> dict[str, int]:
    """Build the held and the upcoming B2B event; their counts."""
    from klynge.brokerage.services.events import event_update

    kinds = {spec.pk: spec.kind for spec in specs}
    made = []
    with mail_withheld():
        held = (Activity.objects.filter(format="b2b_matchmaking", status="held",
                                        starts_at__date__lt=ctx.anchor)
                .order_by("-starts_at", "-pk").first())
        if held is not None:
            story = HeldStory(ctx, ctx.rng("brokerage:held"), kinds, _organiser(held, staff))
            made.append(story.held(held))
        activity = upcoming_activity(ctx, specs, people, staff, hubs)
        story = Story(ctx, ctx.rng("brokerage:upcoming"), kinds,
                      activity.responsible or staff[0])
        event = story.upcoming(activity)
        event_update(event=event, actor=story.organiser, data={
            "requests_deadline": activity.starts_at - timedelta(days=3)})
        story.clock.stamp(story.moment(ctx.anchor - timedelta(days=1), 16))
        made.append(event)
    return {
        "b2b_events": len(made),
        "b2b_participants": Participant.objects.filter(event__in=made).count(),
        "b2b_meetings": Meeting.objects.filter(event__in=made).count(),
    }


def _organiser(activity: Activity, staff: list):
    if activity.responsible_id:
        return activity.responsible
    same_hub = [user for user in staff if user.hub_id == activity.hub_id]
    return (same_hub or staff)[0]
