"""Segments select exactly the people with a current affiliation to matching organisations."""

from datetime import date, timedelta

import pytest

from klynge.activities.models import FocusNetworkMember
from klynge.outreach import selectors
from klynge.outreach.domain.segments import SegmentFilters
from klynge.privacy import services as privacy
from tests.activities.factories import FocusNetworkFactory
from tests.factories import (
    AffiliationFactory,
    FocusAreaFactory,
    HubFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def names(filters):
    return sorted(p.first_name for p in selectors.segment_people(SegmentFilters.from_json(filters)))


@pytest.fixture
def registry():
    """Three organisations and their people:
    Robo (company, robotics, Midtjylland, hub Aarhus, paying member): Anna, Bo (ended), Carl
    Uni (university, robotics, Hovedstaden, partner member): Dina (English)
    Food (company, food, Midtjylland, lapsed member): Erik, and Anna again
    Frida has no affiliation at all.
    """
    robotics, food = FocusAreaFactory(name_en="Robotics"), FocusAreaFactory(name_en="Food")
    aarhus = HubFactory(name="Aarhus")
    robo = OrganisationFactory(name="Robo", hub=aarhus)
    robo.focus_areas.add(robotics)
    uni = OrganisationFactory(name="Uni", kind="university", region="hovedstaden", cvr=None)
    uni.focus_areas.add(robotics)
    food_org = OrganisationFactory(name="Food")
    food_org.focus_areas.add(food)
    MembershipFactory(organisation=robo, status="paying")
    MembershipFactory(organisation=uni, status="partner")
    MembershipFactory(organisation=food_org, status="paying", start_date=date(2020, 1, 1),
                      end_date=date(2020, 12, 31))
    people = {name: PersonFactory(first_name=name) for name in
              ["Anna", "Bo", "Carl", "Dina", "Erik", "Frida"]}
    people["Dina"].language = "en"
    people["Dina"].save()
    AffiliationFactory(person=people["Anna"], organisation=robo)
    AffiliationFactory(person=people["Bo"], organisation=robo,
                       end_date=date.today() - timedelta(days=1))
    AffiliationFactory(person=people["Carl"], organisation=robo,
                       start_date=date.today() - timedelta(days=300))
    AffiliationFactory(person=people["Dina"], organisation=uni)
    AffiliationFactory(person=people["Erik"], organisation=food_org)
    AffiliationFactory(person=people["Anna"], organisation=food_org, is_primary=False)
    return {"robotics": robotics, "food": food, "aarhus": aarhus, **people}


def test_no_conditions_selects_everyone_with_a_current_affiliation_once(registry):
    assert names({}) == ["Anna", "Carl", "Dina", "Erik"]


def test_kinds_regions_and_hubs(registry):
    assert names({"organisation_kinds": ["university"]}) == ["Dina"]
    assert names({"organisation_kinds": ["company", "university"]}) == [
        "Anna", "Carl", "Dina", "Erik"]
    assert names({"regions": ["midtjylland"]}) == ["Anna", "Carl", "Erik"]
    assert names({"hubs": [registry["aarhus"].pk]}) == ["Anna", "Carl"]


def test_focus_area_and_region_together(registry):
    filters = {"focus_areas": [registry["robotics"].pk], "regions": ["midtjylland"]}

    assert names(filters) == ["Anna", "Carl"]


def test_membership_conditions(registry):
    assert names({"membership": "paying"}) == ["Anna", "Carl"]
    assert names({"membership": "member"}) == ["Anna", "Carl", "Dina"]
    assert names({"membership": "non_member"}) == ["Anna", "Erik"]


def test_language_and_focus_network(registry):
    network = FocusNetworkFactory()
    FocusNetworkMember.objects.create(network=network, person=registry["Carl"])
    FocusNetworkMember.objects.create(network=network, person=registry["Erik"],
                                      left_on=date.today() - timedelta(days=1))
    FocusNetworkMember.objects.create(network=network, person=registry["Frida"])

    assert names({"language": "en"}) == ["Dina"]
    assert names({"focus_network": network.pk}) == ["Carl"]


def test_preview_counts_the_excluded(registry):
    privacy.consent_give(person=registry["Anna"], purpose="member_communication",
                         source="staff")
    privacy.consent_give(person=registry["Carl"], purpose="member_communication",
                         source="staff")
    privacy.consent_withdraw(person=registry["Carl"], purpose="member_communication",
                             source="unsubscribe_link")
    privacy.consent_give(person=registry["Dina"], purpose="newsletter", source="staff")

    preview = selectors.segment_preview(SegmentFilters())

    assert (preview.total, preview.reachable, preview.no_consent, preview.unsubscribed) == (
        4, 1, 2, 1)
    assert [p.first_name for p in preview.first] == ["Anna", "Carl", "Dina", "Erik"]


def test_malformed_filters_are_dropped():
    filters = SegmentFilters.from_json({
        "organisation_kinds": "company", "hubs": ["3", 2, True, "x"], "membership": "vip",
        "focus_network": "7", "unknown": 1,
    })

    assert filters == SegmentFilters(hubs=(2, 3), focus_network=7)
    assert SegmentFilters.from_json(filters.to_json()) == filters
