"""The grant rules, tested without a database: exhaustively over small combinations, at the
thresholds exactly, and with hypothesis over random activities and thresholds."""

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klynge.funding.choices import DEFAULT_ELIGIBLE_TYPES, ActivityType, GrantKind
from klynge.funding.domain.rules import (
    DANISH_REGIONS,
    ActivityFacts,
    ActorFacts,
    GrantRules,
    GrantYearFacts,
    SpendFacts,
    Verdict,
    activity_verdicts,
    all_ok,
    grant_year_verdicts,
    sme_share,
)

UFS = GrantRules(
    code="UFS", kind="knowledge",
    eligible_types=frozenset(str(t) for t in DEFAULT_ELIGIBLE_TYPES[GrantKind.KNOWLEDGE]),
    min_actors=3, min_companies=2, min_knowledge_institutions=1,
    min_knowledge_spend_share=Decimal("0.5"),
)
DEB = GrantRules(
    code="DEB", kind="business",
    eligible_types=frozenset(str(t) for t in DEFAULT_ELIGIBLE_TYPES[GrantKind.BUSINESS]),
    min_actors=2, min_companies=1, min_knowledge_institutions=0,
    min_innovation_project_share=Decimal("0.5"),
)
OTHER = GrantRules(code="EU", kind="other", eligible_types=frozenset(), min_actors=5,
                   min_companies=5)

ALL_TYPES = [str(t) for t in ActivityType]
_ids = itertools.count(1)


def company(size="sme", region="midtjylland", pk=None):
    return ActorFacts(pk or next(_ids), "company", size, region, False, True)


def institution(region="hovedstaden", pk=None):
    return ActorFacts(pk or next(_ids), "university", "unknown", region, True, False)


def other_actor(region="syddanmark", pk=None):
    return ActorFacts(pk or next(_ids), "public", "unknown", region, False, False)


def activity(companies=0, institutions=0, others=0, type="matchmaking", **extra):
    actors = (
        [company() for _ in range(companies)]
        + [institution() for _ in range(institutions)]
        + [other_actor() for _ in range(others)]
    )
    return ActivityFacts(type=type, actors=tuple(actors), **extra)


def by_rule(verdicts):
    return {verdict.rule: verdict for verdict in verdicts}


# --- per activity: exhaustive over small combinations -----------------------------------------


@pytest.mark.parametrize("type", ALL_TYPES)
@pytest.mark.parametrize("others", [0, 1, 2])
@pytest.mark.parametrize("institutions", [0, 1, 2])
@pytest.mark.parametrize("companies", [0, 1, 2, 3])
def test_ufs_needs_a_knowledge_institution_and_two_companies(
    companies, institutions, others, type
):
    # The rule in words: an eligible type (not access to finance, not entrepreneurship), at
    # least one knowledge institution and at least two companies.
    facts = activity(companies, institutions, others, type=type)

    verdicts = activity_verdicts(facts, UFS)

    eligible = type not in ("access_to_finance", "entrepreneurship")
    assert all_ok(verdicts) == (eligible and institutions >= 1 and companies >= 2)
    assert [v.rule for v in verdicts] == ["type", "knowledge_institutions", "companies"]
    rules = by_rule(verdicts)
    assert rules["type"].ok == eligible
    assert rules["knowledge_institutions"].ok == (institutions >= 1)
    assert rules["companies"].ok == (companies >= 2)


@pytest.mark.parametrize("type", ALL_TYPES)
@pytest.mark.parametrize("others", [0, 1, 2])
@pytest.mark.parametrize("institutions", [0, 1, 2])
@pytest.mark.parametrize("companies", [0, 1, 2, 3])
def test_deb_needs_two_actors_one_of_them_a_company(companies, institutions, others, type):
    # The rule in words: at least two actors, at least one of them a company; every type is
    # eligible under DEB.
    facts = activity(companies, institutions, others, type=type)

    verdicts = activity_verdicts(facts, DEB)

    assert all_ok(verdicts) == (companies >= 1 and companies + institutions + others >= 2)
    assert [v.rule for v in verdicts] == ["type", "companies", "actors"]
    assert by_rule(verdicts)["type"].ok is True


@pytest.mark.parametrize("companies", [0, 1, 2, 3])
@pytest.mark.parametrize("institutions", [0, 1, 2])
def test_other_funding_has_no_rules(companies, institutions):
    assert activity_verdicts(activity(companies, institutions), OTHER) == ()


def test_an_empty_planned_activity_says_what_is_still_needed_under_ufs():
    verdicts = activity_verdicts(activity(type="matchmaking"), UFS)

    assert verdicts == (
        Verdict("type", True, "type_eligible", {"type": "matchmaking"}),
        Verdict("knowledge_institutions", False, "needs_knowledge_institutions",
                {"count": 0, "required": 1, "missing": 1}),
        Verdict("companies", False, "needs_companies", {"count": 0, "required": 2, "missing": 2}),
    )


