"""The consent register: history rows, the latest in force, the audit log, the selectors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klynge.core.models import AuditEntry
from klynge.ecosystem.models import Person
from klynge.privacy import privacy, services
from klynge.privacy.models import Consent
from klynge.privacy.selectors import consent_overview, has_consent, people_with_consent
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

MC = "member_communication"


def test_giving_consent_appends_a_row_in_force_and_logs_on_the_person():
    person = PersonFactory()
    staff = UserFactory()

    consent = services.consent_give(
        person=person, purpose=MC, source="staff", note="by phone", actor=staff
    )

    assert (consent.granted, consent.source, consent.legal_basis, consent.note) == (
        True, "staff", "consent", "by phone")
    assert consent.given_at is not None and consent.withdrawn_at is None
    assert has_consent(person, MC) is True
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.actor) == (
        "klynge.privacy.consent.given", str(person.pk), staff)
    assert entry.data["purpose"] == MC


def test_withdrawal_keeps_the_history_and_the_latest_row_wins():
    person = PersonFactory()
    given = services.consent_give(person=person, purpose=MC, source="public_signup")

    withdrawn = services.consent_withdraw(person=person, purpose=MC, source="unsubscribe_link")

    assert Consent.objects.filter(person=person).count() == 2
    assert (withdrawn.granted, withdrawn.given_at) == (False, given.given_at)
    assert withdrawn.withdrawn_at is not None
    assert has_consent(person, MC) is False
    services.consent_give(person=person, purpose=MC, source="portal")
    assert has_consent(person, MC) is True
    assert Consent.objects.filter(person=person).count() == 3


def test_consent_is_per_purpose():
    person = PersonFactory()
    services.consent_give(person=person, purpose="newsletter", source="staff")

    assert has_consent(person, "newsletter") is True
    assert has_consent(person, MC) is False


def test_repeating_the_same_change_writes_nothing():
    person = PersonFactory()
    first = services.consent_give(person=person, purpose=MC, source="staff")

    again = services.consent_give(person=person, purpose=MC, source="staff")
    services.consent_withdraw(person=person, purpose=MC, source="staff")
    services.consent_withdraw(person=person, purpose=MC, source="staff")

    assert again == first
    assert Consent.objects.count() == 2
    assert AuditEntry.objects.count() == 2


def test_a_withdrawal_without_earlier_consent_is_recorded_as_an_objection():
    person = PersonFactory()

    row = services.consent_withdraw(person=person, purpose=MC, source="staff")

    assert (row.granted, row.given_at) == (False, None)
    assert has_consent(person, MC) is False


def test_an_unknown_purpose_is_refused_and_nothing_is_written():
    from klynge.core.errors import ApplicationError

    person = PersonFactory()
    with pytest.raises(ApplicationError):
        services.consent_give(person=person, purpose="telemarketing", source="staff")
    assert Consent.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_people_with_consent_takes_the_latest_row_in_one_query():
    given, withdrawn, never, regiven = PersonFactory.create_batch(4)
    services.consent_give(person=given, purpose=MC, source="staff")
    services.consent_give(person=withdrawn, purpose=MC, source="staff")
    services.consent_withdraw(person=withdrawn, purpose=MC, source="staff")
    services.consent_withdraw(person=regiven, purpose=MC, source="staff")
    services.consent_give(person=regiven, purpose=MC, source="staff")
    services.consent_give(person=never, purpose="newsletter", source="staff")

    with CaptureQueriesContext(connection) as queries:
        chosen = set(people_with_consent(Person.objects.all(), MC))

    assert chosen == {given, regiven}
    assert len(queries) == 1


def test_overview_lists_every_purpose_with_the_row_in_force():
    person = PersonFactory()
    services.consent_give(person=person, purpose="evaluations", source="staff")

    overview = consent_overview(person)

    assert [row["purpose"] for row in overview] == [
        "member_communication", "newsletter", "matchmaking_visibility", "evaluations",
        "grant_giver_sharing"]
    assert [row["current"].granted if row["current"] else None for row in overview] == [
        None, None, None, True, None]


def test_export_lists_the_consent_history():
    person = PersonFactory()
    services.consent_give(person=person, purpose=MC, source="staff")
    services.consent_withdraw(person=person, purpose=MC, source="unsubscribe_link")

    exported = privacy.export_person(person)

    assert [(c["purpose"], c["granted"], c["source"]) for c in exported["consents"]] == [
        (MC, False, "unsubscribe_link"), (MC, True, "staff")]
