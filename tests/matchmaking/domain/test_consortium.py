"""The consortium builder on small hand-built profiles: exact members, slots, alternatives and
checks."""

import pytest

from klynge.matchmaking.domain import OrgProfile
from klynge.matchmaking.domain.consortium import (
    LEAD,
    NO_CANDIDATES,
    NO_ROOM,
    PARTNER,
    ROLE,
    TOO_FEW_CANDIDATES,
    Check,
    RoleRule,
    Rules,
    build,
    swap,
)


def org(id_, kind, country, sme=False, tags=()):
    return OrgProfile(id_, id_.upper(), kind, sme, country, tags=frozenset(tags))


RESEARCH = RoleRule("Research", 1, frozenset({"research", "higher_education"}))
SME = RoleRule("SME", 1, frozenset({"company"}), "sme")
END_USER = RoleRule("End user", 1, frozenset({"company", "public"}), "large")
HORIZON = Rules(3, 8, 3, frozenset({"DK", "DE", "FR", "SE", "NL"}),
                (RESEARCH, SME, END_USER))

LEAD_ORG = org("lead", "company", "DK", sme=True)
X = org("x", "company", "US", tags=("large",))
R1 = org("r1", "research", "DK")
R2 = org("r2", "higher_education", "DE")
C1 = org("c1", "company", "DK", tags=("large",))
PUB = org("pub", "public", "FR")
S1 = org("s1", "company", "SE", sme=True)
PUB2 = org("pub2", "public", "NL")
R3 = org("r3", "research", "SE")


def ranked():
    scores = [(X, 0.95), (R1, 0.9), (R2, 0.8), (C1, 0.7), (PUB, 0.6), (S1, 0.5), (PUB2, 0.4),
              (R3, 0.3)]
    return [(p, s, (f"reason {p.id}",)) for p, s in scores]


def test_role_rule_size_applies_to_companies_only():
    assert END_USER.fits(PUB)
    assert END_USER.fits(C1)
    assert not END_USER.fits(S1)
    assert not END_USER.fits(org("mid", "company", "DK"))  # size unknown: not large
    assert SME.fits(S1) and not SME.fits(C1)
    assert not SME.fits(R1)
    with pytest.raises(ValueError):
        RoleRule("Bad", 1, frozenset({"company"}), "huge")


def test_build_fills_roles_in_order_preferring_new_eligible_countries():
    proposal = build(HORIZON, LEAD_ORG, ranked())

    assert [(s.kind, s.role, s.profile.id) for s in proposal.members] == [
        (LEAD, "Lead", "lead"), (ROLE, "Research", "r2"), (ROLE, "End user", "pub")]
    assert proposal.members[0].score is None
    assert proposal.members[1].score == 0.8
    assert proposal.members[1].reasons == ("reason r2",)
    assert proposal.complete is True
    assert proposal.checks == [
        Check("partners", True, 3, 3, maximum=8),
        Check("countries", True, 3, 3, names=("DE", "DK", "FR")),
        Check("role", True, 1, 1, label="Research", names=("R2",)),
        Check("role", True, 1, 1, label="SME", names=("LEAD",)),  # the lead counts
        Check("role", True, 1, 1, label="End user", names=("PUB",)),
    ]
    assert [c.text for c in proposal.checks] == [
        "At least 3 and at most 8 organisations: 3",
        "Organisations from at least 3 eligible countries: 3 (DE, DK, FR)",
        "At least 1 × Research: 1 (R2)",
        "At least 1 × SME: 1 (LEAD)",
        "At least 1 × End user: 1 (PUB)",
    ]


def test_alternatives_fit_the_role_and_keep_the_met_rules_met():
    proposal = build(HORIZON, LEAD_ORG, ranked())

    # r1 (DK) and x (US), c1 (DK) would lose a country; r3 (SE) and pub2 (NL) keep three.
    assert proposal.members[0].alternatives == ()
    assert [c.profile.id for c in proposal.members[1].alternatives] == ["r3"]
    assert [c.profile.id for c in proposal.members[2].alternatives] == ["pub2"]
    assert proposal.members[2].alternatives[0].score == 0.4


def test_alternatives_are_limited_and_in_rank_order():
    rules = Rules(2, 8, 1, frozenset(), (RESEARCH,))
    proposal = build(rules, LEAD_ORG, ranked(), alternatives=2)

    assert proposal.ids() == ["lead", "r1"]
    assert [c.profile.id for c in proposal.members[1].alternatives] == ["r2", "r3"]
    assert build(rules, LEAD_ORG, ranked(), alternatives=0).members[1].alternatives == ()


