"""Follow-up work other apps attach to activity events, without the activities app
importing them (they sit above it).

An app registers a callable in its AppConfig.ready(); the activities services call each one
after the transaction commits, with the activity's id.

    HELD.append(send_evaluations)      # klynge.evaluations: e-mail the attendees
"""

from collections.abc import Callable

#: Called with the activity id when an activity is marked held.
HELD: list[Callable[[int], None]] = []
