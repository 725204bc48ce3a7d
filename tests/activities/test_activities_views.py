"""The staff pages of activities and focus networks."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from klynge.activities.models import Activity, FocusNetworkMember
from klynge.core.models import AuditEntry
from klynge.ecosystem.forms import organisation_label
from tests.activities.factories import (
    ActivityFactory,
    ActivityFundingFactory,
    FocusNetworkFactory,
    GrantFactory,
    RegistrationFactory,
)
from tests.factories import HubFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _local(days: int, hour: int) -> str:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def _form(**extra):
    data = {
        "title": "IoT for builders", "description": "", "type": "knowledge_dissemination",
        "format": "seminar", "status": "open", "starts_at": _local(10, 9),
        "ends_at": _local(10, 12), "is_public": "on",
    }
    data.update(extra)
    return data


# --- list ---------------------------------------------------------------------------------------


def test_staff_see_their_hub_by_default(staff_client):
    hub = staff_client.user.hub
    ActivityFactory(title="Here", hub=hub)
    ActivityFactory(title="Elsewhere", hub=HubFactory(name="Hub Odense"))

    response = staff_client.get(reverse("activities:activity_list"))

    assert [a.title for a in response.context["listing"].rows] == ["Here"]


def test_all_hubs_and_filters(staff_client):
    ActivityFactory(title="Webinar on AI", format="webinar", is_public=False)
    ActivityFactory(title="Seminar on AI", format="seminar")
    ActivityFactory(title="Seminar on 5G", format="seminar")

    response = staff_client.get(
        reverse("activities:activity_list"), {"hub": "", "q": "AI", "format": "seminar"}
    )
    internal = staff_client.get(
        reverse("activities:activity_list"), {"hub": "", "visibility": "internal"}
    )

    assert [a.title for a in response.context["listing"].rows] == ["Seminar on AI"]
    assert [a.title for a in internal.context["listing"].rows] == ["Webinar on AI"]


def test_filter_by_grant_and_date_range(staff_client):
    grant = GrantFactory()
    soon = ActivityFactory(title="Soon", starts_at=timezone.now() + timedelta(days=3),
                           ends_at=timezone.now() + timedelta(days=3, hours=2))
    ActivityFactory(title="Later", starts_at=timezone.now() + timedelta(days=60),
                    ends_at=timezone.now() + timedelta(days=60, hours=2))
    ActivityFundingFactory(activity=soon, grant=grant)
    until = (timezone.localdate() + timedelta(days=10)).isoformat()

    by_grant = staff_client.get(reverse("activities:activity_list"), {"hub": "", "grant": grant.pk})
    by_date = staff_client.get(reverse("activities:activity_list"), {"hub": "", "date_to": until})

    assert [a.title for a in by_grant.context["listing"].rows] == ["Soon"]
    assert [a.title for a in by_date.context["listing"].rows] == ["Soon"]


def test_csv_export_holds_the_filtered_rows(staff_client):
    activity = ActivityFactory(title="Exported", hub=staff_client.user.hub, capacity=30)
    RegistrationFactory(activity=activity)
    ActivityFactory(title="Other hub", hub=HubFactory(name="Hub Odense"))

    response = staff_client.get(reverse("activities:activity_list"), {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "title", "type"]
    assert len(rows) == 2
    assert rows[1][1] == "Exported"
    assert rows[1][11] == "30"
    assert rows[1][16:] == ["1", "0", "0"]


def test_xlsx_export(staff_client):
    ActivityFactory(hub=staff_client.user.hub)

    response = staff_client.get(reverse("activities:activity_list"), {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- detail -------------------------------------------------------------------------------------


def test_detail_shows_counts_split_and_co_organisers(staff_client):
    activity = ActivityFactory(title="Matchmaking day", capacity=20)
    ActivityFundingFactory(activity=activity, grant=GrantFactory(code="UFS"), share=Decimal(100))
    activity.co_organisers.add(OrganisationFactory(name="Cleantech Cluster"))
    RegistrationFactory(activity=activity, attended=True)
    RegistrationFactory(activity=activity, attended=False)
    RegistrationFactory(activity=activity)
    RegistrationFactory(activity=activity, status="waitlisted")
    RegistrationFactory(activity=activity, status="cancelled")

    response = staff_client.get(reverse("activities:activity_detail", args=[activity.pk]))

    summary = response.context["summary"]
    assert (summary.registered, summary.waitlisted, summary.attended, summary.no_shows,
            summary.cancelled) == (3, 1, 1, 1, 1)
    content = response.content.decode()
    assert "Matchmaking day" in content
    assert "Cleantech Cluster" in content
    assert "100 %" in content


def test_detail_of_a_missing_activity_is_404(staff_client):
    response = staff_client.get(reverse("activities:activity_detail", args=[4242]))

    assert response.status_code == 404


def test_detail_renders_the_grant_verdicts(staff_client, monkeypatch):
    from types import SimpleNamespace

    from klynge.activities import selectors

    activity = ActivityFactory()
    verdict = SimpleNamespace(
        grant="UFS 2021–2024", share=Decimal("60"), ok=False, sme_share=None,
        verdicts=[SimpleNamespace(ok=False, message="needs a knowledge institution"),
                  SimpleNamespace(ok=True, message="open to all"),
                  SimpleNamespace(ok=False, message="needs 2 more companies")],
    )
    monkeypatch.setattr(selectors, "grant_verdicts", lambda a: [verdict])

    response = staff_client.get(reverse("activities:activity_detail", args=[activity.pk]))

    content = " ".join(response.content.decode().split())
    assert (
        "UFS 2021–2024 · 60 %:</strong> needs a knowledge institution needs 2 more companies"
        in content
    )


def test_detail_shows_what_the_real_grant_rules_still_need(staff_client):
    activity = ActivityFactory()
    ActivityFundingFactory(activity=activity, grant=GrantFactory(code="UFS"), share=Decimal(60))
    ActivityFundingFactory(
        activity=activity, grant=GrantFactory(code="DEB", kind="business"), share=Decimal(40)
    )

    response = staff_client.get(reverse("activities:activity_detail", args=[activity.pk]))

    verdicts = response.context["verdicts"]
    assert [(str(gv.grant.code), gv.share, gv.ok) for gv in verdicts] == [
        ("DEB", Decimal("40.00"), False), ("UFS", Decimal("60.00"), False)
    ]
    content = response.content.decode()
    assert "Needs a knowledge institution." in content


# --- forms --------------------------------------------------------------------------------------


def test_create_with_a_split_and_a_co_organiser(staff_client):
    ufs, deb = GrantFactory(code="UFS"), GrantFactory(code="DEB", kind="business")
    partner = OrganisationFactory(name="Erhvervshus Nord")

    response = staff_client.post(reverse("activities:activity_create"), _form(
        grant_0=ufs.pk, share_0="60", grant_1=deb.pk, share_1="40",
        co_organiser_0=organisation_label(partner),
    ))

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:activity_detail", args=[activity.pk])
    assert activity.title == "IoT for builders"
    assert sorted((f.grant.code, f.share) for f in activity.fundings.all()) == [
        ("DEB", Decimal("40.00")), ("UFS", Decimal("60.00"))
    ]
    assert list(activity.co_organisers.all()) == [partner]
    assert AuditEntry.objects.filter(action="klynge.activities.activity.created").count() == 1


def test_create_shows_the_rule_on_the_form_and_saves_nothing(staff_client):
    grant = GrantFactory()

    response = staff_client.post(reverse("activities:activity_create"), _form(
        grant_0=grant.pk, share_0="60",
    ))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "grant_0": ["The funding shares add up to 60 %; they must add up to 100 %."]
    }
    assert Activity.objects.count() == 0


def test_create_ends_before_start_is_shown_on_the_field(staff_client):
    response = staff_client.post(
        reverse("activities:activity_create"), _form(ends_at=_local(9, 9))
    )

    assert response.context["form"].errors == {"ends_at": ["An activity must end after it starts."]}
    assert Activity.objects.count() == 0


def test_edit_keeps_the_split_rows(staff_client):
    activity = ActivityFactory(title="Old title")
    funding = ActivityFundingFactory(activity=activity)

    page = staff_client.get(reverse("activities:activity_edit", args=[activity.pk]))
    assert page.context["form"].initial["grant_0"] == funding.grant_id
    response = staff_client.post(reverse("activities:activity_edit", args=[activity.pk]), _form(
        title="New title", grant_0=funding.grant_id, share_0="100",
    ))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "New title"
    assert activity.fundings.get().share == Decimal("100.00")


def test_mark_held_and_cancel_buttons(staff_client):
    held = ActivityFactory()
    cancelled = ActivityFactory()

    staff_client.post(reverse("activities:activity_mark_held", args=[held.pk]))
    staff_client.post(reverse("activities:activity_cancel", args=[cancelled.pk]),
                      {"reason": "Too few"})

    held.refresh_from_db()
    cancelled.refresh_from_db()
    assert (held.status, cancelled.status) == ("held", "cancelled")


def test_a_refused_button_shows_the_message(staff_client):
    activity = ActivityFactory(status="cancelled")

    response = staff_client.post(
        reverse("activities:activity_mark_held", args=[activity.pk]), follow=True
    )

    assert "A cancelled activity cannot be marked held." in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == "cancelled"


def test_status_buttons_only_accept_post(staff_client):
    activity = ActivityFactory()

    response = staff_client.get(reverse("activities:activity_cancel", args=[activity.pk]))

    assert response.status_code == 405


def test_co_organiser_add_and_remove_pages(staff_client):
    activity = ActivityFactory()
    partner = OrganisationFactory(name="Food & Bio Cluster")

    staff_client.post(reverse("activities:co_organiser_add", args=[activity.pk]),
                      {"organisation": organisation_label(partner)})
    assert list(activity.co_organisers.all()) == [partner]
    staff_client.post(reverse("activities:co_organiser_remove", args=[activity.pk, partner.pk]))

    assert list(activity.co_organisers.all()) == []


def test_members_are_refused(member_client):
    activity = ActivityFactory()

    assert member_client.get(reverse("activities:activity_list")).status_code == 403
    assert member_client.get(
        reverse("activities:activity_detail", args=[activity.pk])
    ).status_code == 403


# --- calendar page and overview panel ----------------------------------------------------------


def test_calendar_groups_upcoming_activities_by_month(staff_client):
    hub = staff_client.user.hub
    first = ActivityFactory(title="First", hub=hub,
                            starts_at=timezone.now() + timedelta(days=1),
                            ends_at=timezone.now() + timedelta(days=1, hours=1))
    ActivityFactory(title="Past", hub=hub, starts_at=timezone.now() - timedelta(days=5),
                    ends_at=timezone.now() - timedelta(days=5) + timedelta(hours=1))

    response = staff_client.get(reverse("activities:calendar"))

    months = response.context["months"]
    assert [[a.title for a in group] for _month, group in months] == [["First"]]
    assert months[0][0] == timezone.localtime(first.starts_at).date().replace(day=1)


def test_overview_panel_lists_upcoming_activities_of_the_hub(staff_client):
    ActivityFactory(title="Hub meeting", hub=staff_client.user.hub)
    ActivityFactory(title="Cancelled one", hub=staff_client.user.hub, status="cancelled")

    response = staff_client.get(reverse("core:home"))

    content = response.content.decode()
    assert "Hub meeting" in content
    assert "Cancelled one" not in content


# --- timelines ----------------------------------------------------------------------------------


def test_organisation_timeline_shows_participations_and_co_organised_activities(staff_client):
    organisation = OrganisationFactory()
    person = PersonFactory(first_name="Anne", last_name="Berg")
    attended = ActivityFactory(title="Attended seminar")
    RegistrationFactory(activity=attended, person=person, organisation=organisation,
                        attended=True, role="speaker")
    RegistrationFactory(activity=ActivityFactory(title="Cancelled sign-up"),
                        organisation=organisation, status="cancelled")
    ActivityFactory(title="Joint event").co_organisers.add(organisation)

    response = staff_client.get(
        reverse("ecosystem:organisation_detail", args=[organisation.pk])
    )

    entries = {e.title: e for e in response.context["timeline"]}
    assert entries["Attended seminar"].kind == "Participation"
    assert entries["Attended seminar"].detail == "Anne Berg · Speaker · attended"
    assert entries["Attended seminar"].url == reverse(
        "activities:activity_detail", args=[attended.pk]
    )
    assert entries["Joint event"].kind == "Co-organised"
    assert "Cancelled sign-up" not in entries


def test_person_timeline_shows_registrations(staff_client):
    person = PersonFactory()
    organisation = OrganisationFactory(name="Robot ApS")
    RegistrationFactory(activity=ActivityFactory(title="Workshop"), person=person,
                        organisation=organisation, attended=False)

    response = staff_client.get(reverse("ecosystem:person_detail", args=[person.pk]))

    entry = next(e for e in response.context["timeline"] if e.title == "Workshop")
    assert (entry.kind, entry.detail) == (
        "Registration", "Robot ApS · Participant · did not attend"
    )


# --- focus networks -----------------------------------------------------------------------------


def test_focus_network_create_page(staff_client):
    hub = staff_client.user.hub
    page = staff_client.get(reverse("activities:focus_network_create"))
    assert page.context["form"].initial["hub"] == hub.pk

    response = staff_client.post(reverse("activities:focus_network_create"),
                                 {"name": "Data science", "is_active": "on", "hub": hub.pk})

    network = FocusNetworkFactory._meta.model.objects.get()
    assert response.status_code == 302
    assert (network.name, network.hub) == ("Data science", staff_client.user.hub)


def test_plan_a_meeting_of_a_focus_network(staff_client):
    network = FocusNetworkFactory()

    page = staff_client.get(reverse("activities:activity_create"), {"focus_network": network.pk})

    initial = page.context["form"].initial
    assert (initial["focus_network"], initial["format"]) == (network.pk, "focus_network_meeting")


def test_focus_network_members_pages(staff_client):
    network = FocusNetworkFactory()
    person = PersonFactory(email="lars@example.dk")

    staff_client.post(reverse("activities:focus_network_member_add", args=[network.pk]),
                      {"person": "lars@example.dk"})
    page = staff_client.get(reverse("activities:focus_network_detail", args=[network.pk]))
    assert [m.person for m in page.context["members"]] == [person]
    staff_client.post(reverse("activities:focus_network_member_remove",
                              args=[network.pk, person.pk]))

    assert FocusNetworkMember.objects.get().left_on == timezone.localdate()


def test_focus_network_member_unknown_email_is_shown(staff_client):
    network = FocusNetworkFactory()

    response = staff_client.post(
        reverse("activities:focus_network_member_add", args=[network.pk]),
        {"person": "nobody@example.dk"},
    )

    assert response.context["member_form"].errors == {
        "person": ["No person has the e-mail address “nobody@example.dk”."]
    }
    assert FocusNetworkMember.objects.count() == 0
