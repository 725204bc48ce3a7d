"""Value objects of the recommender: profiles, queries, reasons and recommendations."""

from dataclasses import dataclass, field

KINDS = ("company", "research", "higher_education", "public", "other")
KNOWLEDGE_KINDS = frozenset({"research", "higher_education"})

# CORDIS activityType → kind.
CORDIS_KINDS = {"PRC": "company", "REC": "research", "HES": "higher_education",
                "PUB": "public", "OTH": "other"}


def complementary(a: str | None, b: str | None) -> bool:
    """Company ↔ knowledge institution (research organisation or university)."""
    if a is None or b is None:
        return False
    return (a == "company" and b in KNOWLEDGE_KINDS) or (a in KNOWLEDGE_KINDS and b == "company")


@dataclass(frozen=True)
class OrgProfile:
    id: str
    name: str
    kind: str = "other"
    is_sme: bool = False
    country: str = ""
    texts: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    projects: frozenset = field(default_factory=frozenset)
    #: A sub-national region (e.g. "hovedstaden"); organisations in the same one are "near".
    region: str = ""
    #: Facts the purposes select on: "startup", "investor", "large", "cluster", and
    #: "external" for an organisation known only from outside data (not yet one of ours).
    tags: frozenset = field(default_factory=frozenset)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}: expected one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class Query:
    """A need: free text (Danish or English), taxonomy labels, and optionally a lead.

    `lead` must be an organisation in the index (its collaboration graph is used); a lead that
    is not indexed yet can still contribute its kind through `lead_kind`. `countries` is a
    preference (e.g. ("DK",)); `exclude` removes organisations from the results.
    """

    text: str = ""
    labels: tuple[str, ...] = ()
    lead: str | None = None
    lead_kind: str | None = None
    countries: tuple[str, ...] = ()
    exclude: frozenset = field(default_factory=frozenset)
    #: Which pairs to suggest (see `purposes.PURPOSES`); "any" suggests everyone.
    purpose: str = "any"
    #: Restrict the candidates to these kinds (empty: all kinds).
    kinds: tuple[str, ...] = ()
    #: Whether organisations tagged "external" may be suggested.
    include_external: bool = True

    def is_empty(self) -> bool:
        return not (self.text.strip() or any(s.strip() for s in self.labels) or self.lead)


@dataclass(frozen=True)
class Reason:
    """One feature's share of a score, with the data a person reads it from.

    `code` is one of: shared_terms, past_partner, joint_work, common_collaborators,
    complementary_kinds, region, near, country, experience. `contribution` is exactly the
    amount this feature added to the score.
    """

    code: str
    text: str
    contribution: float
    data: tuple = ()


@dataclass(frozen=True)
class Recommendation:
    org_id: str
    score: float
    reasons: tuple[Reason, ...]
