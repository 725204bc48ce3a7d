"""The demo's membership history, from 2021 up to the anchor date.

Paying members run twelve-month periods from the month they joined (most from January),
renewed each year; a few per cent do not renew, some of them leaving a short "lapsed"
period behind, and may join again after a year out. On 31 December 2021 exactly
`members_2021` organisations pay; the number then grows towards `members_2025` (and half
as fast after), as far as there are organisations left to join. The current periods of
members whose renewal month lies after the anchor run out soon, which fills the renewals
list. Universities and GTS institutes are partners, a couple of public actors honorary
members: neither counts as paying.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from klynge.demo.builder.context import DemoContext
from klynge.demo.builder.organisations import OrganisationSpec
from klynge.ecosystem.models import Membership, MembershipTier

FIRST_YEAR = 2021
LAPSE_RATE = 0.03


@dataclass(frozen=True)
class PlannedPeriod:
    """One membership period of the candidate `member` (an index)."""

    member: int
    start: date
    end: date | None
    status: str


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def yearly_targets(members_2021: int, members_2025: int, last_year: int) -> dict[int, int]:
    """Paying members wanted on 31 December of each year (linear to 2025, slower after)."""
    step = (members_2025 - members_2021) / 4
    return {
        year: round(members_2021 + step * (year - FIRST_YEAR)) if year <= 2025
        else round(members_2025 + step / 2 * (year - 2025))
        for year in range(FIRST_YEAR, last_year + 1)
    }


def plan_paying(
    rng, candidates: list[int], *, members_2021: int, members_2025: int, anchor: date,
    lapse_rate: float = LAPSE_RATE,
) -> list[PlannedPeriod]:
    """The paying (and lapsed) periods of the candidates, year by year up to the anchor."""
    targets = yearly_targets(members_2021, members_2025, anchor.year)
    active: dict[int, int] = {}  # member -> month their periods start
    may_rejoin: dict[int, int] = {}  # member -> first year they may join again
    periods: list[PlannedPeriod] = []
    for member in sorted(rng.sample(candidates, members_2021)):
        active[member] = 1 if rng.random() < 0.55 else rng.randint(2, 12)
    for year in range(FIRST_YEAR, anchor.year + 1):
        if year > FIRST_YEAR:
            periods += _lapse(rng, active, may_rejoin, year, anchor, lapse_rate)
            _join(rng, active, may_rejoin, candidates, targets[year], year, anchor)
        for member in sorted(active):
            start = date(year, active[member], 1)
            if start <= anchor:
                end = add_months(start, 12) - timedelta(days=1)
                periods.append(PlannedPeriod(member, start, end, "paying"))
    return periods


def _lapse(rng, active, may_rejoin, year, anchor, lapse_rate) -> list[PlannedPeriod]:
    lapsed = []
    for member in sorted(active):
        due = date(year, active[member], 1)
        if due > anchor or rng.random() >= lapse_rate:
            continue
        del active[member]
        may_rejoin[member] = year + 2
        if rng.random() < 0.4:
            lapsed.append(PlannedPeriod(
                member, due, add_months(due, 2) - timedelta(days=1), "lapsed"
            ))
    return lapsed


def _join(rng, active, may_rejoin, candidates, target, year, anchor) -> None:
    pool = [c for c in candidates if c not in active and may_rejoin.get(c, 0) <= year]
    wanted = min(max(0, target - len(active)), len(pool))
    last_month = anchor.month if year == anchor.year else 12
    for member in sorted(rng.sample(pool, wanted)):
        active[member] = rng.randint(1, last_month)


def paying_on(periods: list[PlannedPeriod], day: date) -> int:
    return sum(
        1 for p in periods
        if p.status == "paying" and p.start <= day and (p.end is None or p.end >= day)
    )


def build_memberships(ctx: DemoContext, specs: list[OrganisationSpec]) -> dict[str, int]:
    """Plan and save the memberships; returns the paying members per year end (and on the
    anchor date)."""
    rng = ctx.rng("memberships")
    tiers = list(MembershipTier.objects.order_by("position", "annual_fee", "pk"))
    partners, honorary = _partners(rng, specs), _honorary(rng, specs)
    excluded = partners | honorary
    candidates = [
        i for i, s in enumerate(specs)
        if s.kind not in {"cluster", "investor"} and i not in excluded
    ]
    periods = plan_paying(
        rng, candidates, members_2021=ctx.sizes.members_2021,
        members_2025=ctx.sizes.members_2025, anchor=ctx.anchor,
    )
    for member in sorted(partners):
        periods += [PlannedPeriod(member, date(year, 1, 1), date(year, 12, 31), "partner")
                    for year in range(FIRST_YEAR, ctx.anchor.year + 1)]
    periods += [PlannedPeriod(m, date(FIRST_YEAR, 1, 1), None, "honorary")
                for m in sorted(honorary)]
    Membership.objects.bulk_create(
        [_membership(specs[p.member], p, tiers) for p in periods], batch_size=500
    )
    counts = {str(year): paying_on(periods, date(year, 12, 31))
              for year in range(FIRST_YEAR, ctx.anchor.year)}
    counts[ctx.anchor.isoformat()] = paying_on(periods, ctx.anchor)
    return counts


def _partners(rng, specs) -> set[int]:
    knowledge = [i for i, s in enumerate(specs) if s.kind in {"university", "gts"}]
    return set(rng.sample(knowledge, min(len(knowledge), max(1, len(specs) // 130))))


def _honorary(rng, specs) -> set[int]:
    public = [i for i, s in enumerate(specs) if s.kind == "public"]
    return set(rng.sample(public, min(len(public), max(1, len(specs) // 400))))


def _tier(spec: OrganisationSpec, tiers: list[MembershipTier]) -> MembershipTier | None:
    if not tiers:
        return None
    if spec.kind == "company":
        index = {"1-9": 0, "10-49": 0, "50-249": 1, "250+": 2}.get(spec.employee_band, 0)
    else:
        index = 3
    return tiers[min(index, len(tiers) - 1)]


def _membership(spec: OrganisationSpec, period: PlannedPeriod, tiers) -> Membership:
    tier = _tier(spec, tiers)
    fee, notes = (tier.annual_fee if tier else Decimal(0)), ""
    if period.status in {"partner", "honorary"}:
        fee = Decimal(0)
        notes = "Vidensamarbejdspartner" if period.status == "partner" else "Æresmedlem"
    elif period.status == "lapsed":
        notes = "Ikke fornyet: faktura ikke betalt"
    elif spec.is_startup and tier is not None and tier == tiers[0]:
        fee, notes = fee / 2, "Iværksætterrabat 50 %"
    return Membership(
        organisation_id=spec.pk, tier=tier, annual_fee=fee, start_date=period.start,
        end_date=period.end, status=period.status, notes=notes,
    )
