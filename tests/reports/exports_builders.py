"""Builders shared by the reports' tests (exports and excellence)."""

import io
from datetime import datetime, timedelta

import openpyxl

from klynge.core.roles import Role
from tests.factories import PersonFactory, user_with_role
from tests.funding.factories import CPH, ActivityFactory, FundingFactory, RegistrationFactory


def held(day: datetime | tuple, *, grant=None, **extra):
    """An activity marked held that starts on `day` (a datetime or (y, m, d)), funded by
    `grant` when given."""
    if isinstance(day, tuple):
        day = datetime(*day, 10, tzinfo=CPH)
    activity = ActivityFactory(status="held", starts_at=day, ends_at=day + timedelta(hours=2),
                               held_at=day + timedelta(hours=2), **extra)
    if grant is not None:
        FundingFactory(activity=activity, grant=grant)
    return activity


def came(activity, organisation, *, person=None, role="participant", attended=True, **extra):
    return RegistrationFactory(activity=activity, organisation=organisation,
                               person=person or PersonFactory(), role=role, attended=attended,
                               **extra)


def sheet_rows(content: bytes, title: str) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [tuple(row) for row in workbook[title].iter_rows(values_only=True)]


def sheet_names(content: bytes) -> list[str]:
    return openpyxl.load_workbook(io.BytesIO(content)).sheetnames


def sign_in(client, role: str):
    user = user_with_role(role)
    client.force_login(user)
    client.user = user
    return client


def grant_giver(client):
    return sign_in(client, Role.GRANT_GIVER)
