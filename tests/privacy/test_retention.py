"""Retention: which people a rule finds inactive (the dry run), that the scheduled run
anonymises exactly those, and the rules' checks. The crafted dataset puts one person on each
side of every condition in klynge/privacy/selectors_retention.py."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.ecosystem.models import Person
from klynge.privacy.choices import ConsentSource, Purpose, RetentionScope
from klynge.privacy.models import Consent, RetentionRule
from klynge.privacy.selectors_retention import months_before, retention_candidates
from klynge.privacy.services import consent_give, consent_withdraw
from klynge.privacy.services_retention import (
    retention_apply,
    retention_rule_create,
    retention_rule_update,
)
from klynge.privacy.tasks import apply_retention_rules
from tests.activities.factories import RegistrationFactory
from tests.factories import (
    AffiliationFactory,
    InteractionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.matchmaking.factories_introductions import introduce, made_on

pytestmark = pytest.mark.django_db

NOW = timezone.now()
YEARS_AGO_5 = NOW - timedelta(days=5 * 365)
YEARS_AGO_4 = NOW - timedelta(days=4 * 365)


def _old(name: str, **fields) -> Person:
    person = PersonFactory(first_name=name, last_name="Test", **fields)
    Person.objects.filter(pk=person.pk).update(created_at=YEARS_AGO_5)
    return person


def _dated_consents(person, *when):
    for row, moment in zip(Consent.objects.filter(person=person).order_by("id"), when,
                           strict=True):
        Consent.objects.filter(pk=row.pk).update(
            recorded_at=moment, given_at=moment if row.granted else YEARS_AGO_5,
            withdrawn_at=None if row.granted else moment)


def _dataset() -> dict[str, Person]:
    """Who is in (would be anonymised) and who is out, and why (the name says it)."""
    today = timezone.localdate()
    member_org = MembershipFactory(start_date=date(2020, 1, 1)).organisation
    lapsed_org = MembershipFactory(start_date=date(2015, 1, 1),
                                   end_date=today - timedelta(days=4 * 365)).organisation
    plain_org = OrganisationFactory()
    people = {name: _old(name) for name in (
        "quiet", "nonmember", "member", "lapsed", "registered", "called", "called_long_ago",
        "subscriber", "withdrew", "login", "staff", "erased", "introduced")}
    new = PersonFactory(first_name="new", last_name="Test")
    Person.objects.filter(pk=new.pk).update(created_at=NOW - timedelta(days=30))
    people["new"] = new
    AffiliationFactory(person=people["nonmember"], organisation=plain_org)
    AffiliationFactory(person=people["member"], organisation=member_org)
    AffiliationFactory(person=people["lapsed"], organisation=lapsed_org)
    AffiliationFactory(person=people["introduced"], organisation=plain_org)
    RegistrationFactory(person=people["registered"])  # made now
    InteractionFactory(organisation=plain_org, date=today - timedelta(days=365)).people.add(
        people["called"])
    InteractionFactory(organisation=plain_org, date=today - timedelta(days=4 * 365)).people.add(
        people["called_long_ago"])
    consent_give(person=people["subscriber"], purpose=Purpose.NEWSLETTER,
                 source=ConsentSource.STAFF)
    _dated_consents(people["subscriber"], YEARS_AGO_5)
    consent_give(person=people["withdrew"], purpose=Purpose.NEWSLETTER,
                 source=ConsentSource.STAFF)
    consent_withdraw(person=people["withdrew"], purpose=Purpose.NEWSLETTER,
                     source=ConsentSource.STAFF)
    _dated_consents(people["withdrew"], YEARS_AGO_5, YEARS_AGO_4)
    UserFactory(role=Role.MEMBER, person=people["login"], last_login=NOW - timedelta(days=30))
    UserFactory(role=Role.STAFF, person=people["staff"], last_login=YEARS_AGO_4)
    Person.objects.filter(pk=people["erased"].pk).update(erased_at=YEARS_AGO_4)
    staff_user = UserFactory(role=Role.STAFF)
    other = _old("other_side")
    AffiliationFactory(person=other, organisation=member_org)
    intro = introduce(staff_user, plain_org, people["introduced"], member_org, other)
    made_on(intro, NOW - timedelta(days=180))
    return people


def _rule(**fields) -> RetentionRule:
    fields.setdefault("name", "Contacts, 3 years")
    return RetentionRule.objects.create(**fields)


def _names(people) -> list[str]:
    return sorted(p.first_name for p in people)


# --- who the dry run lists ---------------------------------------------------------------


def test_the_non_member_rule_lists_exactly_the_inactive_non_member_contacts():
    _dataset()

    found = retention_candidates(_rule())

    # In: no tie to a member in the window and no activity in it (the lapsed membership
    # ended before the window; the interaction and the withdrawn consent are older).
    # Out: member (affiliated with a member), new (created in the window), registered,
    # called, subscriber (a consent in force), login (signed in), staff (a cluster-team
    # login), erased (already anonymised), introduced, other_side (a member's contact).
    assert _names(found) == ["called_long_ago", "lapsed", "nonmember", "quiet", "withdrew"]


def test_the_everyone_rule_also_lists_inactive_contacts_of_members():
    _dataset()

    found = retention_candidates(_rule(scope=RetentionScope.ALL_PEOPLE))

    assert _names(found) == ["called_long_ago", "lapsed", "member", "nonmember", "quiet",
                             "withdrew"]


def test_a_longer_window_spares_those_active_within_it():
    _dataset()

    found = retention_candidates(_rule(inactive_months=72))

    assert _names(found) == []  # everybody's record is younger than six years


# --- the real run ------------------------------------------------------------------------------


def test_the_real_run_anonymises_exactly_the_people_of_the_dry_run():
    _dataset()
    rule = _rule(is_active=True)
    listed = set(retention_candidates(rule).values_list("pk", flat=True))

    result = retention_apply()

    erased = set(Person.objects.filter(
        erased_at__isnull=False, first_name="Anonymised person").values_list("pk", flat=True))
    assert result == {"Contacts, 3 years": 5}
    assert erased == listed
    assert retention_candidates(rule).count() == 0
    summary = AuditEntry.objects.get(action="klynge.privacy.retention.applied")
    assert summary.data == {"day": timezone.localdate().isoformat(), "anonymised": 5,
                            "person_ids": sorted(listed)}
    reasons = set(AuditEntry.objects.filter(action="klynge.privacy.person.erased")
                  .values_list("data__reason", flat=True))
    assert reasons == {"retention rule Contacts, 3 years"}


def test_inactive_rules_are_not_applied_by_the_scheduled_task():
    _dataset()
    _rule(is_active=False)  # the migration's default rule is inactive too

    result = apply_retention_rules.enqueue()

    assert result.return_value == {}
    assert not Person.objects.filter(first_name="Anonymised person").exists()


def test_the_command_dry_run_changes_nothing_and_the_real_run_reports(capsys):
    people = _dataset()
    _rule(is_active=True)

    call_command("apply_retention", "--dry-run")
    dry = capsys.readouterr().out
    call_command("apply_retention")
    real = capsys.readouterr().out

    assert dry.splitlines()[0] == "Contacts, 3 years: 5 would be anonymised."
    assert f"{people['quiet'].pk}\tquiet Test\t{people['quiet'].email}" in dry
    assert real == "Contacts, 3 years: 5 anonymised.\n"
    assert Person.objects.filter(first_name="Anonymised person").count() == 5


def test_the_command_refuses_an_unknown_rule():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="There is no retention rule named “Nope”."):
        call_command("apply_retention", "--rule", "Nope")


# --- the rules ---------------------------------------------------------------------------------


def test_a_rule_is_created_and_changed_through_the_services_with_audit(management_client):
    actor = management_client.user
    rule = retention_rule_create(actor=actor, data={
        "name": " Everyone, 5 years ", "scope": RetentionScope.ALL_PEOPLE,
        "inactive_months": 60, "action": "anonymise", "is_active": False, "description": ""})

    retention_rule_update(rule=rule, actor=actor, data={
        "name": "Everyone, 5 years", "scope": RetentionScope.ALL_PEOPLE,
        "inactive_months": 48, "action": "anonymise", "is_active": True, "description": ""})

    rule.refresh_from_db()
    assert (rule.name, rule.inactive_months, rule.is_active) == ("Everyone, 5 years", 48, True)
    updated = AuditEntry.objects.get(action="klynge.privacy.retention_rule.updated")
    assert updated.data == {"changes": {"inactive_months": [60, 48], "is_active": [False, True]}}


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"name": "", "inactive_months": 36}, "name", "A retention rule needs a name."),
    ({"name": "Non-member contacts, 3 YEARS", "inactive_months": 36}, "name",
     "There is already a retention rule with this name."),
    ({"name": "Short", "inactive_months": 5}, "inactive_months",
     "The inactivity window is between 6 and 240 months."),
])
def test_a_rule_with_bad_values_is_refused_and_nothing_is_written(data, field, message):
    count = RetentionRule.objects.count()

    with pytest.raises(ApplicationError) as refused:
        retention_rule_create(actor=None, data=data)

    assert (refused.value.field, refused.value.message) == (field, message)
    assert RetentionRule.objects.count() == count


def test_the_default_rule_of_the_migration_is_inactive():
    rule = RetentionRule.objects.get(name="Non-member contacts, 3 years")

    assert (rule.scope, rule.inactive_months, rule.is_active) == (
        RetentionScope.NON_MEMBER_CONTACTS, 36, False)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 11, 27), 36, date(2023, 11, 27)),
    (date(2024, 2, 29), 12, date(2023, 2, 28)),
    (date(2026, 3, 31), 1, date(2026, 2, 28)),
    (date(2026, 1, 15), 1, date(2025, 12, 15)),
])
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected
