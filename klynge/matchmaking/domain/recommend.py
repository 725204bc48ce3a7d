"""Ranking: one linear score over interpretable features, explained by its own terms.

    score(c) = w_text    · log(1 + Σ_i cos(need, text_i of c))   relevant experience
             + w_past    · log(1 + projects c shared with the lead)        past partner
             + w_joint   · log(1 + Σ cos(need, text) over texts c shares with the lead)
             + w_common  · log(1 + collaborators c has in common with the lead)
             + w_kinds   · [c and the lead are company ↔ knowledge institution]
             + w_region  · [c is in the lead's country]
             + w_near    · [c is in the lead's region (e.g. the same Danish region)]
             + w_country · [c is in one of the preferred countries]
             + w_exp     · log(1 + number of c's projects)                 popularity prior

Each entry of a profile's `texts` is one piece of experience (a project, an activity, an
offer); the text term adds up how relevant each one is to the need, so an organisation with
ten projects on the subject outranks one with a single project, and one broad organisation is
not penalised for the breadth of its other work (the weakness of one cosine against a whole
concatenated profile, measured in bench/matchmaking.py as the "text only" baseline). Logs
make the n-th shared project or relevant text count less than the first, and turn the sum into
a product of evidence: log(relevance) + log(ties) + ….

Every reason attached to a recommendation is one of these terms, with its exact contribution,
so the explanation cannot drift from the score. The weights are round values chosen on a
validation split inside the training data (`python -m bench.matchmaking --tune`), never on the
held-out projects.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from klynge.matchmaking.domain.graph import CoGraph
from klynge.matchmaking.domain.profiles import (
    KINDS,
    OrgProfile,
    Query,
    Reason,
    Recommendation,
    complementary,
)
from klynge.matchmaking.domain.purposes import PURPOSES
from klynge.matchmaking.domain.text import TextModel
from klynge.matchmaking.domain.text import phrases as phrases_of

KIND_LABELS = {"company": "company", "research": "research organisation",
               "higher_education": "university", "public": "public body", "other": "other"}


@dataclass(frozen=True)
class Weights:
    text: float = 1.0
    past: float = 1.0
    joint: float = 2.0
    common: float = 0.02
    kinds: float = 0.2
    region: float = 0.2
    near: float = 0.1
    country: float = 0.3
    experience: float = 0.01


FEATURES = ("text", "past", "joint", "common", "kinds", "region", "near", "country",
            "experience")
REASON_CODES = {"text": "shared_terms", "past": "past_partner",
                "joint": "joint_work", "common": "common_collaborators",
                "kinds": "complementary_kinds", "region": "region", "near": "near",
                "country": "country",
                "experience": "experience"}


def profile_documents(profile: OrgProfile) -> list[str]:
    """The texts of a profile, and its labels as one more document."""
    docs = [t for t in profile.texts if t.strip()]
    if any(label.strip() for label in profile.labels):
        docs.append("\n".join(profile.labels))
    return docs


class Index:
    """All organisations, vectorised once; `update` re-vectorises a single profile."""

    def __init__(self, profiles: list[OrgProfile], text_model: TextModel | None = None):
        if len({p.id for p in profiles}) != len(profiles):
            raise ValueError("duplicate organisation ids")
        self.text_model = text_model or TextModel()
        self.profiles: list[OrgProfile] = list(profiles)
        self.row_of = {p.id: i for i, p in enumerate(self.profiles)}
        # Identical texts (a project shared by its partners) are vectorised once.
        unique: dict[str, int] = {}
        owner_rows, owner_cols = [], []
        for row, profile in enumerate(self.profiles):
            for doc in dict.fromkeys(profile_documents(profile)):
                owner_rows.append(row)
                owner_cols.append(unique.setdefault(doc, len(unique)))
        self._docs = self.text_model.fit_transform(list(unique) or [""])
        self._owner = sparse.csr_matrix(
            (np.ones(len(owner_rows)), (owner_rows, owner_cols)),
            shape=(len(profiles), self._docs.shape[0]))
        self._n_base = len(profiles)
        self._edited: dict[int, sparse.csr_matrix] = {}
        self.graph = CoGraph([p.projects for p in profiles])
        self.kind = np.array([KINDS.index(p.kind) for p in profiles], dtype=np.int8)
        self.n_projects = np.array([len(p.projects) for p in profiles], dtype=np.float64)
        self.country = np.array([p.country for p in profiles], dtype=object)
        self.region = np.array([p.region for p in profiles], dtype=object)
        self._facts = np.array([self._fact_bits(p) for p in profiles], dtype=np.int16)

    @staticmethod
    def _fact_bits(profile: OrgProfile) -> int:
        """company, SME, large, startup, investor, external as bits (for the masks)."""
        company = profile.kind == "company" and "investor" not in profile.tags
        return (company | (company and profile.is_sme) << 1
                | (company and "large" in profile.tags) << 2
                | ("startup" in profile.tags) << 3 | ("investor" in profile.tags) << 4
                | ("external" in profile.tags) << 5)

    def __len__(self) -> int:
        return len(self.profiles)

    def __contains__(self, org_id) -> bool:
        return org_id in self.row_of

    def profile(self, org_id) -> OrgProfile:
        return self.profiles[self.row_of[org_id]]

    # -- updates --------------------------------------------------------------------------
    def update(self, profile: OrgProfile) -> None:
        """Add or replace one profile, with the fitted vocabulary (no re-fit, no rebuild).

        A changed project list recomputes the co-participation graph (a sparse product).
        """
        docs = list(dict.fromkeys(profile_documents(profile)))
        vectors = self.text_model.transform(docs or [""])[: len(docs)]
        row = self.row_of.get(profile.id)
        if row is None:
            row = len(self.profiles)
            self.profiles.append(profile)
            self.row_of[profile.id] = row
            self.kind = np.append(self.kind, np.int8(KINDS.index(profile.kind)))
            self.n_projects = np.append(self.n_projects, float(len(profile.projects)))
            self.country = np.append(self.country, np.array([profile.country], dtype=object))
            self.region = np.append(self.region, np.array([profile.region], dtype=object))
            self._facts = np.append(self._facts, np.int16(self._fact_bits(profile)))
        else:
            self.profiles[row] = profile
            self.kind[row] = KINDS.index(profile.kind)
            self.n_projects[row] = len(profile.projects)
            self.country[row] = profile.country
            self.region[row] = profile.region
            self._facts[row] = self._fact_bits(profile)
        self._edited[row] = vectors
        self.graph.set_projects(row, profile.projects)

    # -- candidates -----------------------------------------------------------------------
    def candidate_mask(self, query: Query) -> np.ndarray:
        """Which organisations may be suggested: the purpose (vectorised exactly as
        `purposes.eligible`, which the tests hold it to) and the wanted kinds."""
        n = len(self.profiles)
        mask = np.ones(n, dtype=bool)
        if query.kinds:
            mask &= np.isin(self.kind, [KINDS.index(k) for k in query.kinds])
        if not query.include_external:
            mask &= (self._facts & 32) == 0
        if query.purpose == "any":
            return mask
        if query.purpose not in PURPOSES:
            raise ValueError(f"unknown purpose {query.purpose!r}")
        lead = self.row_of.get(query.lead) if query.lead is not None else None
        if lead is None:
            return np.zeros(n, dtype=bool)
        bits = self._facts
        company, sme, large = bits & 1 > 0, bits & 2 > 0, bits & 4 > 0
        startup, investor = bits & 8 > 0, bits & 16 > 0
        knowledge = np.isin(self.kind, [KINDS.index(k) for k in ("research",
                                                                 "higher_education")])
        none = np.zeros(n, dtype=bool)
        if query.purpose == "knowledge":
            wanted = knowledge if company[lead] else (company if knowledge[lead] else none)
        elif query.purpose == "companies":
            wanted = company if company[lead] else none
        elif query.purpose == "sme_large":
            wanted = large if sme[lead] else (sme if large[lead] else none)
        else:
            wanted = ((investor if startup[lead] else none)
                      | (startup if investor[lead] else none))
        return mask & wanted

    # -- features -------------------------------------------------------------------------
    def query_vector(self, query: Query):
        return self.text_model.transform(["\n".join((query.text, *query.labels))])

    def text_relevance(self, qvec, lead: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Σ_i cos(need, text_i) for every organisation, and the same sum over the texts it
        shares with `lead` (joint work on the subject; edited profiles have none in common)."""
        n = len(self.profiles)
        total, joint = np.zeros(n), np.zeros(n)
        if qvec.nnz:
            per_doc = (self._docs @ qvec.T).toarray().ravel()
            total[: self._n_base] = self._owner @ per_doc
            if lead is not None and lead < self._n_base and lead not in self._edited:
                lead_docs = self._owner[lead].indices
                weights = np.zeros(len(per_doc))
                weights[lead_docs] = per_doc[lead_docs]
                joint[: self._n_base] = self._owner @ weights
                joint[lead] = 0.0
            for row, vectors in self._edited.items():
                total[row] = vectors.multiply(qvec).sum() if vectors.shape[0] else 0.0
                joint[row] = 0.0
        return total, joint

    def text_vectors(self, row: int):
        """The TF-IDF rows of one organisation's texts."""
        if row in self._edited:
            return self._edited[row]
        return self._docs[self._owner[row].indices]

    def lead_kind(self, query: Query) -> str | None:
        if query.lead is not None and query.lead in self.row_of:
            return self.profile(query.lead).kind
        return query.lead_kind

    def features(self, query: Query) -> dict[str, np.ndarray]:
        """Each feature for every organisation (the rows of the index), before weighting."""
        n = len(self.profiles)
        zeros = np.zeros(n)
        lead = self.row_of.get(query.lead) if query.lead is not None else None
        past = common = zeros
        if lead is not None:
            past = np.log1p(self.graph.shared_projects(lead))
            common = np.log1p(self.graph.common_collaborators(lead))
        kinds = zeros
        lead_kind = self.lead_kind(query)
        if lead_kind is not None:
            wanted = [KINDS.index(k) for k in KINDS if complementary(lead_kind, k)]
            kinds = np.isin(self.kind, wanted).astype(np.float64)
        country = (np.isin(self.country, list(query.countries)).astype(np.float64)
                   if query.countries else zeros)
        region = near = zeros
        if lead is not None and self.country[lead]:
            region = (self.country == self.country[lead]).astype(np.float64)
        if lead is not None and self.region[lead]:
            near = (self.region == self.region[lead]).astype(np.float64)
        relevance, joint = self.text_relevance(self.query_vector(query), lead)
        return {"text": np.log1p(relevance), "past": past, "joint": np.log1p(joint),
                "common": common, "kinds": kinds, "region": region, "near": near,
                "country": country,
                "experience": np.log1p(self.n_projects)}

    def scores(self, query: Query, weights: Weights | None = None,
               features: dict[str, np.ndarray] | None = None) -> np.ndarray:
        weights = weights or Weights()
        features = features if features is not None else self.features(query)
        total = np.zeros(len(self.profiles))
        for name in FEATURES:
            w = getattr(weights, name)
            if w:
                total += w * features[name]
        return total


