"""Work other apps attach to freezing a period, without the kpis app importing them.

    FROZEN.append(store_frozen_reports)   # klynge.reports: render the period's report as frozen

Each callable gets (snapshot, actor) inside the freeze's transaction, so a period is frozen
together with everything its hooks store, or not at all.
"""

from collections.abc import Callable

FROZEN: list[Callable] = []


def register_frozen(hook: Callable) -> None:
    if hook not in FROZEN:
        FROZEN.append(hook)
