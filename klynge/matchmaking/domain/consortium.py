"""The consortium builder: composition rules, and a proposal that meets them from a ranking.

Pure Python. The builder never scores: it chooses among the recommender's ranking for a call
(`ranked`, best first, each `(profile, score, reasons)`), so the consortium is explained by
the same reasons as the suggestions.

Rules
    `Rules(min_partners, max_partners, min_countries, eligible_countries, roles)`. An
    organisation counts towards the countries when its country is eligible (an empty
    `eligible_countries` makes every country eligible). A `RoleRule` is met by at least
    `min_count` members of one of its `kinds`; its `size` ("sme" or "large") applies to
    companies only, so a public body fills a role for "company or public, large". Every member
    that fits a role counts towards it (an SME that is also the end user counts for both), and
    the lead counts like any member. Members are distinct organisations (distinct ids); two
    records of one legal entity are the caller's business.

Algorithm (`build`)
    1. Start with the lead.
    2. For each role, in the rules' order, while it has fewer members than required and the
       consortium has room (fewer than `max_partners`): add the best-ranked candidate that fits
       the role. While eligible countries are missing, a candidate from an eligible country not
       yet represented is preferred over a better-ranked one that adds no country, so the
       country rule stays reachable.
    3. While the consortium has fewer than `min_partners` members or fewer than `min_countries`
       eligible countries, and room: add the best candidate that brings a missing eligible
       country (or simply the best one when the countries are met, or when no candidate adds
       a country but members are still missing). These members are "Partner" slots.
    4. Check every rule (`check`): partners, countries (named), each role (who fills it). A
       rule that cannot be met says why: no candidate of that kind, too few of them, or no
       room left under `max_partners`.
    5. For each slot but the lead's, list up to `alternatives` alternatives: the best-ranked
       candidates outside the consortium that fit the slot's role and, put in the member's
       place, keep every rule that the consortium meets met.

`swap` replaces one member by another candidate and checks again, so staff can try an
alternative and see what it does to the rules.
"""

from dataclasses import dataclass, field, replace

from klynge.matchmaking.domain.profiles import OrgProfile

SIZES = ("any", "sme", "large")

#: What a slot is: the lead, a member filling a role, or a member added for numbers/countries.
LEAD, ROLE, PARTNER = "lead", "role", "partner"

#: Why a rule is not met.
NO_CANDIDATES = "no_candidates"
TOO_FEW_CANDIDATES = "too_few_candidates"
NO_ROOM = "no_room"


@dataclass(frozen=True)
class RoleRule:
    label: str
    min_count: int = 1
    kinds: frozenset = field(default_factory=frozenset)
    size: str = "any"

    def __post_init__(self):
        if self.size not in SIZES:
            raise ValueError(f"unknown size {self.size!r}: expected one of {', '.join(SIZES)}")

    def fits(self, profile: OrgProfile) -> bool:
        if profile.kind not in self.kinds:
            return False
        if profile.kind != "company" or self.size == "any":
            return True
        if self.size == "sme":
            return profile.is_sme
        return "large" in profile.tags


@dataclass(frozen=True)
class Rules:
    min_partners: int = 3
    max_partners: int = 8
    min_countries: int = 3
    eligible_countries: frozenset = field(default_factory=frozenset)
    roles: tuple[RoleRule, ...] = ()

    def eligible(self, country: str) -> bool:
        country = (country or "").upper()
        return bool(country) and (not self.eligible_countries
                                  or country in self.eligible_countries)

    def countries(self, profiles) -> list[str]:
        """The eligible countries of these profiles, sorted."""
        return sorted({p.country.upper() for p in profiles if self.eligible(p.country)})


@dataclass(frozen=True)
class Candidate:
    profile: OrgProfile
    score: float | None = None
    reasons: tuple = ()


