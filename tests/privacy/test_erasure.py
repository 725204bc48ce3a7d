"""Erasure (GDPR art. 17): person_erase anonymises the person everywhere, keeps every row an
aggregate counts, leaves every KPI figure and frozen snapshot exactly as it was, and redacts
the audit log without deleting a row. Dataset: tests/privacy/builders.py (Anna Berg)."""

import json
from datetime import date

import pytest
from django.apps import apps
from django.db import models

from klynge.activities.models import Registration
from klynge.brokerage.models import Meeting, Participant
from klynge.core.audit import REDACTED
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry, User
from klynge.ecosystem.models import Affiliation, Interaction, Organisation, Person
from klynge.evaluations.models import Answer, Response
from klynge.kpis import selectors
from klynge.kpis import services as kpi_services
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period
from klynge.kpis.models import KpiSnapshot
from klynge.matchmaking.models import Introduction
from klynge.privacy.models import Consent
from klynge.privacy.registry import privacy_modules
from klynge.privacy.services_erasure import person_erase
from tests.factories import AffiliationFactory, PersonFactory
from tests.privacy.builders import EMAIL, LOGIN, NAME, PHONE, anna_dataset

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


def _kpi_state() -> dict:
    """Every KPI as the KPI page and the dashboard compute it: rows with targets and
    cumulative figures, the figures, the drill-down of each, the unique participants."""
    return {
        "rows": [(r.key, r.figure, r.cumulative) for r in selectors.kpi_rows(YEAR)],
        "figures": selectors.kpi_figures(YEAR),
        "drilldown": {key: [(row.key, len(row.evidence)) for row in
                            selectors.drilldown(key, YEAR)] for key in keys.ORDER},
        "participants": selectors.participants(YEAR),
    }


def _organisations() -> list[dict]:
    return list(Organisation.objects.order_by("pk").values())


def _snapshot_bytes() -> bytes:
    return json.dumps(list(KpiSnapshot.objects.order_by("pk").values()), default=str,
                      sort_keys=True).encode()


# --- the figures stay ------------------------------------------------------------------------


def test_every_kpi_figure_is_identical_before_and_after_erasure(management_client):
    anna = anna_dataset()
    before = _kpi_state()

    person_erase(person=anna.person, actor=management_client.user, reason="Request of 3 March")

    after = _kpi_state()
    assert after == before
    figures = before["figures"]
    assert figures[keys.INNOVATIVE_MEMBERS].numerator == 1
    assert figures[keys.EU_APPLICATIONS].value == 1
    assert figures[keys.COMMERCIAL_USE].counted == frozenset(
        {f"introduction:{anna.introduction.pk}"})
    assert before["participants"].people == 1


def test_a_frozen_snapshot_is_unchanged_byte_for_byte(management_client):
    anna = anna_dataset()
    kpi_services.snapshot_freeze(period=YEAR, actor=management_client.user, note="2025")
    frozen = _snapshot_bytes()

    person_erase(person=anna.person, actor=management_client.user, reason="Request")

    assert _snapshot_bytes() == frozen


def test_the_organisations_data_is_unchanged(management_client):
    anna = anna_dataset()
    before = _organisations()

    person_erase(person=anna.person, actor=management_client.user, reason="Request")

    assert _organisations() == before


# --- the person is anonymised, the counted rows stay ---------------------------------------