def validate(query: Query, index: Index, k: int) -> None:
    if k < 1:
        raise ValueError("k must be at least 1")
    if query.is_empty():
        raise ValueError("empty query: give a text, labels or a lead organisation")
    if query.lead is not None and query.lead not in index:
        raise ValueError(f"unknown lead organisation {query.lead!r}: it is not in the index "
                         "(add its profile with index.update, or pass lead_kind instead)")
    if query.lead_kind is not None and query.lead_kind not in KINDS:
        raise ValueError(f"unknown kind {query.lead_kind!r}")
    if query.purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {query.purpose!r}: expected one of "
                         f"{', '.join(PURPOSES)}")
    if query.purpose != "any" and query.lead is None:
        raise ValueError(f"the purpose {query.purpose!r} needs a lead organisation")
    unknown = [k for k in query.kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown kind {unknown[0]!r}")


def rank(query: Query, index: Index, k: int = 10,
         weights: Weights | None = None) -> list[Recommendation]:
    """The `k` best organisations for `query` (never the lead itself), best first; only
    organisations with something in their favour (a score above zero)."""
    validate(query, index, k)
    weights = weights or Weights()
    features = index.features(query)
    scores = index.scores(query, weights, features)
    excluded = set(query.exclude) | ({query.lead} if query.lead else set())
    for org_id in excluded:
        if org_id in index.row_of:
            scores[index.row_of[org_id]] = -np.inf
    scores[~index.candidate_mask(query)] = -np.inf
    scores[scores <= 0] = -np.inf  # nothing speaks for them: no suggestion, no padding
    k = min(k, int(np.isfinite(scores).sum()))
    if k <= 0:
        return []
    # The k best; ties (also at the k-th place) go by the order the profiles were given in,
    # never by id (ids are opaque: "org:10" sorts before "org:9").
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    top = np.flatnonzero(scores >= kth)
    ordered = sorted(top, key=lambda r: (-scores[r], r))[:k]
    qvec = index.query_vector(query)
    return [Recommendation(index.profiles[r].id, round(float(scores[r]), 6),
                           explain(index, query, int(r), features, weights, qvec))
            for r in ordered if scores[r] > -np.inf]


def explain(index: Index, query: Query, row: int, features, weights: Weights,
            qvec) -> tuple[Reason, ...]:
    """The non-zero terms of the score of `row`, largest first, with their data."""
    profile = index.profiles[row]
    reasons = []

    def add(name, text, data=()):
        contribution = getattr(weights, name) * float(features[name][row])
        if contribution > 0:
            reasons.append(Reason(REASON_CODES[name], text, round(contribution, 6), data))

    if features["text"][row] > 0:
        terms, matching, total = shared_terms(index, row, qvec,
                                              phrases=need_phrases(query.text, query.labels))
        add("text", f"shared topics: {', '.join(terms)} (in {matching} of {total} text(s))",
            tuple(terms))
    lead = index.row_of.get(query.lead) if query.lead is not None else None
    if lead is not None and features["region"][row] > 0:
        add("region", f"same country as {index.profiles[lead].name} ({profile.country})",
            (profile.country,))
    if lead is not None and features["near"][row] > 0:
        add("near", f"same region as {index.profiles[lead].name} ({profile.region})",
            (profile.region,))
    if lead is not None:
        n_shared = int(round(np.expm1(features["past"][row])))
        if n_shared:
            add("past", f"{n_shared} earlier project(s) with {index.profiles[lead].name}",
                (n_shared,))
        add("joint", f"earlier work with {index.profiles[lead].name} on this subject")
        common = index.graph.common_with(lead, row)
        if common:
            names = tuple(index.profiles[c].name for c in common)
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3
                                              else "")
            add("common", f"{len(names)} collaborator(s) in common: {shown}", names)
    lead_kind = index.lead_kind(query)
    if lead_kind is not None and complementary(lead_kind, profile.kind):
        add("kinds", f"complementary kinds: {KIND_LABELS[lead_kind]} ↔ "
                     f"{KIND_LABELS[profile.kind]}", (lead_kind, profile.kind))
    if query.countries and profile.country in query.countries:
        add("country", f"located in {profile.country}", (profile.country,))
    if profile.projects:
        add("experience", f"{len(profile.projects)} project(s) on record",
            (len(profile.projects),))
    return tuple(sorted(reasons, key=lambda r: -r.contribution))


