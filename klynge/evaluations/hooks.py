"""Facts other apps add to an activity's evaluation page, without the evaluations app
importing them (they sit above it).

An app registers a callable in its AppConfig.ready(); the page calls each with the activity
and shows every block it returns (None: nothing to show):

    register_activity_facts(brokerage_facts)   # klynge.brokerage: the B2B meetings' figures

A block is a dict: {"title": str, "facts": [(label, value), ...], "url": str or ""}.
"""

from collections.abc import Callable

#: Callables (activity) -> dict | None, in registration order.
ACTIVITY_FACTS: list[Callable] = []


def register_activity_facts(function: Callable) -> None:
    if function not in ACTIVITY_FACTS:
        ACTIVITY_FACTS.append(function)


def activity_facts(activity) -> list[dict]:
    """The registered blocks of facts for an activity's evaluation page."""
    blocks = []
    for function in ACTIVITY_FACTS:
        block = function(activity)
        if block:
            blocks.append(block)
    return blocks
