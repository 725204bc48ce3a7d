"""The member gives and withdraws their own consents in the portal (source: member portal),
through the privacy services, and sees the history."""

import pytest
from django.urls import reverse

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.privacy.models import Consent
from klynge.privacy.selectors import has_consent
from tests.factories import AffiliationFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

CONSENTS = reverse("portal:consents")


def signed_in_member(client):
    organisation = MembershipFactory().organisation
    person = PersonFactory(first_name="Mette", email="mette@firma.dk")
    AffiliationFactory(person=person, organisation=organisation)
    user = UserFactory(role=Role.MEMBER, organisation=organisation, person=person,
                       email="mette@firma.dk")
    client.force_login(user)
    return user


def test_the_page_lists_every_purpose_as_not_given_at_first(client):
    signed_in_member(client)

    response = client.get(CONSENTS)

    assert [row["purpose"] for row in response.context["overview"]] == [
        "member_communication", "newsletter", "matchmaking_visibility", "evaluations",
        "grant_giver_sharing"]
    assert all(row["current"] is None for row in response.context["overview"])
    assert "No consent has been recorded for you yet." in response.content.decode()


def test_the_member_gives_consent_from_the_portal(client):
    user = signed_in_member(client)

    response = client.post(CONSENTS, {"purpose": "newsletter", "action": "give"})

    assert response.status_code == 302 and response["Location"] == CONSENTS
    consent = Consent.objects.get()
    assert (consent.person, consent.purpose, consent.granted, consent.source,
            consent.recorded_by) == (user.person, "newsletter", True, "portal", user)
    assert list(AuditEntry.objects.filter(action__startswith="klynge.privacy.consent")
                .values_list("action", "actor", "data__source")) == [
        ("klynge.privacy.consent.given", user.pk, "portal")]


def test_the_member_withdraws_consent_and_the_history_shows_both(client):
    user = signed_in_member(client)
    client.post(CONSENTS, {"purpose": "newsletter", "action": "give"})

    client.post(CONSENTS, {"purpose": "newsletter", "action": "withdraw"})
    page = client.get(CONSENTS)

    assert has_consent(user.person, "newsletter") is False
    assert [(c.purpose, c.granted, c.source) for c in page.context["history"]] == [
        ("newsletter", False, "portal"), ("newsletter", True, "portal")]
    newsletter = next(r for r in page.context["overview"] if r["purpose"] == "newsletter")
    assert newsletter["current"].granted is False


def test_an_unknown_purpose_or_action_writes_nothing(client):
    signed_in_member(client)

    client.post(CONSENTS, {"purpose": "spam", "action": "give"})
    client.post(CONSENTS, {"purpose": "newsletter", "action": "sell"})

    assert Consent.objects.count() == 0


def test_a_member_changes_only_their_own_consents(client):
    signed_in_member(client)
    colleague = PersonFactory()

    client.post(CONSENTS, {"purpose": "newsletter", "action": "give", "person": colleague.pk})

    assert Consent.objects.filter(person=colleague).count() == 0
    assert Consent.objects.count() == 1