@dataclass(frozen=True)
class Slot:
    """One member: `kind` is LEAD, ROLE or PARTNER; `role` the role's label, "Lead" or
    "Partner"; `alternatives` the candidates that could take the member's place."""

    kind: str
    role: str
    profile: OrgProfile
    score: float | None = None
    reasons: tuple = ()
    alternatives: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Check:
    """One rule and how the consortium stands: `code` is "partners", "countries" or "role";
    `names` are the countries (countries) or the members filling the role (role); `problem`
    is why an unmet rule cannot be met (NO_CANDIDATES, TOO_FEW_CANDIDATES, NO_ROOM) or ""."""

    code: str
    satisfied: bool
    required: int
    actual: int
    label: str = ""
    names: tuple[str, ...] = ()
    problem: str = ""
    maximum: int | None = None

    @property
    def text(self) -> str:
        """The check in English (the Django side words it in the reader's language)."""
        if self.code == "partners":
            text = (f"At least {self.required} and at most {self.maximum} organisations: "
                    f"{self.actual}")
        elif self.code == "countries":
            text = (f"Organisations from at least {self.required} eligible countries: "
                    f"{self.actual} ({', '.join(self.names) or 'none'})")
        else:
            text = (f"At least {self.required} × {self.label}: {self.actual} "
                    f"({', '.join(self.names) or 'none'})")
        if self.problem == NO_CANDIDATES:
            text += " – none among the candidates"
        elif self.problem == TOO_FEW_CANDIDATES:
            text += " – too few among the candidates"
        elif self.problem == NO_ROOM:
            text += " – no room left under the maximum"
        return text


@dataclass(frozen=True)
class Proposal:
    members: list[Slot]
    checks: list[Check]
    complete: bool

    def ids(self) -> list[str]:
        return [slot.profile.id for slot in self.members]


def _candidates(lead: OrgProfile, ranked) -> list[Candidate]:
    """The ranking as distinct candidates other than the lead, best first."""
    seen = {lead.id}
    result = []
    for profile, score, reasons in ranked:
        if profile.id in seen:
            continue
        seen.add(profile.id)
        result.append(Candidate(profile, score, tuple(reasons)))
    return result


def _pick(rules: Rules, pool: list[Candidate], members: list[OrgProfile]) -> Candidate:
    """The best of `pool`, preferring one that adds an eligible country while some are
    missing."""
    have = set(rules.countries(members))
    if len(have) < rules.min_countries:
        for candidate in pool:
            country = candidate.profile.country.upper()
            if rules.eligible(country) and country not in have:
                return candidate
    return pool[0]


def check(rules: Rules, members: list[OrgProfile],
          candidates: list[OrgProfile] = ()) -> list[Check]:
    """Every rule against these members (the first is the lead). `candidates` (everyone the
    builder could choose from, members included or not) explain why an unmet rule cannot be
    met."""
    pool = {p.id: p for p in (*members, *candidates)}.values()
    room = len(members) < rules.max_partners
    checks = []
    n = len(members)
    partners_met = rules.min_partners <= n <= rules.max_partners
    problem = ""
    if not partners_met and n < rules.min_partners:
        problem = TOO_FEW_CANDIDATES if len(pool) < rules.min_partners else NO_ROOM
    checks.append(Check("partners", partners_met, rules.min_partners, n, problem=problem,
                        maximum=rules.max_partners))
    countries = rules.countries(members)
    met = len(countries) >= rules.min_countries
    problem = ""
    if not met:
        available = rules.countries(pool)
        if not available:
            problem = NO_CANDIDATES
        elif len(available) < rules.min_countries:
            problem = TOO_FEW_CANDIDATES
        elif not room:
            problem = NO_ROOM
    checks.append(Check("countries", met, rules.min_countries, len(countries),
                        names=tuple(countries), problem=problem))
    for role in rules.roles:
        fillers = [p.name for p in members if role.fits(p)]
        met = len(fillers) >= role.min_count
        problem = ""
        if not met:
            available = sum(1 for p in pool if role.fits(p))
            if available == 0:
                problem = NO_CANDIDATES
            elif available < role.min_count:
                problem = TOO_FEW_CANDIDATES
            elif not room:
                problem = NO_ROOM
        checks.append(Check("role", met, role.min_count, len(fillers), label=role.label,
                            names=tuple(fillers), problem=problem))
    return checks


