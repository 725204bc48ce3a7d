"""The demo's interactions: visits, calls, meetings and e-mails by the hubs' staff from
1 January two years before the anchor's year up to the anchor date.

Most go to organisations of the staff member's own hub. About a third carry a next step with
a follow-up date; those due well before the anchor are mostly done, those around it are open,
so every staff member (the demo staff login above all) has a follow-up list with something on
it, some of it overdue.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from klynge.demo.builder import banks
from klynge.demo.builder.organisations import OrganisationSpec
from klynge.ecosystem.models import Interaction

KINDS = (("call", 35), ("email", 25), ("meeting", 25), ("visit", 15))
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def build_interactions(ctx, specs: list[OrganisationSpec], people: dict[int, list[int]],
                       staff: list) -> int:
    """Create the interactions and their people; returns how many."""
    rng = ctx.rng("interactions")
    first_day = date(ctx.anchor.year - 2, 1, 1)
    span = (ctx.anchor - first_day).days
    by_hub: dict[str, list[OrganisationSpec]] = {}
    for spec in specs:
        by_hub.setdefault(spec.hub_name, []).append(spec)
    rows: list[Interaction] = []
    attendees: list[tuple[int, int]] = []  # (index in rows, person id)

    def add(row: Interaction, person_ids: list[int]) -> Interaction:
        attendees.extend((len(rows), person) for person in person_ids)
        rows.append(row)
        return row

    for _index in range(ctx.sizes.interactions):
        user = rng.choice(staff)
        day = first_day + timedelta(days=rng.randint(0, span))
        add(*_interaction(rng, ctx.anchor, user, day, by_hub, specs, people))
    # The demo staff login's own last days: contacts with follow-ups due around the anchor.
    for offset in (9, 6, 4, 3, 2, 1):
        day = ctx.anchor - timedelta(days=offset)
        row = add(*_interaction(rng, ctx.anchor, staff[0], day, by_hub, specs, people))
        row.next_step = rng.choice(banks.NEXT_STEPS)
        row.follow_up_date = ctx.anchor + timedelta(days=rng.randint(-3, 7))
        row.follow_up_done_at = None
    Interaction.objects.bulk_create(rows, batch_size=500)
    through = Interaction.people.through
    through.objects.bulk_create(
        [through(interaction_id=rows[i].pk, person_id=p) for i, p in attendees], batch_size=1000
    )
    return len(rows)


def _interaction(rng, anchor, user, day, by_hub, specs, people) -> tuple[Interaction, list[int]]:
    local = by_hub.get(user.hub.name if user.hub else "", [])
    spec = rng.choice(local if local and rng.random() < 0.8 else specs)
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    row = Interaction(
        kind=kind, date=day, organisation_id=spec.pk, staff=user, hub=user.hub,
        subject=rng.choice(banks.INTERACTION_SUBJECTS[kind]),
        notes=rng.choice(banks.INTERACTION_NOTES),
    )
    if rng.random() < 0.33:
        row.next_step = rng.choice(banks.NEXT_STEPS)
        row.follow_up_date = day + timedelta(days=rng.randint(3, 45))
        if row.follow_up_date < anchor - timedelta(days=14) and rng.random() < 0.93:
            done = min(row.follow_up_date + timedelta(days=rng.randint(-2, 5)), anchor)
            done = max(done, day)
            row.follow_up_done_at = datetime.combine(done, time(10, 0), tzinfo=COPENHAGEN)
    candidates = people.get(spec.pk, [])
    chosen = []
    if candidates and (kind != "email" or rng.random() < 0.5):
        chosen = rng.sample(candidates, min(len(candidates), rng.randint(1, 2)))
    return row, chosen