def test_the_person_is_anonymised_and_the_counted_rows_are_kept(management_client):
    anna = anna_dataset()
    pk = anna.person.pk

    report = person_erase(person=anna.person, actor=management_client.user, reason="Request")

    person = Person.objects.get(pk=pk)
    assert (person.full_name, person.email, person.phone, person.job_title, person.notes) == (
        "Anonymised person", f"erased-{pk}@invalid.example", "", "", "")
    assert person.erased_at == report.erased_at
    assert Registration.objects.filter(person_id=pk, attended=True).count() == 1
    assert Registration.objects.filter(person_id=pk).count() == 2
    assert list(Registration.objects.filter(person_id=pk).values_list("answers", flat=True)) \
        == [{}, {}]
    assert Answer.objects.get(pk=anna.answer.pk).choice == "yes"
    assert Response.objects.filter(person_id=pk).count() == 1
    assert Introduction.objects.get(pk=anna.introduction.pk).person_a_id == pk
    assert Introduction.objects.get(pk=anna.introduction.pk).message == (
        f"{REDACTED} ({REDACTED}) would like to meet you.")
    assert Affiliation.objects.get(person_id=pk).role == ""
    assert Affiliation.objects.get(person_id=pk).organisation == anna.company
    participant = Participant.objects.get(person_id=pk)
    assert (participant.headline, participant.offers, participant.seeks,
            participant.is_listed) == ("", "", "", False)
    assert Meeting.objects.get(requester=participant).message == (
        f"Hi, {REDACTED} here. Call {REDACTED}.")
    assert Interaction.objects.get(people=pk).notes == f"Talked to {REDACTED} about pilots."
    assert Consent.objects.filter(person_id=pk).count() == 0


def test_the_login_account_is_deactivated_and_scrubbed(management_client):
    anna = anna_dataset()

    person_erase(person=anna.person, actor=management_client.user, reason="Request")

    user = User.objects.get(pk=anna.login.pk)
    assert (user.email, user.first_name, user.last_name, user.is_active,
            user.has_usable_password()) == (
        f"erased-user-{user.pk}@invalid.example", "", "", False, False)
    assert not apps.get_model("authtoken", "Token").objects.filter(user=user).exists()
    assert not User.objects.filter(email=LOGIN).exists()


def test_the_report_says_what_each_app_did(management_client):
    anna = anna_dataset()

    report = person_erase(person=anna.person, actor=management_client.user, reason="Request")

    assert report.apps["ecosystem"] == {"person": 1, "affiliation_roles_blanked": 1,
                                        "interactions_scrubbed": 1}
    assert report.apps["activities"] == {"registrations_kept": 2,
                                         "registration_answers_removed": 1}
    assert report.apps["matchmaking"] == {"introductions_kept": 1, "introductions_scrubbed": 1}
    assert report.apps["brokerage"] == {"participants_kept": 1, "meetings_kept": 1,
                                        "meetings_scrubbed": 1}
    assert report.apps["privacy"] == {"consents_removed": 1}
    assert report.apps["core"] == {"login_account": 1, "credentials_removed": 1}
    assert report.audit_entries_redacted == 2  # person created, consent given


# --- the audit log: redacted, never deleted ------------------------------------------------


def test_no_audit_row_is_deleted_and_none_still_names_the_person(management_client):
    anna = anna_dataset()
    ids_before = set(AuditEntry.objects.values_list("pk", flat=True))

    person_erase(person=anna.person, actor=management_client.user,
                 reason=f"E-mail from {NAME} ({EMAIL})")

    ids_after = set(AuditEntry.objects.values_list("pk", flat=True))
    assert ids_before < ids_after and len(ids_after - ids_before) == 1
    for entry in AuditEntry.objects.all():
        text = json.dumps(entry.data, ensure_ascii=False).lower() + entry.object_repr.lower()
        for needle in (NAME, EMAIL, PHONE, LOGIN, "anna"):
            assert needle.lower() not in text, (entry.action, text)


def test_the_persons_own_entries_keep_their_shape_with_values_redacted(management_client):
    anna = anna_dataset()

    person_erase(person=anna.person, actor=management_client.user, reason="Request")

    created = AuditEntry.objects.get(action="klynge.ecosystem.person.created")
    assert created.data == {"first_name": REDACTED, "last_name": REDACTED, "email": REDACTED,
                            "phone": REDACTED, "job_title": REDACTED, "language": "en",
                            "notes": REDACTED}
    assert created.object_repr == REDACTED
    erased = AuditEntry.objects.get(action="klynge.privacy.person.erased")
    assert (erased.object_repr, erased.actor, erased.data["reason"]) == (
        "Anonymised person", management_client.user, "Request")


