"""When surveys are due: follow-up waves and reminders, and response rates."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Window:
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def follow_up_window(today: date, months: int, window_days: int = 7) -> Window:
    """Activities held in this window (inclusive) are due for their `months` follow-up today.

    The window is ±`window_days` around the day `months` before today, so a daily run that
    misses a few days still catches every activity; idempotence is the caller's (one follow-up
    survey per activity and wave).
    """
    centre = add_months(today, -months)
    return Window(centre - timedelta(days=window_days), centre + timedelta(days=window_days))


def reminder_due(sent_at: datetime | None, answered_at, reminded_at, now: datetime,
                 after_days: int) -> bool:
    """A non-responder gets one reminder, `after_days` after the invitation."""
    return (
        sent_at is not None and answered_at is None and reminded_at is None
        and now - sent_at >= timedelta(days=after_days)
    )


def response_rate(sent: int, answered: int) -> float | None:
    """Answered as a percentage of sent, one decimal; None when nothing was sent."""
    if sent <= 0:
        return None
    return round(100 * answered / sent, 1)
