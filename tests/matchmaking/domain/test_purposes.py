"""Purposes: who may be suggested to whom, the index's vectorised filter, and the ranking
within each purpose (pure: no Django, no database)."""

import pytest

from klynge.matchmaking.domain import Index, OrgProfile, Query, Weights, rank
from klynge.matchmaking.domain.purposes import PURPOSES, applies, eligible
from klynge.matchmaking.domain.recommend import need_phrases, shared_terms
from klynge.matchmaking.domain.text import phrases

NEED = "computer vision for quality control"


def cluster() -> list[OrgProfile]:
    """One of each: an SME, a large company, a startup, an investor, two knowledge
    institutions, a public body, and two organisations known only from outside data."""
    return [
        OrgProfile("sme", "Vision Robotics ApS", "company", True, "DK",
                   ("Robot cells for welding", "Computer vision for quality control"),
                   projects=frozenset({"p1"}), region="midtjylland"),
        OrgProfile("large", "Grundfos A/S", "company", False, "DK",
                   ("Quality control of pumps in production",), region="midtjylland",
                   tags=frozenset({"large"})),
        OrgProfile("startup", "Pixel Start ApS", "company", True, "DK",
                   ("Computer vision app for farmers",), region="hovedstaden",
                   tags=frozenset({"startup"})),
        OrgProfile("investor", "Nordic Seed Capital", "company", True, "DK",
                   ("Venture capital for computer vision startups",), region="hovedstaden",
                   tags=frozenset({"investor"})),
        OrgProfile("uni", "Aalborg University", "higher_education", False, "DK",
                   ("Computer vision research", "Deep learning for image recognition"),
                   projects=frozenset({"p1"}), region="nordjylland"),
        OrgProfile("rto", "Fraunhofer IPK", "research", False, "DE",
                   ("Machine vision for quality control of welds",)),
        OrgProfile("city", "Aarhus Kommune", "public", False, "DK",
                   ("Smart city services",), region="midtjylland"),
        OrgProfile("ext", "CEA List", "research", False, "FR",
                   ("Computer vision for quality control of electronics",),
                   tags=frozenset({"external"})),
        OrgProfile("ext_large", "Siemens AG", "company", False, "DE",
                   ("Quality control automation",), tags=frozenset({"external", "large"})),
    ]


def by_id() -> dict[str, OrgProfile]:
    return {p.id: p for p in cluster()}


def ranked(query: Query, k: int = 20) -> list[str]:
    return [r.org_id for r in rank(query, Index(cluster()), k)]


# -- eligible and applies --------------------------------------------------------------------

@pytest.mark.parametrize(("purpose", "lead", "candidate", "expected"), [
    ("knowledge", "sme", "uni", True),
    ("knowledge", "sme", "rto", True),
    ("knowledge", "uni", "sme", True),
    ("knowledge", "uni", "large", True),
    ("knowledge", "sme", "large", False),
    ("knowledge", "uni", "rto", False),
    ("knowledge", "investor", "uni", False),
    ("knowledge", "uni", "investor", False),
    ("knowledge", "city", "uni", False),
    ("companies", "sme", "large", True),
    ("companies", "startup", "sme", True),
    ("companies", "sme", "investor", False),
    ("companies", "sme", "uni", False),
    ("companies", "uni", "sme", False),
    ("sme_large", "sme", "large", True),
    ("sme_large", "large", "sme", True),
    ("sme_large", "startup", "ext_large", True),
    ("sme_large", "sme", "startup", False),
    ("sme_large", "large", "ext_large", False),
    ("sme_large", "investor", "large", False),
    ("startup_investor", "startup", "investor", True),
    ("startup_investor", "investor", "startup", True),
    ("startup_investor", "sme", "investor", False),
    ("startup_investor", "startup", "large", False),
    ("any", "city", "ext", True),
    ("any", "uni", "rto", True),
])
def test_eligible(purpose, lead, candidate, expected):
    profiles = by_id()

    assert eligible(purpose, profiles[lead], profiles[candidate]) is expected


@pytest.mark.parametrize(("lead", "purposes"), [
    ("sme", ["knowledge", "companies", "sme_large", "any"]),
    ("large", ["knowledge", "companies", "sme_large", "any"]),
    ("startup", ["knowledge", "companies", "sme_large", "startup_investor", "any"]),
    ("investor", ["startup_investor", "any"]),
    ("uni", ["knowledge", "any"]),
    ("city", ["any"]),
])
def test_applies(lead, purposes):
    profile = by_id()[lead]

    assert [p for p in PURPOSES if applies(p, profile)] == purposes


def test_an_unknown_purpose_is_an_error_in_eligible_and_applies():
    profiles = by_id()

    with pytest.raises(ValueError, match="unknown purpose 'dating'"):
        eligible("dating", profiles["sme"], profiles["uni"])
    with pytest.raises(ValueError, match="unknown purpose 'dating'"):
        applies("dating", profiles["sme"])


def test_the_candidate_mask_agrees_with_eligible_for_every_pair():
    profiles = cluster()
    index = Index(profiles)

    for purpose in PURPOSES:
        for lead in profiles:
            mask = index.candidate_mask(Query(lead=lead.id, purpose=purpose))
            expected = [eligible(purpose, lead, candidate) for candidate in profiles]
            assert mask.tolist() == expected, (purpose, lead.id)


