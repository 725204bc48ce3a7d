"""The demo's EU call topics in the Funding & Tenders portal's style (as `klynge import-calls`
would import them): 25 Horizon Europe and Digital Europe topics on the cluster's focus areas,
with plain-English descriptions, most with a deadline in the coming months and some closed
recently."""

from datetime import timedelta
from decimal import Decimal

from klynge.demo.builder.matchmaking import banks
from klynge.matchmaking.models import CallTopic

CALLS = 25
#: Deadlines from this many days before the anchor, one every SPACING days (about a third
#: closed, the rest in the coming eight months).
FIRST_DEADLINE = -140
SPACING = 16
LABELS = {theme[0]: theme[3] for theme in banks.THEMES}


def build_calls(ctx) -> dict[str, int]:
    rng = ctx.rng("matchmaking:calls")
    topics, identifiers = [], set()
    for index in range(CALLS):
        theme, programme, pattern, title, action = banks.CALL_PATTERNS[
            index % len(banks.CALL_PATTERNS)]
        deadline = ctx.anchor + timedelta(days=FIRST_DEADLINE + index * SPACING
                                          + rng.randint(-4, 4))
        while deadline.weekday() >= 5:
            deadline += timedelta(days=1)
        sector = rng.choice(banks.SECTORS)
        identifier = _identifier(rng, pattern, deadline.year, identifiers)
        text = title.format(sector=sector)
        labels = rng.sample(LABELS[theme], 2)
        horizon = programme == "HORIZON"
        low, high = ((2_000_000, 4_000_000) if horizon else (1_000_000, 2_000_000))
        budget_min = Decimal(rng.randrange(low, high, 500_000))
        topics.append(CallTopic(
            identifier=identifier, title=text,
            description=banks.CALL_DESCRIPTION.format(
                title_lower=text[:1].lower() + text[1:], labels=" and ".join(labels),
                sector=sector),
            programme=programme, action_type=action,
            opens_on=deadline - timedelta(days=rng.randint(100, 150)), deadline=deadline,
            budget_min=budget_min, budget_max=budget_min + Decimal(rng.choice(
                (1_000_000, 2_000_000, 3_000_000))),
            source="demo",
        ))
    CallTopic.objects.bulk_create(topics)
    return {"call_topics": len(topics)}


def _identifier(rng, pattern: str, year: int, taken: set[str]) -> str:
    while True:
        identifier = pattern.format(year=year, n=rng.randint(1, 15), m=rng.randint(1, 4),
                                    code=rng.choice(banks.CALL_CODES))
        if identifier not in taken:
            taken.add(identifier)
            return identifier
