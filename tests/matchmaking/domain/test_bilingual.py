"""A Danish need finds an English profile, and an English need a Danish one."""

from klynge.matchmaking.domain import Index, OrgProfile, Query, rank
from klynge.matchmaking.domain.text import bridge
from tests.matchmaking.domain.fixtures import profiles


def test_bridge_translates_words_inflections_and_compounds():
    text = bridge("Vi søger computersyn til kvalitetskontrol i produktionen")
    assert "computer vision" in text
    assert "quality control" in text
    assert "manufacturing" in text
    assert "machine learning" in bridge("Maskinlæring")
    assert bridge("We have data") == "we have data"  # English stays as it is


def test_danish_need_finds_english_profiles():
    result = rank(Query("Vi søger computersyn til kvalitetskontrol"), Index(profiles()), 3)
    assert [r.org_id for r in result] == ["uni", "firm", "rto"]
    assert "quality control" in result[0].reasons[0].data


def test_english_need_finds_danish_profile():
    danish = OrgProfile("dk", "Fødevareteknik A/S", "company", True, "DK",
                        ("Maskinlæring og kunstig intelligens til fødevareproduktion",))
    ix = Index([*profiles(), danish])
    result = rank(Query("machine learning for food production"), ix, 1)
    assert result[0].org_id == "dk"
    assert "machine learning" in result[0].reasons[0].data