def test_one_company_alone_needs_one_more_actor_under_deb():
    verdicts = activity_verdicts(activity(companies=1, type="entrepreneurship"), DEB)

    assert verdicts == (
        Verdict("type", True, "type_eligible", {"type": "entrepreneurship"}),
        Verdict("companies", True, "has_companies", {"count": 1, "required": 1}),
        Verdict("actors", False, "needs_actors", {"count": 1, "required": 2, "missing": 1}),
    )


def test_access_to_finance_is_not_eligible_under_ufs():
    verdict = activity_verdicts(activity(2, 1, type="access_to_finance"), UFS)[0]

    assert verdict == Verdict("type", False, "type_not_eligible", {"type": "access_to_finance"})


def test_an_organisation_counts_once_however_often_it_appears():
    twice = company(pk=7)
    facts = ActivityFacts("matchmaking", (twice, twice, institution(pk=8)))

    rules = by_rule(activity_verdicts(facts, UFS))

    assert rules["companies"].params == {"count": 1, "required": 2, "missing": 1}
    assert len(facts.distinct_actors) == 2


def test_a_knowledge_institution_is_not_a_company():
    rules = by_rule(activity_verdicts(activity(institutions=3), UFS))

    assert rules["companies"].params["count"] == 0


def test_the_actor_rule_is_checked_when_it_asks_for_more_than_the_others():
    strict = GrantRules(code="X", kind="knowledge", eligible_types={"matchmaking"},
                        min_actors=4, min_companies=2, min_knowledge_institutions=1)

    rules = by_rule(activity_verdicts(activity(2, 1), strict))

    assert rules["actors"] == Verdict("actors", False, "needs_actors",
                                      {"count": 3, "required": 4, "missing": 1})


def test_thresholds_of_zero_are_not_checked():
    lax = GrantRules(code="X", kind="business", eligible_types={"matchmaking"})

    assert activity_verdicts(activity(), lax) == (
        Verdict("type", True, "type_eligible", {"type": "matchmaking"}),
    )


actors_strategy = st.lists(
    st.tuples(st.integers(1, 12), st.sampled_from(["company", "university", "gts", "public"]),
              st.sampled_from(["sme", "large", "unknown"])),
    max_size=12,
)


def _facts(raw, type="matchmaking"):
    actors = tuple(
        ActorFacts(pk, kind, size if kind == "company" else "unknown", "",
                   kind in ("university", "gts"), kind == "company")
        for pk, kind, size in raw
    )
    return ActivityFacts(type, actors)


@given(actors_strategy, st.integers(0, 4), st.integers(0, 4), st.integers(0, 6),
       st.sampled_from(["knowledge", "business"]), st.sampled_from(ALL_TYPES))
def test_every_count_rule_holds_exactly_when_the_counts_reach_the_thresholds(
    raw, min_ki, min_companies, min_actors, kind, type
):
    grant = GrantRules("X", kind, frozenset(["matchmaking", "planning"]), min_actors,
                       min_companies, min_ki)
    facts = _facts(raw, type)
    distinct = {pk: (kind_, size) for pk, kind_, size in reversed(raw)}
    institutions = sum(1 for k, _s in distinct.values() if k in ("university", "gts"))
    companies = sum(1 for k, _s in distinct.values() if k == "company")

    verdicts = activity_verdicts(facts, grant)

    expected = (
        type in ("matchmaking", "planning")
        and institutions >= min_ki
        and companies >= min_companies
        and len(distinct) >= min_actors
    )
    assert all_ok(verdicts) == expected
    for verdict in verdicts:
        if verdict.code.startswith("needs_"):
            assert verdict.params["missing"] == verdict.params["required"] - \
                verdict.params["count"] > 0


# --- SME share ------------------------------------------------------------------------------


def test_sme_share_counts_smes_among_all_companies():
    facts = ActivityFacts("matchmaking", (
        company("sme"), company("sme"), company("large"), company("unknown"), institution(),
    ))

    assert sme_share(facts) == 0.5


def test_sme_share_without_companies_is_none():
    assert sme_share(activity(institutions=2)) is None


@given(actors_strategy)
def test_sme_share_lies_between_zero_and_one(raw):
    share = sme_share(_facts(raw))

    assert share is None or 0 <= share <= 1


# --- per grant and year ------------------------------------------------------------------------


def _year(activities=(), spend=()):
    return GrantYearFacts(2025, tuple(activities), tuple(spend))


def _spend(by_institutions: str, by_others: str):
    return (SpendFacts(Decimal(by_institutions), True), SpendFacts(Decimal(by_others), False))


def test_ufs_money_exactly_half_spent_by_knowledge_institutions_is_not_enough():
    verdict = by_rule(grant_year_verdicts(_year(spend=_spend("500", "500")), UFS))[
        "knowledge_spend"
    ]

    assert verdict == Verdict("knowledge_spend", False, "knowledge_spend_low", {
        "amount": Decimal("500"), "total": Decimal("1000"), "required": 0.5, "share": 0.5,
    })


