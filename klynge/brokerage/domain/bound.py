"""An upper bound on the weighted value: the LP relaxation of the maximisation, by HiGHS.

The LP (the first stage of `exact.maximise` with 0 ≤ x ≤ 1 instead of x ∈ {0,1}, and the
real priorities as weights instead of the scaled integers):

    maximise    Σ_{r,s} priority_r · x[r,s]
    subject to  Σ_s x[r,s] ≤ 1                      for each request r
                Σ_{r ∋ p} x[r,s] ≤ 1                for each participant p and slot s
                Σ_r x[r,s] ≤ tables                 for each slot s
                Σ_{r ∋ p, s} x[r,s] ≤ cap_p         for each participant with a cap
                x[r,s] = 1 for a locked request at its locked slot (its only column)
                0 ≤ x[r,s] ≤ 1, one column per request and allowed slot.

Every valid schedule is a feasible point, so the LP optimum bounds every schedule's value.
The constraint matrix is built with numpy (a boolean request × slot mask of allowed slots,
its nonzeros as the columns, rows by index arithmetic) and solved with
`scipy.optimize.linprog` with HiGHS's interior-point method without crossover (crossover
took about as long as the interior-point iterations and adds nothing to the value). The
returned figure is not the solver's objective but the Lagrangian bound of its row duals (see
`_certified`): valid whatever the duals' accuracy, and equal to the LP optimum up to the
solver's tolerance (rounded up at the 6th decimal). Should the interior-point run give no
duals, the LP is solved again with `method="highs"` and its optimum returned. Should the
locked meetings make the LP infeasible (then no valid schedule exists), the bound without
them is returned.
"""

import math
import warnings

import numpy as np
from scipy.optimize import OptimizeWarning, linprog
from scipy.sparse import coo_matrix

from klynge.brokerage.domain.model import Event


def _allowed_mask(event: Event, index: dict) -> np.ndarray:
    """Request × slot booleans: the slots each request may be held in (locked: its slot)."""
    n_slots = event.n_slots
    sessions = np.asarray(event.slot_sessions)
    blocked = np.zeros((len(event.participants), n_slots), dtype=bool)
    for p, slots in event.unavailable.items():
        if p in index and slots:
            blocked[index[p], [s for s in slots if 0 <= s < n_slots]] = True
    a = np.fromiter((index[r.a] for r in event.requests), dtype=np.int64,
                    count=len(event.requests))
    b = np.fromiter((index[r.b] for r in event.requests), dtype=np.int64,
                    count=len(event.requests))
    mask = ~(blocked[a] | blocked[b])
    by_sessions: dict = {}
    for i, request in enumerate(event.requests):
        if request.sessions:
            row = by_sessions.get(request.sessions)
            if row is None:
                row = by_sessions[request.sessions] = np.isin(sessions, list(request.sessions))
            mask[i] &= row
    for i, request in enumerate(event.requests):
        locked = event.locked.get(request.id)
        if locked is not None:
            mask[i] = False
            mask[i, locked.slot] = True
    return mask


def lp_bound(event: Event, *, use_locked: bool = True) -> float:
    """The LP relaxation's optimum: no schedule of `event` has a larger weighted value."""
    if not event.requests or event.n_slots == 0:
        return 0.0
    index = {p: i for i, p in enumerate(event.participants)}
    n_p, n_s, n_r = len(event.participants), event.n_slots, len(event.requests)
    mask = _allowed_mask(event, index)
    r_idx, s_idx = np.nonzero(mask)
    n_x = len(r_idx)
    if n_x == 0:
        return 0.0
    a = np.fromiter((index[r.a] for r in event.requests), dtype=np.int64, count=n_r)
    b = np.fromiter((index[r.b] for r in event.requests), dtype=np.int64, count=n_r)
    priority = np.fromiter((r.priority for r in event.requests), dtype=float, count=n_r)
    columns = np.arange(n_x)
    # Row blocks: requests [0, n_r), participant-slots [n_r, n_r + n_p·n_s), slots after.
    ps_base = n_r
    slot_base = ps_base + n_p * n_s
    cap_base = slot_base + n_s
    capped = [(index[p], cap) for p, cap in event.caps.items() if cap is not None and p in index]
    cap_row = np.full(n_p, -1, dtype=np.int64)
    for k, (pi, _cap) in enumerate(capped):
        cap_row[pi] = cap_base + k
    rows = [r_idx, ps_base + a[r_idx] * n_s + s_idx, ps_base + b[r_idx] * n_s + s_idx,
            slot_base + s_idx]
    cols = [columns] * 4
    for side in (a, b):
        target = cap_row[side[r_idx]]
        keep = target >= 0
        rows.append(target[keep])
        cols.append(columns[keep])
    n_rows = cap_base + len(capped)
    row_all = np.concatenate(rows)
    col_all = np.concatenate(cols)
    rhs = np.concatenate([np.ones(n_r + n_p * n_s), np.full(n_s, float(event.tables)),
                          np.array([float(cap) for _pi, cap in capped])])
    # Drop the rows that cannot bind (at most rhs columns of 0/1 entries, each ≤ 1).
    counts = np.bincount(row_all, minlength=n_rows)
    useful = counts > rhs
    renumber = np.cumsum(useful) - 1
    keep = useful[row_all]
    row_all, col_all = renumber[row_all[keep]], col_all[keep]
    rhs = rhs[useful]
    matrix = coo_matrix((np.ones(len(row_all)), (row_all, col_all)),
                        shape=(len(rhs), n_x)).tocsr()
    lower = np.zeros(n_x)
    if use_locked and event.locked:
        locked = np.fromiter((r.id in event.locked for r in event.requests), dtype=bool,
                             count=n_r)
        lower[locked[r_idx]] = 1.0
    cost = -priority[r_idx]
    bounds = np.column_stack([lower, np.ones(n_x)])
    with warnings.catch_warnings():  # scipy warns that it passes run_crossover on verbatim
        warnings.simplefilter("ignore", OptimizeWarning)
        result = linprog(cost, A_ub=matrix, b_ub=rhs, bounds=bounds, method="highs-ipm",
                         options={"run_crossover": "off"})
    if result.status == 0 and result.ineqlin.marginals is not None:
        return _certified(-cost, matrix, rhs, lower, -result.ineqlin.marginals)
    if result.status == 2 and use_locked:  # infeasible: no valid schedule exists
        return lp_bound(event, use_locked=False)
    result = linprog(cost, A_ub=matrix, b_ub=rhs, bounds=bounds, method="highs")
    if result.status == 2 and use_locked:
        return lp_bound(event, use_locked=False)
    if result.status != 0:
        raise RuntimeError(f"HiGHS could not solve the LP: {result.message}")
    return float(-result.fun)


def _certified(weights, matrix, rhs, lower, duals) -> float:
    """The Lagrangian bound of row prices y ≥ 0: for every x with A·x ≤ b and lower ≤ x ≤ 1,
    w·x ≤ b·y + Σ_j max over x_j ∈ [lower_j, 1] of (w − Aᵀy)_j·x_j. It holds for any y, so
    the interior-point duals (no crossover) give a valid bound equal to the LP optimum up to
    the solver's tolerance; it is rounded up at the 6th decimal to drop that noise."""
    prices = np.maximum(np.asarray(duals, dtype=float), 0.0)
    reduced = weights - matrix.T @ prices
    gain = np.where(lower > 0, reduced, np.maximum(reduced, 0.0))
    value = float(rhs @ prices + gain.sum())
    return math.ceil(value * 1e6 - 1e-3) / 1e6
