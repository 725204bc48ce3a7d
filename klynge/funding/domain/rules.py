"""The grant rules, as pure functions over frozen facts (no Django, no ORM).

Every verdict carries a message code and its parameters; the Django layer turns them into
words (klynge.funding.messages). Thresholds come from the grant (GrantRules), which staff edit
as data; nothing here knows the names UFS or DEB.

Decisions, where the grant texts leave room:

- The actors of an activity are its distinct organisations (the caller decides which ones
  take part; see klynge.funding.selectors).
- A grant of kind "other" has no rules: no verdicts.
- Knowledge and business grants check the same thresholds, each only where it is set (above
  zero): knowledge institutions, companies, and actors. The actor count is checked only when
  it asks for more than the knowledge institutions and companies already required, because
  otherwise it is implied and would only repeat them (UFS: 1 + 2 >= 3 actors). With the seed's
  thresholds this is exactly "UFS: a knowledge institution and at least two companies" and
  "DEB: at least two actors, at least one a company".
- "Most of the money spent by knowledge institutions" is strictly more than the threshold
  (exactly 50 % is not enough); the other shares are "at least" their threshold.
- Shares of activities count activities, not money. A share with nothing to count (no
  activities, no money) is not met, and says why.
- The SME share counts SMEs among all participating companies; a company whose size is not
  known counts as not an SME.
"""

from dataclasses import dataclass, field
from decimal import Decimal

KNOWLEDGE = "knowledge"
BUSINESS = "business"
OTHER = "other"

SME = "sme"

#: The five Danish regions an activity's reach is measured against ("abroad" is not one).
DANISH_REGIONS: tuple[str, ...] = (
    "hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland",
)


@dataclass(frozen=True)
class ActorFacts:
    """One organisation taking part in an activity."""

    organisation_id: int
    kind: str
    size: str = "unknown"
    region: str = ""
    is_knowledge_institution: bool = False
    is_company: bool = False


@dataclass(frozen=True)
class ActivityFacts:
    """What the rules need to know of one activity: its type, actors and focus."""

    type: str
    actors: tuple[ActorFacts, ...] = ()
    green_focus: bool = False
    innovation_project: bool = False

    @property
    def distinct_actors(self) -> tuple[ActorFacts, ...]:
        seen: dict[int, ActorFacts] = {}
        for actor in self.actors:
            seen.setdefault(actor.organisation_id, actor)
        return tuple(seen.values())


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class GrantRules:
    """A grant's rule set and thresholds (copied from the Grant row, which staff edit)."""

    code: str
    kind: str
    eligible_types: frozenset[str] = frozenset()
    min_actors: int = 0
    min_companies: int = 0
    min_knowledge_institutions: int = 0
    min_knowledge_spend_share: Decimal = Decimal(0)
    min_innovation_project_share: Decimal = Decimal(0)
    min_green_share: Decimal = Decimal(0)

    def __post_init__(self):
        object.__setattr__(self, "eligible_types", frozenset(self.eligible_types))
        for name in ("min_knowledge_spend_share", "min_innovation_project_share",
                     "min_green_share"):
            object.__setattr__(self, name, _decimal(getattr(self, name)))

    @property
    def has_rules(self) -> bool:
        return self.kind in (KNOWLEDGE, BUSINESS)


@dataclass(frozen=True)
class Verdict:
    """One rule's outcome: `code` and `params` say it in words (translated in Django)."""

    rule: str
    ok: bool
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SpendFacts:
    """Money spent on a grant: a cost, or hours at a rate; by a knowledge institution or not."""

    amount: Decimal
    by_knowledge_institution: bool = False


@dataclass(frozen=True)
class GrantYearFacts:
    """A grant's year: the activities it funds (not cancelled) and the money spent."""

    year: int
    activities: tuple[ActivityFacts, ...] = ()
    spend: tuple[SpendFacts, ...] = ()


# --- per activity ---------------------------------------------------------------------------


def _count_verdict(rule: str, have: int, required: int) -> Verdict:
    if have >= required:
        return Verdict(rule, True, f"has_{rule}", {"count": have, "required": required})
    return Verdict(
        rule, False, f"needs_{rule}",
        {"count": have, "required": required, "missing": required - have},
    )


