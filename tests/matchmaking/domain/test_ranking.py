"""Ranking order and explanations on hand-made profiles (pure: no Django, no database)."""

import pytest

from klynge.matchmaking.domain import Index, OrgProfile, Query, Weights, rank
from tests.matchmaking.domain.fixtures import index, profiles

NEED = "computer vision for quality control"


def test_exact_order_with_a_lead():
    result = rank(Query(NEED, lead="lead"), index(), 10)
    # uni: past partner of the lead + the best text match + same country + complementary kind;
    # bio: past partner, complementary, but no text match; firm: text only; rto: weaker text,
    # complementary, one collaborator in common (uni). The lead itself is never proposed.
    assert [r.org_id for r in result] == ["uni", "bio", "firm", "rto"]


def test_reasons_are_the_terms_of_the_score():
    for recommendation in rank(Query(NEED, lead="lead"), index(), 10):
        total = sum(reason.contribution for reason in recommendation.reasons)
        assert total == pytest.approx(recommendation.score, abs=1e-5)
        contributions = [reason.contribution for reason in recommendation.reasons]
        assert contributions == sorted(contributions, reverse=True)


def test_exact_reasons_of_the_best_candidate():
    best = rank(Query(NEED, lead="lead"), index(), 1)[0]
    by_code = {reason.code: reason for reason in best.reasons}
    assert list(by_code) == ["past_partner", "shared_terms", "region", "complementary_kinds",
                             "experience"]
    assert by_code["past_partner"].text == "1 earlier project(s) with Vision Robotics ApS"
    assert by_code["past_partner"].data == (1,)
    assert {"quality control", "computer vision"} <= set(by_code["shared_terms"].data)
    assert by_code["shared_terms"].text.endswith("(in 1 of 2 text(s))")
    assert by_code["region"].text == "same country as Vision Robotics ApS (DK)"
    assert by_code["complementary_kinds"].text == "complementary kinds: company ↔ university"
    assert by_code["complementary_kinds"].contribution == pytest.approx(Weights().kinds)


def test_collaborators_in_common_are_named():
    rto = next(r for r in rank(Query(NEED, lead="lead"), index(), 10) if r.org_id == "rto")
    common = next(reason for reason in rto.reasons if reason.code == "common_collaborators")
    assert common.data == ("Aalborg University",)
    assert common.text == "1 collaborator(s) in common: Aalborg University"


def test_text_only_order_without_a_lead():
    result = rank(Query(NEED), index(), 3)
    assert [r.org_id for r in result] == ["uni", "firm", "rto"]
    assert all(r.reasons[0].code == "shared_terms" for r in result)


def test_preferred_country_is_a_reason():
    result = rank(Query(NEED, countries=("DE",)), index(), 2)
    assert [r.org_id for r in result] == ["firm", "uni"]
    assert any(reason.code == "country" and reason.data == ("DE",)
               for reason in result[0].reasons)


def test_exclude_and_k():
    result = rank(Query(NEED, exclude=frozenset({"uni"})), index(), 2)
    assert [r.org_id for r in result] == ["firm", "rto"]


def test_complementary_kind_is_preferred():
    twins = [
        OrgProfile("co", "Lead Co", "company", False, "SE", ("Welding robots",)),
        OrgProfile("lab", "Lead Lab", "research", False, "SE", ("Battery chemistry",)),
        OrgProfile("c2", "Battery Company", "company", False, "FI", ("Battery chemistry",)),
        OrgProfile("r2", "Battery Institute", "research", False, "FI", ("Battery chemistry",)),
    ]
    ix = Index(twins)
    by_company = rank(Query("battery chemistry", lead="co", exclude=frozenset({"lab"})), ix, 2)
    assert [r.org_id for r in by_company] == ["r2", "c2"]
    by_lab = rank(Query("battery chemistry", lead="lab"), ix, 2)
    assert [r.org_id for r in by_lab] == ["c2", "r2"]
    # A lead that is not indexed yet can still say what it is.
    by_kind = rank(Query("battery chemistry", lead_kind="company",
                         exclude=frozenset({"lab"})), ix, 2)
    assert [r.org_id for r in by_kind] == ["r2", "c2"]


def test_empty_query_is_refused():
    with pytest.raises(ValueError, match="empty query"):
        rank(Query("   "), index(), 5)


def test_unknown_lead_is_refused_clearly():
    with pytest.raises(ValueError, match="unknown lead organisation 'nobody'"):
        rank(Query(NEED, lead="nobody"), index(), 5)


def test_bad_k_and_kind():
    with pytest.raises(ValueError, match="k must be at least 1"):
        rank(Query(NEED), index(), 0)
    with pytest.raises(ValueError, match="unknown kind"):
        rank(Query(NEED, lead_kind="startup"), index(), 3)
    with pytest.raises(ValueError, match="unknown kind"):
        OrgProfile("x", "X", "startup")


def test_words_outside_the_vocabulary_do_not_crash():
    assert rank(Query("zxqv blorp"), index(), 3)  # no text match: priors only
    result = rank(Query("zxqv blorp", lead="lead"), index(), 2)
    assert [r.org_id for r in result] == ["uni", "bio"]


def test_k_larger_than_the_index():
    assert len(rank(Query(NEED, lead="lead"), index(), 50)) == len(profiles()) - 1


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        Index(profiles() + profiles()[:1])
