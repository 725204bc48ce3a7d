"""Purposes: which pairs of organisations a suggestion is for.

A purpose is a hard filter on the candidates given the lead (the organisation asking):

- ``knowledge``: company ↔ knowledge institution (research organisation or university);
- ``companies``: company ↔ company;
- ``sme_large``: an SME ↔ a large company;
- ``startup_investor``: a startup ↔ an investor;
- ``any``: everyone.

Without a lead (a free-text need) a purpose cannot be two-sided, so only ``any`` applies.
"""

from klynge.matchmaking.domain.profiles import KNOWLEDGE_KINDS, OrgProfile

PURPOSES = ("knowledge", "companies", "sme_large", "startup_investor", "any")


def _is_company(p: OrgProfile) -> bool:
    return p.kind == "company" and "investor" not in p.tags


def _is_sme(p: OrgProfile) -> bool:
    return _is_company(p) and p.is_sme


def _is_large(p: OrgProfile) -> bool:
    return _is_company(p) and "large" in p.tags


def eligible(purpose: str, lead: OrgProfile, candidate: OrgProfile) -> bool:
    """Whether `candidate` is a partner of the kind `purpose` looks for, for `lead`."""
    if purpose == "any":
        return True
    if purpose == "knowledge":
        return ((_is_company(lead) and candidate.kind in KNOWLEDGE_KINDS)
                or (lead.kind in KNOWLEDGE_KINDS and _is_company(candidate)))
    if purpose == "companies":
        return _is_company(lead) and _is_company(candidate)
    if purpose == "sme_large":
        return ((_is_sme(lead) and _is_large(candidate))
                or (_is_large(lead) and _is_sme(candidate)))
    if purpose == "startup_investor":
        return (("startup" in lead.tags and "investor" in candidate.tags)
                or ("investor" in lead.tags and "startup" in candidate.tags))
    raise ValueError(f"unknown purpose {purpose!r}: expected one of {', '.join(PURPOSES)}")


def applies(purpose: str, lead: OrgProfile) -> bool:
    """Whether the purpose can find anyone for this lead at all (an SME has no SME ↔ large
    partner among SMEs, a university none among investors)."""
    if purpose == "any":
        return True
    if purpose == "knowledge":
        return _is_company(lead) or lead.kind in KNOWLEDGE_KINDS
    if purpose == "companies":
        return _is_company(lead)
    if purpose == "sme_large":
        return _is_sme(lead) or _is_large(lead)
    if purpose == "startup_investor":
        return "startup" in lead.tags or "investor" in lead.tags
    raise ValueError(f"unknown purpose {purpose!r}: expected one of {', '.join(PURPOSES)}")
