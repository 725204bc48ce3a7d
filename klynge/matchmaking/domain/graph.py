"""The co-participation graph: organisations linked by the projects they took part in together.

Two features for a candidate `c` and a lead `L`: the number of projects `c` and `L` shared
(past partners), and the number of collaborators they have in common (partner of a partner).
Both are sparse-vector operations over all organisations at once.
"""

import numpy as np
from scipy import sparse


class CoGraph:
    def __init__(self, memberships: list[frozenset]):
        self._columns: dict = {}
        self._memberships = list(memberships)
        self._rebuild()

    def _rebuild(self) -> None:
        rows, cols = [], []
        for row, projects in enumerate(self._memberships):
            for project in projects:
                rows.append(row)
                cols.append(self._columns.setdefault(project, len(self._columns)))
        n = len(self._memberships)
        m = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                              shape=(n, max(1, len(self._columns))))
        shared = (m @ m.T).tocsr()
        shared.setdiag(0)
        shared.eliminate_zeros()
        self.shared = shared  # shared[a, b]: projects a and b took part in together
        self.linked = (shared > 0).astype(np.float32).tocsr()

    def __len__(self) -> int:
        return len(self._memberships)

    def set_projects(self, row: int, projects: frozenset) -> None:
        """Set (or append, when row == len(self)) one organisation's projects."""
        if row == len(self._memberships):
            self._memberships.append(frozenset(projects))
        elif self._memberships[row] == frozenset(projects):
            return
        else:
            self._memberships[row] = frozenset(projects)
        self._rebuild()

    def shared_projects(self, lead: int) -> np.ndarray:
        return self.shared[lead].toarray().ravel()

    def common_collaborators(self, lead: int) -> np.ndarray:
        return np.asarray((self.linked[lead] @ self.linked).todense()).ravel()

    def common_with(self, lead: int, other: int) -> list[int]:
        a = set(self.linked[lead].indices)
        return sorted(a.intersection(self.linked[other].indices))
