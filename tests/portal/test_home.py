"""The member's home page (their organisation, membership, what is coming up, what waits)
and the organisation's participation history (by year, paginated, CSV)."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from klynge.core.roles import Role
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    MembershipTierFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.matchmaking.factories_introductions import introduce
from tests.projects.factories import ProjectPartnerFactory

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
HISTORY = reverse("portal:history")


def signed_in_member(client, *, organisation_name="Firma ApS"):
    tier = MembershipTierFactory(name="Gold")
    organisation = MembershipFactory(organisation__name=organisation_name, tier=tier,
                                     start_date=date(2024, 1, 1)).organisation
    person = PersonFactory(first_name="Mette", last_name="Holm", email="mette@firma.dk")
    AffiliationFactory(person=person, organisation=organisation)
    user = UserFactory(role=Role.MEMBER, organisation=organisation, person=person,
                       email="mette@firma.dk", first_name="Mette")
    client.force_login(user)
    return user


def test_the_home_shows_the_organisation_membership_and_upcoming_activities(client):
    user = signed_in_member(client)
    soon = RegistrationFactory(person=user.person, organisation=user.organisation,
                               activity=ActivityFactory(title="AI breakfast"))
    RegistrationFactory(person=user.person, organisation=user.organisation,
                        activity=ActivityFactory(
                            title="Last year's seminar",
                            starts_at=timezone.now() - timedelta(days=300),
                            ends_at=timezone.now() - timedelta(days=300) + timedelta(hours=2)))
    staff = UserFactory(role=Role.STAFF)
    other = OrganisationFactory(name="Partner A/S")
    contact = PersonFactory(first_name="Bo")
    AffiliationFactory(person=contact, organisation=other)
    introduce(staff, user.organisation, user.person, other, contact)

    response = client.get(HOME)

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["organisation"] == user.organisation
    assert [r.pk for r in response.context["registrations"]] == [soon.pk]
    assert response.context["membership"].tier.name == "Gold"
    assert response.context["introductions_open"] == 1
    assert response.context["evaluations_open"] == 0
    assert "Firma ApS" in page and "Gold" in page and "AI breakfast" in page
    assert "Last year&#x27;s seminar" not in page
    assert "Partner A/S" in page
    assert f'href="{reverse("brokerage:my_events")}"' in page


def test_the_home_has_empty_states(client):
    signed_in_member(client)

    page = client.get(HOME).content.decode()

    assert "You have not signed up for any upcoming activity." in page
    assert "You are not taking part in any upcoming B2B meeting event." in page


def test_a_member_without_a_current_membership_cannot_open_the_portal(client):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, start_date=date(2020, 1, 1),
                      end_date=date(2021, 12, 31))
    client.force_login(UserFactory(role=Role.MEMBER, organisation=organisation))

    assert client.get(HOME).status_code == 403
    assert client.get("/").status_code == 200  # the overview: the portal is closed to them


def _history(user):
    colleague = PersonFactory(first_name="Jonas", last_name="Lund")
    AffiliationFactory(person=colleague, organisation=user.organisation)
    RegistrationFactory(person=user.person, organisation=user.organisation, attended=True,
                        activity=ActivityFactory(title="Robot day",
                                                 starts_at=datetime(2025, 5, 6, 8, tzinfo=UTC),
                                                 ends_at=datetime(2025, 5, 6, 12, tzinfo=UTC)))
    RegistrationFactory(person=colleague, organisation=user.organisation, attended=False,
                        activity=ActivityFactory(title="Data summit",
                                                 starts_at=datetime(2024, 3, 4, 8, tzinfo=UTC),
                                                 ends_at=datetime(2024, 3, 4, 12, tzinfo=UTC)))
    # another organisation's registration never shows
    RegistrationFactory(activity=ActivityFactory(title="Not ours",
                                                 starts_at=datetime(2025, 1, 1, 8, tzinfo=UTC),
                                                 ends_at=datetime(2025, 1, 1, 9, tzinfo=UTC)))
    ProjectPartnerFactory(organisation=user.organisation, project__title="Green welding",
                          project__start_date=date(2025, 2, 1))


def test_the_history_lists_who_took_part_in_what_newest_first(client):
    user = signed_in_member(client)
    _history(user)

    rows = client.get(HISTORY).context["listing"].rows

    assert [(r.when, r.kind, r.title, r.who, r.detail) for r in rows] == [
        (date(2025, 5, 6), "Activity", "Robot day", "Mette Holm", "Attended"),
        (date(2025, 2, 1), "Project", "Green welding", "", "Partner · Running"),
        (date(2024, 3, 4), "Activity", "Data summit", "Jonas Lund", "Did not attend"),
    ]


def test_the_history_filters_by_year_and_kind(client):
    user = signed_in_member(client)
    _history(user)

    by_year = client.get(HISTORY, {"year": "2024"}).context["listing"].rows
    by_kind = client.get(HISTORY, {"kind": "project"}).context["listing"].rows
    empty = client.get(HISTORY, {"year": "2019"})

    assert [r.title for r in by_year] == ["Data summit"]
    assert [r.title for r in by_kind] == ["Green welding"]
    assert "Nothing in this period." in empty.content.decode()


def test_the_history_exports_as_csv(client):
    user = signed_in_member(client)
    _history(user)

    response = client.get(HISTORY, {"year": "2025", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["date", "kind", "title", "who", "detail"],
        ["2025-05-06", "Activity", "Robot day", "Mette Holm", "Attended"],
        ["2025-02-01", "Project", "Green welding", "", "Partner · Running"],
    ]


def test_the_history_has_an_empty_state(client):
    signed_in_member(client)

    page = client.get(HISTORY).content.decode()

    assert "No participation recorded yet." in page


def test_only_the_current_portal_tab_is_highlighted_in_the_menu(member_client):
    # given a member on the partners page, below the portal's home /portal/
    response = member_client.get(reverse("portal:partners"))

    # then only "Partners" is the active menu entry, not "My organisation" as well
    active = [item["label"] for item in response.context["navigation"] if item["active"]]
    assert [str(label) for label in active] == ["Partners"]
