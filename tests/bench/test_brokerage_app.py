"""Smoke test of bench/brokerage_app.py: the quick mode on a small event, through the app's
services and pages, with real commits (the kept late-placement state is installed on commit).
No timing is asserted: only that every step ran and checked out."""

import json
from argparse import Namespace

import pytest
from django.core import mail

from bench.brokerage_app import run
from klynge.brokerage import late
from klynge.brokerage.models import Meeting, ScheduleRun


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.KLYNGE_SCHEDULER_WORKERS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    late.forget()
    yield
    late.forget()


@pytest.mark.django_db(transaction=True)
def test_quick_run_places_late_requests_and_serves_every_page(tmp_path):
    out = tmp_path / "brokerage_app.json"
    args = Namespace(participants=30, late=3, repeat=1, quick=True, time_limit=0.5, json=out)
    mail.outbox = []

    assert run(args) == 0

    result = json.loads(out.read_text())
    assert (result["participants"], result["slots"]) == (30, 18)
    optimise = result["optimise"]
    assert 0 < optimise["scheduled"] <= optimise["bound_meetings"] <= optimise["accepted"]
    assert {"build", "lp_bound", "heuristic", "validator", "save"} <= set(
        optimise["parts_seconds"])
    assert result["publish"]["emails"] == result["publish"]["outbox"] > 0
    late = result["late"]
    assert late["answer"]["runs"] + late["answer"]["refused"] == 3
    assert late["place_late_alone"]["runs"] == 3
    assert Meeting.objects.count() == result["requests"] + late["answer"]["runs"] + 3
    # after publication every late placement used the kept state: no rebuild
    assert (late["answer"]["rebuilt"], late["place_late_alone"]["rebuilt"]) == (0, 0)
    assert (late["published_moved"], late["published_changed"], late["violations"]) == (0, 0, 0)
    assert ScheduleRun.objects.filter(mode="late", violations=0).count() == (
        late["answer"]["runs"] + 3)
    assert set(result["pages"]) == {
        "event_detail", "schedule", "table_plan", "checkin", "statistics", "meeting_list",
        "participant_list", "me_marketplace", "me_agenda", "me_agenda_ics"}
    for name, page in result["pages"].items():
        assert "status" not in page, name
        assert page["bytes"] > 0 and page["runs"] == 1
