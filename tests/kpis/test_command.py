"""`klynge kpis`: the seven figures in the terminal, and freezing a period from there."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from klynge.kpis.models import KpiSnapshot
from tests.kpis.factories import company, member

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("kpis", *args, stdout=out)
    return out.getvalue()


def test_prints_the_seven_indicators_with_members_and_targets():
    member(company(name="Alpha ApS"), start=date(2023, 1, 1))
    member(company(name="Beta ApS"), start=date(2023, 1, 1), end=date(2024, 6, 30))

    out = _run("--year", "2024")

    lines = out.splitlines()
    assert lines[0] == "KPIs for 2024 (2024-01-01 – 2024-12-31)"
    assert len(lines) == 8
    assert lines[7] == "7. Paying members: 1 · target 800.0 · behind"
    assert lines[1].startswith("1. Innovative members: 0.0 % (0/1)")


def test_freeze_freezes_once_and_refuses_a_second_time():
    member(company(), start=date(2023, 1, 1))

    _run("--year", "2024", "--freeze")

    snapshot = KpiSnapshot.objects.get()
    assert (snapshot.period_start, snapshot.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert snapshot.figures["paying_members"]["value"] == "1"
    with pytest.raises(CommandError, match="already frozen"):
        _run("--year", "2024", "--freeze")
    assert KpiSnapshot.objects.count() == 1


@pytest.mark.parametrize("args, message", [
    (("--year", "2024", "--from", "2024-01-01"), "either --year"),
    (("--from", "2024-13-01", "--until", "2024-12-31"), "must both be dates"),
    (("--from", "2024-12-31", "--until", "2024-01-01"), "on or after the first day"),
])
def test_bad_periods_are_refused_with_a_message(args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert not KpiSnapshot.objects.exists()
