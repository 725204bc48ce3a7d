"""Memberships: periods without overlap, the count on a date, renewals."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from klynge.ecosystem.models import Membership
from klynge.ecosystem.selectors import paying_members_on
from tests.factories import MembershipFactory, MembershipTierFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_new_period_takes_the_tier_fee_when_none_is_given(staff_client):
    organisation = OrganisationFactory()
    tier = MembershipTierFactory(name="Medium company", annual_fee=12000)
    response = staff_client.post(
        f"/ecosystem/organisations/{organisation.pk}/memberships/new/",
        {"tier": tier.pk, "annual_fee": "0", "start_date": "2026-01-01",
         "end_date": "2026-12-31", "status": "paying"},
    )
    assert response.status_code == 302
    assert Membership.objects.get().annual_fee == 12000


def test_overlapping_periods_are_refused(staff_client):
    membership = MembershipFactory(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    response = staff_client.post(
        f"/ecosystem/organisations/{membership.organisation_id}/memberships/new/",
        {"annual_fee": "5000", "start_date": "2026-06-01", "end_date": "2027-05-31",
         "status": "paying"},
    )
    assert response.status_code == 200
    assert "overlaps" in str(response.context["form"].errors["start_date"])
    assert Membership.objects.count() == 1


def test_paying_members_are_counted_on_a_date_from_the_history():
    MembershipFactory(start_date=date(2021, 1, 1), end_date=date(2021, 12, 31))
    MembershipFactory(start_date=date(2021, 6, 1), end_date=None)
    MembershipFactory(start_date=date(2021, 1, 1), end_date=None, status="honorary")
    lapsing = MembershipFactory(start_date=date(2020, 1, 1), end_date=date(2021, 3, 31))

    assert paying_members_on(date(2021, 3, 31)) == 2
    assert paying_members_on(date(2021, 12, 31)) == 2
    assert paying_members_on(date(2022, 1, 1)) == 1
    assert lapsing.organisation_id


def test_renewals_list_and_renewing_for_a_year(staff_client):
    today = timezone.localdate()
    ending = MembershipFactory(start_date=today - timedelta(days=300),
                               end_date=today + timedelta(days=20))
    MembershipFactory(start_date=today - timedelta(days=10), end_date=today + timedelta(days=300))

    response = staff_client.get("/ecosystem/renewals/?days=30&hub=")
    assert list(response.context["rows"]) == [ending]

    staff_client.post(f"/ecosystem/memberships/{ending.pk}/renew/")
    renewed = Membership.objects.filter(organisation=ending.organisation).order_by("start_date")
    assert renewed.count() == 2
    assert renewed.last().start_date == ending.end_date + timedelta(days=1)
    assert list(staff_client.get("/ecosystem/renewals/?days=30&hub=").context["rows"]) == []


def test_membership_list_counts_and_exports(staff_client):
    MembershipFactory(start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    response = staff_client.get("/ecosystem/memberships/?count_on=2025-06-30")
    assert response.context["paying_count"] == 1
    export = staff_client.get("/ecosystem/memberships/?format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
