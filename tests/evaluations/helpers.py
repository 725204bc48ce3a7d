"""Builders shared by the evaluation tests."""

from datetime import timedelta

from django.utils import timezone

from klynge.activities.choices import ActivityStatus, RegistrationStatus
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import PersonFactory


def held_activity(days_ago: int = 1, **extra):
    """An activity that ended `days_ago` days ago and is marked held."""
    starts = timezone.now() - timedelta(days=days_ago, hours=3)
    return ActivityFactory(status=ActivityStatus.HELD, held_at=timezone.now(), starts_at=starts,
                           ends_at=starts + timedelta(hours=2), **extra)


def attendee(activity, **person):
    person.setdefault("language", "en")
    return RegistrationFactory(activity=activity, person=PersonFactory(**person), attended=True)


def no_show(activity):
    return RegistrationFactory(activity=activity, person=PersonFactory(language="en"),
                               attended=False)


def cancelled(activity):
    return RegistrationFactory(activity=activity, person=PersonFactory(language="en"),
                               attended=True, status=RegistrationStatus.CANCELLED,
                               cancelled_at=timezone.now())