def shared_terms(index: Index, row: int, qvec, limit: int = 5,
                 phrases: frozenset | None = None) -> tuple[list[str], int, int]:
    """The terms that carry the text relevance (by their share of it, best first), the number
    of the organisation's texts that match and the number of its texts. With `phrases` (the
    need's, `need_phrases`), a two-word term is shown only if it is one of them."""
    vectors = index.text_vectors(row)
    product = vectors.multiply(qvec).tocsr()
    matching = int(np.count_nonzero(np.diff(product.indptr)))
    per_term = np.asarray(product.sum(axis=0)).ravel()
    found = np.flatnonzero(per_term)
    terms = index.text_model.terms
    ranked = [str(terms[i]) for i in found[np.lexsort((found, -per_term[found]))]]
    # Only phrases a person wrote (see text.phrases): not "vision quality", which the model
    # forms from "vision for quality", nor a Danish word joined to its appended gloss.
    real = [t for t in ranked if " " in t and (phrases is None or t in phrases)]
    # Phrases first; a word is left out once a chosen phrase contains it.
    chosen, covered = [], set()
    for term in real + [t for t in ranked if " " not in t]:
        words = set(term.split())
        if not words <= covered:
            chosen.append(term)
            covered |= words
    chosen.sort(key=ranked.index)
    return chosen[:limit], matching, vectors.shape[0]


@lru_cache(maxsize=256)
def need_phrases(text: str, labels: tuple[str, ...] = ()) -> frozenset[str]:
    """The phrases of a need (its text and each label), computed once per need."""
    return phrases_of("\n".join((text, *labels)))


def score_one(query: Query, index: Index, org_id: str,
              weights: Weights | None = None) -> Recommendation:
    """The score and reasons of one given organisation for `query` (an introduction staff
    make by hand is explained by the same terms as a suggestion). Purpose and kind filters
    do not apply: the organisation was chosen."""
    validate(query, index, 1)
    if org_id not in index:
        raise ValueError(f"unknown organisation {org_id!r}: it is not in the index")
    weights = weights or Weights()
    features = index.features(query)
    row = index.row_of[org_id]
    score = float(index.scores(query, weights, features)[row])
    return Recommendation(org_id, round(score, 6),
                          explain(index, query, row, features, weights, index.query_vector(query)))
