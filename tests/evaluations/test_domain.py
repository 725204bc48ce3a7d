from datetime import UTC, date, datetime, timedelta

import pytest

from klynge.evaluations.domain.answers import is_valid, is_yes
from klynge.evaluations.domain.calendar import (
    add_months,
    follow_up_window,
    reminder_due,
    response_rate,
)
from klynge.evaluations.domain.standard import STANDARD_KEYS, standard_questions_for


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("yes_no", "yes", True),
    ("yes_no", "no", False),
    ("yes_no", None, False),
    ("agree_5", "strongly_agree", True),
    ("agree_5", "agree", True),
    ("agree_5", "neutral", False),
    ("agree_5", "disagree", False),
    ("agree_5", "strongly_disagree", False),
    ("agree_5", "yes", False),
    ("scale_0_10", 10, False),
    ("scale_0_10", 0, False),
    ("text", "yes", False),
    ("unknown", "yes", False),
])
def test_is_yes(kind, value, expected):
    assert is_yes(kind, value) is expected


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("scale_0_10", 0, True),
    ("scale_0_10", 10, True),
    ("scale_0_10", 11, False),
    ("scale_0_10", -1, False),
    ("scale_0_10", True, False),
    ("scale_0_10", "7", False),
    ("agree_5", "agree", True),
    ("agree_5", "maybe", False),
    ("yes_no", "no", True),
    ("yes_no", "agree", False),
    ("text", "anything", True),
    ("text", None, True),
])
def test_is_valid(kind, value, expected):
    assert is_valid(kind, value) is expected


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2025, 8, 31), -6, date(2025, 2, 28)),
    (date(2024, 8, 31), -6, date(2024, 2, 29)),
    (date(2025, 1, 15), -12, date(2024, 1, 15)),
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2025, 6, 10), -6, date(2024, 12, 10)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_follow_up_window_is_seven_days_either_side():
    window = follow_up_window(date(2025, 7, 15), 6)

    assert (window.start, window.end) == (date(2025, 1, 8), date(2025, 1, 22))
    assert date(2025, 1, 22) in window
    assert date(2025, 1, 23) not in window


@pytest.mark.parametrize(("sent", "answered", "expected"), [
    (0, 0, None), (3, 1, 33.3), (4, 4, 100.0), (8, 0, 0.0), (7, 2, 28.6),
])
def test_response_rate(sent, answered, expected):
    assert response_rate(sent, answered) == expected


def test_reminder_due_once_after_the_days():
    sent = datetime(2025, 3, 1, 9, tzinfo=UTC)
    now = sent + timedelta(days=7)

    assert reminder_due(sent, None, None, now, 7) is True
    assert reminder_due(sent, None, None, now - timedelta(seconds=1), 7) is False
    assert reminder_due(sent, None, now, now, 7) is False
    assert reminder_due(sent, now, None, now, 7) is False
    assert reminder_due(None, None, None, now, 7) is False


def test_standard_questions_per_survey_kind():
    assert [q.key for q in standard_questions_for("activity")] == [
        "satisfaction", "knowledge_gained", "innovation_started", "new_contacts",
        "green_contacts", "international_visibility"]
    assert [q.key for q in standard_questions_for("annual")] == [
        "knowledge_gained", "innovation_started", "new_contacts", "green_contacts",
        "international_visibility"]
    assert standard_questions_for("follow_up_6") == standard_questions_for("annual")
    assert len(STANDARD_KEYS) == 6
