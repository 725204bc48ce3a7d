"""The upcoming B2B day: a new activity a few weeks after the anchor date, with its funding
and registrations, written in bulk as the demo's other activities are."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from klynge.activities.models import Activity, ActivityFunding, Registration
from klynge.demo.builder.activities import (
    COPENHAGEN,
    REGISTRATION_COLUMNS,
    _eligible,
    _grant_for,
    _grants,
)
from klynge.demo.builder.brokerage.banks import (
    UPCOMING_DAYS,
    UPCOMING_PARTICIPANTS,
    UPCOMING_TOPIC,
)
from klynge.demo.builder.bulk import insert_rows
from klynge.demo.builder.context import DEMO_DOMAIN
from klynge.demo.builder.organisations import KNOWLEDGE_KINDS
from klynge.funding.choices import GrantKind


def upcoming_activity(ctx, specs, people, staff, hubs) -> Activity:
    """A B2B matchmaking day a few weeks ahead in the staff login's hub, open for
    registration, funded as the demo's other business activities, with registrations made
    before the anchor date (the member login's person among them)."""
    rng = ctx.rng("brokerage:activity")
    hub = hubs.get("Aarhus") or hubs[sorted(hubs)[0]]
    day = ctx.anchor + timedelta(days=UPCOMING_DAYS)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = datetime.combine(day, time(9, 0), tzinfo=COPENHAGEN)
    title = f"Matchmaking: {UPCOMING_TOPIC}"
    responsible = next((user for user in staff if user.hub_id == hub.pk), staff[0])
    activity = Activity.objects.create(
        title=title, type="matchmaking", format="b2b_matchmaking", hub=hub,
        description=(f"{title} for klyngens medlemmer og partnere: korte, planlagte "
                     "1:1-møder mellem virksomheder og forskere. Book dine møder på din "
                     "personlige side, når du er tilmeldt."),
        place=hub.city, starts_at=start, ends_at=start + timedelta(hours=5), capacity=60,
        registration_deadline=start - timedelta(days=2), status="open", is_public=True,
        green_focus=True, responsible=responsible)
    grant = _grant_for(_grants()[GrantKind.BUSINESS], day, activity)
    if grant is not None and _eligible(grant, activity.type):
        ActivityFunding.objects.create(activity=activity, grant=grant, share=Decimal(100))
    rows = []
    cutoff = datetime.combine(ctx.anchor, time(0), tzinfo=COPENHAGEN)
    for organisation, person in _upcoming_people(rng, specs, people):
        created = cutoff - timedelta(days=rng.randint(2, 18), minutes=rng.randint(0, 600))
        rows.append((activity.pk, person, organisation, "participant", "registered",
                     rng.choice(("public", "public", "staff")), {}, None, None, None, created,
                     created))
    insert_rows(Registration, REGISTRATION_COLUMNS, rows)
    return activity


def _upcoming_people(rng, specs, people) -> list[tuple[int, int]]:
    """(organisation, person) pairs: the member login's person first, then people of
    companies and knowledge institutions (one per organisation, and one pair of colleagues
    so the colleague rule shows)."""
    member = get_user_model().objects.filter(email=f"medlem@{DEMO_DOMAIN}").first()
    chosen: list[tuple[int, int]] = []
    if member is not None and member.person_id and member.organisation_id:
        chosen.append((member.organisation_id, member.person_id))
    pool = [spec for spec in specs if people.get(spec.pk)
            and (spec.kind == "company" or spec.kind in KNOWLEDGE_KINDS)
            and spec.pk not in {org for org, _person in chosen}]
    colleagues = False
    for spec in rng.sample(pool, len(pool)):
        if len(chosen) >= UPCOMING_PARTICIPANTS:
            break
        staff_of = people[spec.pk]
        chosen.append((spec.pk, staff_of[0]))
        if not colleagues and len(staff_of) > 1:
            chosen.append((spec.pk, staff_of[1]))
            colleagues = True
    return chosen[:UPCOMING_PARTICIPANTS]