def activity_verdicts(activity: ActivityFacts, grant: GrantRules) -> tuple[Verdict, ...]:
    """The verdicts of one activity under one grant, eligibility of its type first."""
    if not grant.has_rules:
        return ()
    verdicts = [
        Verdict("type", True, "type_eligible", {"type": activity.type})
        if activity.type in grant.eligible_types
        else Verdict("type", False, "type_not_eligible", {"type": activity.type})
    ]
    actors = activity.distinct_actors
    institutions = sum(1 for actor in actors if actor.is_knowledge_institution)
    companies = sum(1 for actor in actors if actor.is_company)
    if grant.min_knowledge_institutions > 0:
        verdicts.append(
            _count_verdict("knowledge_institutions", institutions,
                           grant.min_knowledge_institutions)
        )
    if grant.min_companies > 0:
        verdicts.append(_count_verdict("companies", companies, grant.min_companies))
    if grant.min_actors > grant.min_knowledge_institutions + grant.min_companies:
        verdicts.append(_count_verdict("actors", len(actors), grant.min_actors))
    return tuple(verdicts)


def sme_counts(activity: ActivityFacts) -> tuple[int, int]:
    """(SMEs, companies) among the activity's actors."""
    companies = [actor for actor in activity.distinct_actors if actor.is_company]
    return sum(1 for actor in companies if actor.size == SME), len(companies)


def sme_share(activity: ActivityFacts) -> float | None:
    """The share of SMEs among the participating companies; None without companies."""
    smes, companies = sme_counts(activity)
    return smes / companies if companies else None


# --- per grant and year ---------------------------------------------------------------------


def knowledge_spend_verdict(spend: tuple[SpendFacts, ...], minimum: Decimal) -> Verdict:
    total = sum((item.amount for item in spend), Decimal(0))
    by_institutions = sum(
        (item.amount for item in spend if item.by_knowledge_institution), Decimal(0)
    )
    params = {"amount": by_institutions, "total": total, "required": float(minimum)}
    if total <= 0:
        return Verdict("knowledge_spend", False, "knowledge_spend_none", params)
    params["share"] = float(by_institutions / total)
    ok = by_institutions > minimum * total
    return Verdict("knowledge_spend", ok,
                   "knowledge_spend_ok" if ok else "knowledge_spend_low", params)


def regions_verdict(activities: tuple[ActivityFacts, ...]) -> Verdict:
    reached = {actor.region for activity in activities for actor in activity.actors}
    missing = [region for region in DANISH_REGIONS if region not in reached]
    present = [region for region in DANISH_REGIONS if region in reached]
    params = {"missing": missing, "reached": present}
    if missing:
        return Verdict("regions", False, "regions_missing", params)
    return Verdict("regions", True, "regions_all", params)


def share_verdict(rule: str, hits: int, total: int, minimum: Decimal) -> Verdict:
    """At least `minimum` of `total` activities: ok/low/none codes prefixed by the rule."""
    params = {"count": hits, "total": total, "required": float(minimum)}
    if total == 0:
        return Verdict(rule, minimum <= 0, f"{rule}_none", params)
    params["share"] = hits / total
    ok = Decimal(hits) >= minimum * total
    return Verdict(rule, ok, f"{rule}_{'ok' if ok else 'low'}", params)


def grant_year_verdicts(facts: GrantYearFacts, grant: GrantRules) -> tuple[Verdict, ...]:
    """The verdicts of a grant's year: spend by knowledge institutions (where required),
    regions reached, the green share, and the innovation-project share (where required)."""
    if not grant.has_rules:
        return ()
    verdicts = []
    if grant.min_knowledge_spend_share > 0:
        verdicts.append(knowledge_spend_verdict(facts.spend, grant.min_knowledge_spend_share))
    verdicts.append(regions_verdict(facts.activities))
    green = sum(1 for activity in facts.activities if activity.green_focus)
    verdicts.append(share_verdict("green", green, len(facts.activities), grant.min_green_share))
    if grant.min_innovation_project_share > 0:
        tied = sum(1 for activity in facts.activities if activity.innovation_project)
        verdicts.append(share_verdict("innovation", tied, len(facts.activities),
                                      grant.min_innovation_project_share))
    return tuple(verdicts)


def all_ok(verdicts) -> bool:
    return all(verdict.ok for verdict in verdicts)
