"""A guard for the kept late-placement state (klynge/brokerage/late.py).

The kept state notices a change to a meeting's scheduling columns through `updated_at`:
`save()` sets it, and every bulk `.update(...)` that writes those columns must set it too.
This test reads the brokerage code and fails for a bulk update of a scheduling column that
does not also set `updated_at`, so a future change cannot silently leave a process placing
late requests into a stale schedule.
"""

import ast
from pathlib import Path

import klynge.brokerage

SCHEDULING_COLUMNS = {
    "slot", "slot_id", "table", "table_id", "locked", "status", "priority",
    "published_slot", "published_slot_id", "published_table", "published_table_id",
    "requester", "requester_id", "recipient", "recipient_id",
}


def _bulk_updates(tree: ast.AST):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "update" and node.keywords):
            yield node


def _offences(source: str, name: str) -> list[str]:
    found = []
    for call in _bulk_updates(ast.parse(source)):
        keys = {k.arg for k in call.keywords if k.arg}
        if keys & SCHEDULING_COLUMNS and "updated_at" not in keys:
            found.append(f"{name}:{call.lineno} updates {sorted(keys & SCHEDULING_COLUMNS)}")
    return found


def test_every_bulk_write_of_a_meetings_scheduling_columns_sets_updated_at():
    root = Path(klynge.brokerage.__file__).parent
    offences = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or "domain" in path.parts:
            continue
        offences += _offences(path.read_text(encoding="utf-8"), str(path.relative_to(root)))
    assert offences == []


def test_the_guard_finds_a_bulk_write_without_updated_at():
    source = (
        "Meeting.objects.filter(pk=1).update(slot=None, table=None)\n"
        "Meeting.objects.filter(pk=1).update(slot=None, updated_at=now)\n"
        "Participant.objects.filter(pk=1).update(headline='x')\n"
    )
    assert _offences(source, "x.py") == ["x.py:1 updates ['slot', 'table']"]