def test_the_mask_also_agrees_after_a_profile_is_updated():
    profiles = cluster()
    index = Index(profiles)
    grown = OrgProfile("sme", "Vision Robotics ApS", "company", False, "DK",
                       ("Robot cells for welding",), tags=frozenset({"large"}))
    index.update(grown)
    profiles[0] = grown

    for purpose in PURPOSES:
        for lead in profiles:
            mask = index.candidate_mask(Query(lead=lead.id, purpose=purpose))
            assert mask.tolist() == [eligible(purpose, lead, c) for c in profiles]


# -- ranking within a purpose ----------------------------------------------------------------

@pytest.mark.parametrize(("lead", "purpose", "expected"), [
    # uni: a past partner of the lead; ext and rto: text only (ext is external but included).
    ("sme", "knowledge", ["uni", "ext", "rto"]),
    # large: quality control, same country and region; startup: computer vision, same country.
    ("sme", "companies", ["large", "startup", "ext_large"]),
    ("sme", "sme_large", ["large", "ext_large"]),
    ("sme", "any", ["uni", "ext", "rto", "large", "startup", "investor", "ext_large", "city"]),
    ("uni", "knowledge", ["sme", "large", "startup", "ext_large"]),
    ("large", "sme_large", ["sme", "startup"]),
    ("startup", "startup_investor", ["investor"]),
    ("investor", "startup_investor", ["startup"]),
])
def test_rank_gives_the_exact_order_for_each_purpose(lead, purpose, expected):
    assert ranked(Query(NEED, lead=lead, purpose=purpose)) == expected


def test_the_same_region_is_near_and_counts():
    index = Index(cluster())

    result = {r.org_id: r for r in rank(Query("quality control", lead="sme",
                                              purpose="companies"), index, 10)}

    near = [reason for reason in result["large"].reasons if reason.code == "near"]
    assert [(r.text, r.contribution, r.data) for r in near] == [
        ("same region as Vision Robotics ApS (midtjylland)", Weights().near, ("midtjylland",))]
    assert [r for r in result["startup"].reasons if r.code == "near"] == []


def test_external_organisations_only_when_included():
    query = Query(NEED, lead="sme", purpose="knowledge")

    with_external = ranked(query)
    without = ranked(Query(NEED, lead="sme", purpose="knowledge", include_external=False))

    assert "ext" in with_external
    assert without == [org for org in with_external if org != "ext"]


def test_a_purpose_needs_a_lead():
    with pytest.raises(ValueError, match="the purpose 'knowledge' needs a lead organisation"):
        rank(Query(NEED, purpose="knowledge"), Index(cluster()), 10)


def test_an_unknown_purpose_is_refused_by_rank():
    with pytest.raises(ValueError, match="unknown purpose 'dating'"):
        rank(Query(NEED, lead="sme", purpose="dating"), Index(cluster()), 10)


def test_without_a_lead_a_need_ranks_by_text_and_leaves_out_who_shares_no_word_of_it():
    # The city's texts share no term with the need: nothing speaks for it, so it is no
    # suggestion (rather than padding at score 0).
    assert ranked(Query(NEED)) == ["sme", "ext", "rto", "ext_large", "uni", "large", "startup",
                                   "investor"]


# -- the phrases shown as shared topics ------------------------------------------------------

def test_shared_topics_show_the_phrases_of_the_need_not_the_models_bigrams():
    index = Index(cluster())
    qvec = index.query_vector(Query(NEED))
    written = need_phrases(NEED)

    # The model's bigrams include "vision quality" ("vision for quality"): not shown.
    assert shared_terms(index, index.row_of["ext"], qvec)[0] == [
        "vision quality", "computer vision", "quality control"]
    assert shared_terms(index, index.row_of["ext"], qvec, phrases=written) == (
        ["computer vision", "quality control"], 1, 1)
    assert shared_terms(index, index.row_of["rto"], qvec, phrases=written)[0] == [
        "quality control", "vision"]


def test_the_phrases_of_a_danish_need_are_its_own_and_its_glosses():
    assert phrases("Vi har brug for computer vision til kvalitetskontrol") == {
        "computer vision", "quality control"}
    assert phrases("Computer vision for quality control. Deep learning, image recognition") == {
        "computer vision", "quality control", "deep learning", "image recognition"}


def test_a_danish_need_is_explained_without_seams_with_the_gloss():
    profiles = [OrgProfile("dk", "Teknologisk Institut", "research", False, "DK",
                           ("Computer vision til kvalitetskontrol i produktionen",)),
                OrgProfile("other", "Aarhus Kommune", "public", False, "DK",
                           ("Fjernvarme og affald",))]

    need = Query("vi har brug for computer vision til kvalitetskontrol")
    index = Index(profiles)

    best = rank(need, index, 1)[0]

    assert best.org_id == "dk"
    assert best.reasons[0].data == ("computer vision", "kvalitetskontrol", "quality control")
    # Unfiltered, the model's bigrams would show the seam "vision kvalitetskontrol".
    assert "vision kvalitetskontrol" in shared_terms(index, 0, index.query_vector(need))[0]
