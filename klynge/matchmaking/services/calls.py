"""Writes of EU call topics: the import of Funding & Tenders CSV exports (command and page)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.matchmaking.importing.calls import CallFileError, CallRow, read_calls
from klynge.matchmaking.models import CallTopic

FIELDS = ("title", "description", "programme", "action_type", "opens_on", "deadline",
          "budget_min", "budget_max", "source")
BATCH = 500
#: At most this many bad rows are returned in the report (all are counted).
MAX_BAD_KEPT = 1000


def call_topics_import(*, files: list[tuple[str, bytes]], actor=None,
                       dry_run: bool = False) -> dict:
    """Upsert call topics by identifier from one or more F&T exports (name, content).

    Rows without identifier or title, or with a date or amount that cannot be read, are
    skipped and reported by file, line and column; the good rows are imported. A topic in
    several files takes its values from the last file. A file that cannot be read at all
    raises ApplicationError and nothing is imported.
    """
    if not files:
        raise ApplicationError(_("Choose at least one CSV file to import."))
    parsed = []
    for name, content in files:
        try:
            parsed.append(read_calls(name, content))
        except CallFileError as error:
            raise ApplicationError(str(error)) from None
    rows: dict[str, CallRow] = {}
    for result in parsed:
        for row in result.rows:
            rows[row.identifier] = row
    bad = [b for result in parsed for b in result.bad]
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {c.identifier: c for c in CallTopic.objects.filter(identifier__in=list(rows))}
        new, changed = [], []
        now = timezone.now()
        for identifier, row in rows.items():
            wanted = {name: getattr(row, name) for name in FIELDS}
            topic = existing.get(identifier)
            if topic is None:
                new.append(CallTopic(identifier=identifier, **wanted))
            elif any(getattr(topic, name) != value for name, value in wanted.items()
                     if name != "source"):  # the same content from another file: unchanged
                for name, value in wanted.items():
                    setattr(topic, name, value)
                topic.updated_at = now
                changed.append(topic)
            else:
                counts["unchanged"] += 1
        counts["added"], counts["updated"] = len(new), len(changed)
        if not dry_run:
            CallTopic.objects.bulk_create(new, batch_size=BATCH)
            CallTopic.objects.bulk_update(changed, [*FIELDS, "updated_at"], batch_size=BATCH)
            created = CallTopic.objects.filter(identifier__in=[t.identifier for t in new])
            for topic, action in [*((t, "imported") for t in created),
                                  *((t, "updated") for t in changed)]:
                log_action(topic, f"klynge.matchmaking.call.{action}", actor=actor,
                           data={"source": topic.source})
    return {
        "files": [{"name": result.name, "rows": result.read, "good": len(result.rows),
                   "bad": len(result.bad)} for result in parsed],
        "topics": len(rows), **counts, "bad_count": len(bad),
        "bad": [b.as_dict() for b in bad[:MAX_BAD_KEPT]], "dry_run": dry_run,
    }