def test_fill_up_adds_missing_countries_then_the_best_for_the_numbers():
    rules = Rules(4, 8, 3, frozenset({"DK", "DE", "FR", "SE", "NL"}), ())
    proposal = build(rules, LEAD_ORG, ranked())

    # x (US) is the best but adds no eligible country; r2 (DE) and pub (FR) do; then the best
    # remaining one makes the fourth member.
    assert [(s.kind, s.role, s.profile.id) for s in proposal.members] == [
        (LEAD, "Lead", "lead"), (PARTNER, "Partner", "r2"), (PARTNER, "Partner", "pub"),
        (PARTNER, "Partner", "x")]
    assert proposal.complete is True


def test_countries_count_eligible_countries_only():
    only_us = [(X, 0.9, ()), (org("y", "research", "US"), 0.8, ()),
               (org("z", "public", "CA"), 0.7, ())]
    rules = Rules(3, 8, 2, frozenset({"DK", "DE"}), ())
    proposal = build(rules, LEAD_ORG, only_us)

    assert proposal.ids() == ["lead", "x", "y"]
    assert proposal.checks[1] == Check("countries", False, 2, 1, names=("DK",),
                                       problem=TOO_FEW_CANDIDATES)
    assert proposal.checks[1].text == ("Organisations from at least 2 eligible countries: 1 "
                                       "(DK) – too few among the candidates")
    assert proposal.complete is False


def test_empty_eligible_countries_means_every_country():
    rules = Rules(2, 8, 2, frozenset(), ())
    proposal = build(rules, LEAD_ORG, [(R1, 0.9, ()), (X, 0.5, ())])

    assert proposal.ids() == ["lead", "x"]  # r1 is Danish like the lead
    assert proposal.checks[1].names == ("DK", "US")


def test_a_role_no_candidate_can_fill_says_so():
    rules = Rules(2, 8, 1, frozenset(), (RoleRule("Investor", 1, frozenset({"other"})),))
    proposal = build(rules, LEAD_ORG, ranked())

    assert proposal.checks[2] == Check("role", False, 1, 0, label="Investor",
                                       problem=NO_CANDIDATES)
    assert proposal.checks[2].text == ("At least 1 × Investor: 0 (none) – none among the "
                                       "candidates")
    assert proposal.ids() == ["lead", "x"]  # the partners are still filled up
    assert proposal.complete is False


def test_too_few_candidates_for_a_role():
    rules = Rules(2, 8, 1, frozenset(), (RoleRule("Public bodies", 3, frozenset({"public"})),))
    proposal = build(rules, LEAD_ORG, ranked())

    assert proposal.ids() == ["lead", "pub", "pub2"]
    assert proposal.checks[2] == Check("role", False, 3, 2, label="Public bodies",
                                       names=("PUB", "PUB2"), problem=TOO_FEW_CANDIDATES)


def test_never_more_than_max_partners():
    rules = Rules(3, 3, 1, frozenset(), (
        RoleRule("Research", 2, frozenset({"research", "higher_education"})),
        RoleRule("Public", 2, frozenset({"public"})),
    ))
    proposal = build(rules, LEAD_ORG, ranked())

    assert proposal.ids() == ["lead", "r1", "r2"]
    assert proposal.checks[0] == Check("partners", True, 3, 3, maximum=3)
    assert proposal.checks[3] == Check("role", False, 2, 0, label="Public", problem=NO_ROOM)
    assert proposal.complete is False


def test_too_few_candidates_for_the_numbers():
    proposal = build(Rules(4, 8, 1, frozenset(), ()), LEAD_ORG, [(R1, 0.9, ())])

    assert proposal.ids() == ["lead", "r1"]
    assert proposal.checks[0] == Check("partners", False, 4, 2, problem=TOO_FEW_CANDIDATES,
                                       maximum=8)


def test_the_lead_and_duplicates_in_the_ranking_are_skipped():
    ranking = [(LEAD_ORG, 1.0, ()), (R1, 0.9, ()), (R1, 0.9, ()), (S1, 0.5, ())]
    proposal = build(Rules(3, 8, 1, frozenset(), ()), LEAD_ORG, ranking)

    assert proposal.ids() == ["lead", "r1", "s1"]


def test_swap_replaces_a_member_and_checks_again():
    proposal = build(HORIZON, LEAD_ORG, ranked())
    swapped = swap(HORIZON, proposal, 1, "r1", ranked())

    assert [(s.kind, s.role, s.profile.id) for s in swapped.members] == [
        (LEAD, "Lead", "lead"), (ROLE, "Research", "r1"), (ROLE, "End user", "pub")]
    assert swapped.members[1].score == 0.9
    assert swapped.checks[1] == Check("countries", False, 3, 2, names=("DK", "FR"))
    assert swapped.complete is False


@pytest.mark.parametrize(("position", "profile_id"), [
    (0, "r1"),       # the lead stays
    (3, "r1"),       # no such slot
    (1, "nobody"),   # not a candidate
    (1, "pub"),      # already a member
])
def test_swap_refuses_what_cannot_be_swapped(position, profile_id):
    proposal = build(HORIZON, LEAD_ORG, ranked())
    with pytest.raises(ValueError):
        swap(HORIZON, proposal, position, profile_id, ranked())
