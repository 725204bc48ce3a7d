"""A registry without a single usable word of text (a new installation) still works."""

from klynge.matchmaking.domain import Index, OrgProfile, Query, rank


def test_an_index_without_any_text_ranks_on_the_other_features():
    index = Index([OrgProfile("a", "A", "company"), OrgProfile("b", "B", "research"),
                   OrgProfile("c", "C", "company")])

    assert index.text_model.is_empty
    # b is the complementary kind; c has nothing in its favour and is left out.
    assert [r.org_id for r in rank(Query(lead="a"), index, 5)] == ["b"]
    assert rank(Query(text="robotics"), index, 5) == []


def test_an_edited_profile_in_an_index_without_text_is_accepted():
    index = Index([OrgProfile("a", "A", "company")])

    index.update(OrgProfile("a", "A", "company", texts=("Robotics for welding",)))

    assert rank(Query(text="robotics"), index, 5) == []  # no vocabulary until a rebuild
