"""The figures reported beside the KPIs, on hand-built data for 2025: unique participants,
held activities by type, format, hub and grant (a split activity once in the total, once per
grant and by its share), activities per month, paying members over time and churn."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from klynge.activities.choices import (
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    ParticipationRole,
    RegistrationStatus,
)
from klynge.kpis import selectors
from klynge.kpis.domain.counting import Period
from tests.activities.factories import ActivityFundingFactory, GrantFactory
from tests.factories import HubFactory, PersonFactory
from tests.kpis.factories import (
    company,
    foreign_company,
    held,
    member,
    took_part,
    university,
)

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


# --- unique participants ---------------------------------------------------------------------


def _participation():
    aarhus = HubFactory(name="Hub Aarhus")
    seminar = held(date(2025, 3, 10), hub=aarhus)
    late = held(date(2025, 12, 31), hour=23, minute=30)
    # A: one company, two people at one activity; one of them again at a second activity.
    a = company(name="A ApS", employee_band="10-49", region="midtjylland", hub=aarhus)
    anne = PersonFactory()
    took_part(seminar, a, anne)
    took_part(seminar, a)
    took_part(late, a, anne)
    # F: a foreign large company without CVR; U: a university speaker not marked either way;
    # S: a Danish startup; and a person who came without an organisation.
    took_part(seminar, foreign_company(name="F AB", employee_band="250+"))
    took_part(seminar, university(region="hovedstaden"), role=ParticipationRole.SPEAKER,
              attended=None)
    took_part(late, company(name="S ApS", employee_band="1-9", is_startup=True,
                            region="syddanmark"))
    took_part(late, None)
    # Not counted: a no-show; a cancelled and a waitlisted registration; a participant never
    # marked attended; a speaker marked absent; an activity not held; one the day before.
    took_part(seminar, company(), attended=False)
    took_part(seminar, company(), status=RegistrationStatus.CANCELLED)
    took_part(seminar, company(), status=RegistrationStatus.WAITLISTED)
    took_part(seminar, company(), attended=None)
    took_part(seminar, company(), role=ParticipationRole.SPEAKER, attended=False)
    took_part(held(date(2025, 5, 5), status=ActivityStatus.OPEN), company())
    took_part(held(date(2024, 12, 31), hour=23, minute=30), company())
    return aarhus


def test_unique_participants_count_companies_once_and_only_attended_participations():
    _participation()

    result = selectors.participants(YEAR)

    # People: Anne and her colleague, F's, U's, S's and the one without an organisation = 6.
    # Organisations: A (two people, two activities: once), F, U, S = 4; companies A, F, S.
    assert (result.people, result.organisations, result.companies,
            result.knowledge_institutions, result.startups) == (6, 4, 3, 1, 1)
    assert result.by_kind == {"company": 3, "university": 1}
    assert result.by_size == {"sme": 2, "large": 1}
    assert result.by_region == {"midtjylland": 1, "abroad": 1, "hovedstaden": 1,
                                "syddanmark": 1}
    assert result.by_hub == {"Hub Aarhus": 1, "": 3}


def test_unique_participants_of_one_hub():
    aarhus = _participation()

    result = selectors.participants(YEAR, hub_id=aarhus.pk)

    assert (result.people, result.organisations, result.companies) == (2, 1, 1)
    assert result.by_hub == {"Hub Aarhus": 1}


def test_participants_as_json_carries_every_field():
    _participation()

    data = selectors.participants(YEAR).as_json()

    assert data["people"] == 6
    assert data["by_size"] == {"sme": 2, "large": 1}
    assert set(data) == {"people", "organisations", "companies", "knowledge_institutions",
                         "startups", "by_size", "by_kind", "by_region", "by_hub"}


def test_no_participants_in_an_empty_year():
    result = selectors.participants(YEAR)

    assert (result.people, result.organisations, result.by_kind) == (0, 0, {})


# --- activities by type, format, hub and grant -----------------------------------------------


def _activities():
    aarhus, odense = HubFactory(name="Hub Aarhus"), HubFactory(name="Hub Odense")
    ufs, deb = GrantFactory(code="UFS-25"), GrantFactory(code="DEB-25")
    seminar = held(date(2025, 1, 1), hour=0, minute=30, hub=aarhus)
    ActivityFundingFactory(activity=seminar, grant=ufs, share=Decimal("100"))
    mission = held(date(2025, 6, 1), hub=odense, type=ActivityType.INTERNATIONALISATION,
                   format=ActivityFormat.BUSINESS_MISSION)
    ActivityFundingFactory(activity=mission, grant=ufs, share=Decimal("60"))
    ActivityFundingFactory(activity=mission, grant=deb, share=Decimal("40"))
    held(date(2025, 12, 31), hour=23, type=ActivityType.MATCHMAKING,
         format=ActivityFormat.WORKSHOP)
    # Not counted: not held; held the day after the period.
    ActivityFundingFactory(activity=held(date(2025, 7, 1), status=ActivityStatus.PLANNED),
                           grant=deb)
    ActivityFundingFactory(activity=held(date(2026, 1, 1), hour=0, minute=30), grant=deb)
    return odense


def test_activity_counts_by_type_format_hub_and_grant():
    _activities()

    counts = selectors.activity_counts(YEAR)

    assert counts.total == 3
    assert counts.by_type == {"knowledge_dissemination": 1, "internationalisation": 1,
                              "matchmaking": 1}
    assert counts.by_format == {"seminar": 1, "business_mission": 1, "workshop": 1}
    assert counts.by_hub == {"Hub Aarhus": 1, "Hub Odense": 1, "": 1}
    # The mission is split 60/40: once in each grant's row, by its share in the weighted one.
    assert counts.by_grant == {"UFS-25": 2, "DEB-25": 1}
    assert counts.by_grant_weighted == {"UFS-25": Decimal("1.60"), "DEB-25": Decimal("0.40")}
    assert counts.unfunded == 1


def test_activity_counts_of_one_hub():
    odense = _activities()

    counts = selectors.activity_counts(YEAR, hub_id=odense.pk)

    assert (counts.total, counts.unfunded) == (1, 0)
    assert counts.by_grant == {"UFS-25": 1, "DEB-25": 1}
    assert counts.by_grant_weighted == {"UFS-25": Decimal("0.60"), "DEB-25": Decimal("0.40")}


def test_activities_per_month_by_grant_share():
    _activities()

    series = selectors.activities_per_month(YEAR)

    assert series == {
        "UFS-25": Counter({"2025-01": 1.0, "2025-06": 0.6}),
        "DEB-25": Counter({"2025-06": 0.4}),
        "": Counter({"2025-12": 1}),
    }


# --- paying members over time and churn ------------------------------------------------------


def test_members_over_time_counts_paying_members_on_each_month_end():
    renewed = member()  # since 2021, renewed in 2025 with an overlapping period: once
    member(renewed, start=date(2025, 1, 1))
    member(start=date(2025, 2, 15), end=date(2025, 3, 31))
    member(start=date(2025, 3, 31))
    member(status="partner")
    member(end=date(2024, 12, 31))
    member(start=date(2025, 5, 1))

    series = selectors.members_over_time(date(2025, 1, 1), date(2025, 4, 15))

    assert series == [(date(2025, 1, 31), 1), (date(2025, 2, 28), 2), (date(2025, 3, 31), 3),
                      (date(2025, 4, 15), 2)]


def test_churn_of_a_year():
    member()  # stays
    member(end=date(2024, 12, 31))  # a member on the day before the year, gone in it
    member(start=date(2023, 1, 1), end=date(2025, 6, 30))  # left mid-year
    member(start=date(2024, 1, 1), end=date(2025, 12, 30))  # left the day before year end
    member(start=date(2025, 3, 1))  # joined
    member(start=date(2025, 12, 31))  # joined on the last day
    member(start=date(2025, 2, 1), end=date(2025, 8, 1))  # came and went within the year
    member(start=date(2020, 1, 1), status="honorary")  # not paying: never counted

    result = selectors.churn_for(YEAR)

    # On 31 Dec 2024 (KPI 7 of 2024): the first four. On 31 Dec 2025: the one who stays and
    # the two who joined. Left 3 of 4 = 75.0 %.
    assert result == {"start": 4, "end": 3, "left": 3, "joined": 2,
                      "churn_rate": Decimal("75.0")}
