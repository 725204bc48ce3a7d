"""The recommender's measurable core, pure Python (numpy, scipy, scikit-learn; no Django).

Build an `Index` from `OrgProfile`s, then `rank(Query(...), index, k)` returns
`Recommendation`s whose `reasons` are the very feature contributions that make up the score.
"""

from klynge.matchmaking.domain.profiles import KINDS, OrgProfile, Query, Reason, Recommendation
from klynge.matchmaking.domain.recommend import Index, Weights, rank, score_one

__all__ = ["KINDS", "Index", "OrgProfile", "Query", "Reason", "Recommendation", "Weights", "rank",
           "score_one"]
