"""Logging interactions, the follow-up list and its undo."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from klynge.ecosystem.models import Interaction
from tests.factories import AffiliationFactory, InteractionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_logging_an_interaction_puts_it_on_the_timeline_and_the_follow_up_list(staff_client):
    affiliation = AffiliationFactory()
    organisation = affiliation.organisation
    due = timezone.localdate() + timedelta(days=7)
    response = staff_client.post(
        f"/ecosystem/organisations/{organisation.pk}/interactions/new/",
        {"kind": "visit", "date": "2026-11-20", "subject": "Virksomhedsbesøg",
         "people": [affiliation.person_id], "notes": "Interesse for AI",
         "next_step": "Send invitation til fokusnetværk", "follow_up_date": due.isoformat()},
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.staff == staff_client.user
    assert interaction.hub == staff_client.user.hub
    assert list(interaction.people.all()) == [affiliation.person]

    detail = staff_client.get(f"/ecosystem/organisations/{organisation.pk}/").content.decode()
    assert "Virksomhedsbesøg" in detail
    follow_ups = staff_client.get("/ecosystem/follow-ups/")
    assert list(follow_ups.context["follow_ups"]) == [interaction]


def test_a_follow_up_date_needs_a_next_step(staff_client):
    organisation = OrganisationFactory()
    response = staff_client.post(
        f"/ecosystem/organisations/{organisation.pk}/interactions/new/",
        {"kind": "call", "date": "2026-11-20", "subject": "Opkald",
         "follow_up_date": "2026-12-01"},
    )
    assert response.status_code == 200
    assert "next step" in str(response.context["form"].errors["next_step"])
    assert not Interaction.objects.exists()


def test_people_of_other_organisations_cannot_be_logged(staff_client):
    organisation = OrganisationFactory()
    stranger = AffiliationFactory().person
    response = staff_client.post(
        f"/ecosystem/organisations/{organisation.pk}/interactions/new/",
        {"kind": "call", "date": "2026-11-20", "subject": "Opkald", "people": [stranger.pk]},
    )
    assert response.status_code == 200
    assert not Interaction.objects.exists()


def test_marking_a_follow_up_done_and_undoing_it(staff_client):
    interaction = InteractionFactory(
        staff=staff_client.user, follow_up_date=date(2026, 1, 5), next_step="Ring op"
    )
    staff_client.post(f"/ecosystem/interactions/{interaction.pk}/follow-up-done/")
    interaction.refresh_from_db()
    assert interaction.follow_up_done_at is not None
    assert list(staff_client.get("/ecosystem/follow-ups/").context["follow_ups"]) == []

    staff_client.post(f"/ecosystem/interactions/{interaction.pk}/follow-up-done/", {"undo": "1"})
    interaction.refresh_from_db()
    assert interaction.follow_up_done_at is None


def test_interaction_list_filters_overdue_follow_ups(staff_client):
    overdue = InteractionFactory(follow_up_date=date(2020, 1, 1), next_step="x",
                                 hub=staff_client.user.hub)
    InteractionFactory(follow_up_date=None, hub=staff_client.user.hub)
    response = staff_client.get("/ecosystem/interactions/?follow_up=overdue")
    assert list(response.context["listing"].rows) == [overdue]


def test_editing_an_interaction_is_audited_and_keeps_the_rules(staff_client):
    interaction = InteractionFactory(subject="Opkald om AI")
    url = f"/ecosystem/interactions/{interaction.pk}/edit/"
    bad = staff_client.post(url, {"kind": "call", "date": "2026-11-20", "subject": "Opkald",
                                  "follow_up_date": "2026-12-01"})
    assert bad.status_code == 200
    interaction.refresh_from_db()
    assert interaction.subject == "Opkald om AI"

    good = staff_client.post(url, {"kind": "meeting", "date": "2026-11-20",
                                   "subject": "Møde om AI"})
    assert good.status_code == 302
    interaction.refresh_from_db()
    assert (interaction.kind, interaction.subject) == ("meeting", "Møde om AI")
    from klynge.core.models import AuditEntry

    entry = AuditEntry.objects.get(action="klynge.ecosystem.interaction.updated")
    assert entry.data["changes"]["subject"] == ["Opkald om AI", "Møde om AI"]