def _role_of(rules: Rules, slot: Slot) -> RoleRule | None:
    if slot.kind != ROLE:
        return None
    return next((r for r in rules.roles if r.label == slot.role), None)


def _alternatives(rules: Rules, slots: list[Slot], candidates: list[Candidate],
                  checks: list[Check], limit: int) -> list[Slot]:
    """Each slot (but the lead's) with up to `limit` alternatives that fit its role and keep
    every rule that is met met."""
    members = [s.profile for s in slots]
    taken = {p.id for p in members}
    met_before = [c.satisfied for c in checks]
    result = []
    for position, slot in enumerate(slots):
        if slot.kind == LEAD or limit <= 0:
            result.append(replace(slot, alternatives=()))
            continue
        role = _role_of(rules, slot)
        found = []
        for candidate in candidates:
            if len(found) >= limit:
                break
            if candidate.profile.id in taken:
                continue
            if role is not None and not role.fits(candidate.profile):
                continue
            trial = members[:position] + [candidate.profile] + members[position + 1:]
            after = check(rules, trial)
            if all(a.satisfied for a, before in zip(after, met_before, strict=True) if before):
                found.append(candidate)
        result.append(replace(slot, alternatives=tuple(found)))
    return result


def _finish(rules: Rules, slots: list[Slot], candidates: list[Candidate],
            alternatives: int) -> Proposal:
    checks = check(rules, [s.profile for s in slots], [c.profile for c in candidates])
    slots = _alternatives(rules, slots, candidates, checks, alternatives)
    return Proposal(slots, checks, all(c.satisfied for c in checks))


def build(rules: Rules, lead: OrgProfile, ranked, alternatives: int = 3) -> Proposal:
    """A consortium for the lead meeting `rules` as far as the ranked candidates allow (see
    the module docstring for the algorithm)."""
    candidates = _candidates(lead, ranked)
    slots = [Slot(LEAD, "Lead", lead)]
    taken = {lead.id}

    def members():
        return [s.profile for s in slots]

    def add(kind: str, role: str, candidate: Candidate) -> None:
        slots.append(Slot(kind, role, candidate.profile, candidate.score, candidate.reasons))
        taken.add(candidate.profile.id)

    for role in rules.roles:
        while (sum(1 for p in members() if role.fits(p)) < role.min_count
               and len(slots) < rules.max_partners):
            pool = [c for c in candidates if c.profile.id not in taken and role.fits(c.profile)]
            if not pool:
                break
            add(ROLE, role.label, _pick(rules, pool, members()))

    while len(slots) < rules.max_partners:
        have = set(rules.countries(members()))
        countries_missing = len(have) < rules.min_countries
        if len(slots) >= rules.min_partners and not countries_missing:
            break
        pool = [c for c in candidates if c.profile.id not in taken]
        if countries_missing:
            adding = [c for c in pool if rules.eligible(c.profile.country)
                      and c.profile.country.upper() not in have]
            if adding:
                pool = adding
            elif len(slots) >= rules.min_partners:
                break
        if not pool:
            break
        add(PARTNER, "Partner", pool[0])

    return _finish(rules, slots, candidates, alternatives)


def swap(rules: Rules, proposal: Proposal, position: int, profile_id: str, ranked,
         alternatives: int = 3) -> Proposal:
    """The proposal with the member at `position` replaced by the ranked candidate
    `profile_id`, checked again. ValueError for the lead's slot, a position out of range, a
    candidate not in the ranking or already a member."""
    slots = list(proposal.members)
    if not 0 < position < len(slots):
        raise ValueError(f"no member to replace at position {position}")
    lead = slots[0].profile
    candidates = _candidates(lead, ranked)
    chosen = next((c for c in candidates if c.profile.id == profile_id), None)
    if chosen is None:
        raise ValueError(f"{profile_id} is not among the candidates")
    if profile_id in {s.profile.id for s in slots}:
        raise ValueError(f"{profile_id} is already a member")
    old = slots[position]
    slots[position] = Slot(old.kind, old.role, chosen.profile, chosen.score, chosen.reasons)
    return _finish(rules, slots, candidates, alternatives)