def test_ufs_money_just_over_half_spent_by_knowledge_institutions_is_enough():
    verdict = by_rule(grant_year_verdicts(_year(spend=_spend("500.01", "500")), UFS))[
        "knowledge_spend"
    ]

    assert verdict.ok is True
    assert verdict.code == "knowledge_spend_ok"


def test_no_money_spent_yet_is_not_met_and_says_so():
    verdict = by_rule(grant_year_verdicts(_year(), UFS))["knowledge_spend"]

    assert (verdict.ok, verdict.code) == (False, "knowledge_spend_none")


def test_deb_does_not_check_knowledge_spend():
    assert "knowledge_spend" not in by_rule(grant_year_verdicts(_year(), DEB))


def test_regions_lists_the_missing_ones_in_order():
    facts = [ActivityFacts("matchmaking", (company(region="midtjylland"),
                                           institution(region="hovedstaden"),
                                           company(region="abroad")))]

    verdict = by_rule(grant_year_verdicts(_year(facts), DEB))["regions"]

    assert verdict == Verdict("regions", False, "regions_missing", {
        "missing": ["sjaelland", "syddanmark", "nordjylland"],
        "reached": ["hovedstaden", "midtjylland"],
    })


def test_all_five_regions_reached():
    facts = [ActivityFacts("matchmaking", tuple(company(region=r) for r in DANISH_REGIONS))]

    verdict = by_rule(grant_year_verdicts(_year(facts), UFS))["regions"]

    assert (verdict.ok, verdict.code) == (True, "regions_all")


def _activities(total: int, green: int = 0, innovation: int = 0):
    return [
        ActivityFacts("matchmaking", (), green_focus=i < green, innovation_project=i < innovation)
        for i in range(total)
    ]


def test_innovation_share_exactly_at_the_threshold_is_met():
    verdict = by_rule(grant_year_verdicts(_year(_activities(4, innovation=2)), DEB))[
        "innovation"
    ]

    assert verdict == Verdict("innovation", True, "innovation_ok",
                              {"count": 2, "total": 4, "required": 0.5, "share": 0.5})


def test_innovation_share_just_below_the_threshold_is_not_met():
    verdict = by_rule(grant_year_verdicts(_year(_activities(5, innovation=2)), DEB))[
        "innovation"
    ]

    assert (verdict.ok, verdict.code, verdict.params["share"]) == (False, "innovation_low", 0.4)


def test_innovation_share_without_activities_is_not_met():
    verdict = by_rule(grant_year_verdicts(_year(), DEB))["innovation"]

    assert (verdict.ok, verdict.code) == (False, "innovation_none")


def test_ufs_does_not_check_the_innovation_share():
    assert "innovation" not in by_rule(grant_year_verdicts(_year(_activities(3)), UFS))


def test_green_share_without_a_threshold_is_shown_and_never_fails():
    verdict = by_rule(grant_year_verdicts(_year(_activities(4, green=1)), UFS))["green"]

    assert verdict == Verdict("green", True, "green_ok",
                              {"count": 1, "total": 4, "required": 0.0, "share": 0.25})


def test_green_share_with_a_threshold():
    greener = GrantRules("G", "business", frozenset(), min_green_share=Decimal("0.3"))

    verdict = by_rule(grant_year_verdicts(_year(_activities(10, green=3)), greener))["green"]

    assert (verdict.ok, verdict.code) == (True, "green_ok")


def test_other_funding_has_no_year_rules():
    assert grant_year_verdicts(_year(_activities(3)), OTHER) == ()


@given(st.integers(0, 40), st.integers(0, 40), st.sampled_from(["0.1", "0.25", "0.35", "0.5",
                                                                  "0.75", "1"]))
def test_innovation_share_is_met_exactly_when_the_fraction_reaches_the_threshold(
    total, tied, threshold
):
    tied = min(tied, total)
    grant = GrantRules("D", "business", frozenset(), min_innovation_project_share=threshold)

    verdict = by_rule(grant_year_verdicts(_year(_activities(total, innovation=tied)), grant))[
        "innovation"
    ]

    expected = total > 0 and Fraction(tied, total) >= Fraction(threshold)
    assert verdict.ok == expected


@given(st.lists(st.tuples(st.integers(1, 10**6), st.booleans()), max_size=10),
       st.sampled_from(["0.25", "0.5", "0.6"]))
def test_knowledge_spend_is_met_exactly_when_institutions_spend_more_than_the_threshold(
    items, threshold
):
    spend = tuple(SpendFacts(Decimal(cents) / 100, by_ki) for cents, by_ki in items)
    grant = GrantRules("U", "knowledge", frozenset(), min_knowledge_spend_share=threshold)

    verdict = by_rule(grant_year_verdicts(_year(spend=spend), grant))["knowledge_spend"]

    total = sum(cents for cents, _ in items)
    by_ki = sum(cents for cents, ki in items if ki)
    assert verdict.ok == (total > 0 and Fraction(by_ki, total) > Fraction(threshold))
