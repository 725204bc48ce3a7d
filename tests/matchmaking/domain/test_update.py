"""An edited profile is reflected without a rebuild (the fitted vocabulary is kept)."""

from dataclasses import replace

import numpy as np

from klynge.matchmaking.domain import OrgProfile, Query, rank
from tests.matchmaking.domain.fixtures import index

PROTEIN = Query("protein folding")


def test_update_changes_only_that_organisations_score():
    ix = index()
    vectorizer = ix.text_model.vectorizer
    before = ix.scores(PROTEIN)
    firm = ix.profile("firm")
    ix.update(replace(firm, texts=(*firm.texts, "Protein folding microscopy")))
    after = ix.scores(PROTEIN)
    assert ix.text_model.vectorizer is vectorizer  # not re-fitted
    changed = np.flatnonzero(~np.isclose(before, after))
    assert changed.tolist() == [ix.row_of["firm"]]
    assert after[ix.row_of["firm"]] > before[ix.row_of["firm"]]
    assert [r.org_id for r in rank(PROTEIN, ix, 2)] == ["firm", "bio"]  # closer wording


def test_update_of_text_only_keeps_the_graph():
    ix = index()
    rto = ix.profile("rto")
    ix.update(replace(rto, name="Fraunhofer IPK Berlin"))
    result = rank(Query("computer vision", lead="uni"), ix, 1)
    assert result[0].org_id == "rto"
    assert any(r.code == "past_partner" for r in result[0].reasons)


def test_update_adds_a_new_organisation():
    ix = index()
    ix.update(OrgProfile("new", "Protein Start-up", "company", True, "DK",
                         ("Protein folding with machine learning",)))
    assert "new" in ix
    assert [r.org_id for r in rank(PROTEIN, ix, 2)] == ["new", "bio"]


def test_update_of_projects_updates_the_collaborators():
    ix = index()
    firm = ix.profile("firm")
    ix.update(replace(firm, projects=firm.projects | {"p1"}))  # now a past partner of lead
    result = rank(Query("welding", lead="lead"), ix, 3)
    firm_rec = next(r for r in result if r.org_id == "firm")
    assert any(reason.code == "past_partner" for reason in firm_rec.reasons)