def test_someone_elses_entries_are_untouched(management_client):
    anna = anna_dataset()
    other = AuditEntry.objects.get(action="klynge.matchmaking.introduction.outcome_recorded")
    data_before = other.data

    person_erase(person=anna.person, actor=management_client.user, reason="Request")

    other.refresh_from_db()
    assert other.data == data_before == {"kind": "commercial_use", "date": "2025-03-01",
                                         "description": "Licence sold", "project_id": None}


# --- refusals ----------------------------------------------------------------------------------


def test_erasing_twice_is_refused_and_writes_nothing(management_client):
    anna = anna_dataset()
    person_erase(person=anna.person, actor=management_client.user, reason="Request")
    count = AuditEntry.objects.count()

    with pytest.raises(ApplicationError) as refused:
        person_erase(person=anna.person, actor=management_client.user, reason="Again")

    day = Person.objects.get(pk=anna.person.pk).erased_at.date().isoformat()
    assert refused.value.message == (
        f"This person was already anonymised on {day}; there is nothing left to erase.")
    assert AuditEntry.objects.count() == count


def test_an_erasure_without_a_reason_is_refused_and_writes_nothing(management_client):
    person = PersonFactory(first_name="Carl", last_name="Nielsen")

    with pytest.raises(ApplicationError) as refused:
        person_erase(person=person, actor=management_client.user, reason="  ")

    assert refused.value.field == "reason"
    person.refresh_from_db()
    assert (person.full_name, person.erased_at) == ("Carl Nielsen", None)
    assert not AuditEntry.objects.filter(action="klynge.privacy.person.erased").exists()


# --- every app with personal data takes part -----------------------------------------------


def _personal_apps() -> set[str]:
    """Apps with a model holding a person's data: a relation to Person, or an e-mail field
    (the hubs' shared mailbox excepted: it is an organisation's address, not a person's)."""
    person = apps.get_model("ecosystem", "Person")
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("klynge.") or model._meta.label == "ecosystem.Hub":
            continue
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if (field.is_relation and field.related_model is person) or isinstance(
                    field, models.EmailField):
                found.add(model._meta.app_label)
    return found


def test_every_app_with_personal_data_has_a_privacy_module():
    modules = dict(privacy_modules())

    missing = sorted(_personal_apps() - set(modules))

    assert missing == [], f"these apps hold personal data but have no privacy.py: {missing}"
    assert {"core", "ecosystem", "activities", "evaluations", "outreach", "matchmaking",
            "brokerage", "privacy"} <= _personal_apps()
    for label, module in modules.items():
        assert callable(module.export_person) and callable(module.erase_person), label


# --- an anonymised person is reached by nothing -------------------------------------------


def test_an_anonymised_person_is_no_introduction_contact_and_gets_no_evaluation(
        management_client):
    from klynge.evaluations.services import activity_survey_send
    from klynge.matchmaking.selectors_introductions import eligible_contacts
    from tests.kpis.factories import held, took_part

    anna = anna_dataset()
    workshop = held(date(2025, 6, 2), title="Workshop")
    took_part(workshop, anna.company, anna.person)
    colleague = took_part(workshop, anna.company).person
    AffiliationFactory(person=colleague, organisation=anna.company)

    person_erase(person=anna.person, actor=management_client.user, reason="Request")
    survey = activity_survey_send(activity_id=workshop.pk)

    assert list(eligible_contacts(anna.company)) == [colleague]
    assert list(survey.responses.values_list("person_id", flat=True)) == [colleague.pk]


def test_an_anonymised_person_cannot_be_given_a_consent_again(management_client):
    from klynge.privacy.choices import ConsentSource, Purpose
    from klynge.privacy.services import consent_give

    anna = anna_dataset()
    person_erase(person=anna.person, actor=management_client.user, reason="Request")

    with pytest.raises(ApplicationError) as refused:
        consent_give(person=anna.person, purpose=Purpose.NEWSLETTER,
                     source=ConsentSource.STAFF)

    assert refused.value.message == "This person was anonymised; no consent can be recorded."
    assert Consent.objects.filter(person=anna.person).count() == 0
