"""Access requests (GDPR art. 15): person_export_zip gives every table of the person's data
as JSON and CSV with a README in their language, includes the audit entries about them and
the consent history, and logs the export itself. Dataset: tests/privacy/builders.py."""

import csv
import io
import json
import zipfile

import pytest

from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.ecosystem.services import person_update
from klynge.privacy.selectors_access import audit_entries_about
from klynge.privacy.services_access import person_export_zip
from klynge.privacy.services_erasure import person_erase
from tests.factories import PersonFactory
from tests.privacy.builders import EMAIL, anna_dataset

pytestmark = pytest.mark.django_db

TABLES = [
    "core.login_account", "ecosystem.person", "ecosystem.affiliations",
    "ecosystem.interactions", "funding.time_registrations", "activities.registrations",
    "activities.focus_networks", "evaluations.survey_responses", "evaluations.survey_answers",
    "outreach.invitations_received", "projects.projects_responsible",
    "projects.project_outcomes_recorded", "matchmaking.introductions",
    "brokerage.brokerage_participations", "brokerage.brokerage_meetings", "privacy.consents",
    "privacy.audit_entries",
]


def _open(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def _csv(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    raw = archive.read(name)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for æøå
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_zip_holds_a_readme_the_json_and_one_csv_per_table(management_client):
    anna = anna_dataset()

    filename, content = person_export_zip(person=anna.person, actor=management_client.user)

    archive = _open(content)
    assert filename.startswith(f"klynge-data-{anna.person.pk}-") and filename.endswith(".zip")
    document = json.loads(archive.read("data.json"))
    # Apps added later (the portal...) add their tables; these are the ones known here.
    assert [t for t in document["tables"] if t in TABLES] == TABLES
    assert archive.namelist() == ["README.txt", "data.json"] + [
        t.replace(".", "-").replace("_", "-") + ".csv" for t in document["tables"]]
    assert document["person"] == {"id": anna.person.pk, "name": "Anna Berg", "email": EMAIL}
    assert {t: len(rows) for t, rows in document["tables"].items() if t in TABLES} == {
        "core.login_account": 1, "ecosystem.person": 1, "ecosystem.affiliations": 1,
        "ecosystem.interactions": 1, "funding.time_registrations": 0,
        "activities.registrations": 2, "activities.focus_networks": 0,
        "evaluations.survey_responses": 1, "evaluations.survey_answers": 1,
        "outreach.invitations_received": 0, "projects.projects_responsible": 0,
        "projects.project_outcomes_recorded": 0, "matchmaking.introductions": 1,
        "brokerage.brokerage_participations": 1, "brokerage.brokerage_meetings": 1,
        "privacy.consents": 1, "privacy.audit_entries": 3,
    }


def test_the_csv_files_have_their_headers_and_rows(management_client):
    anna = anna_dataset()

    _name, content = person_export_zip(person=anna.person, actor=management_client.user)

    archive = _open(content)
    person = _csv(archive, "ecosystem-person.csv")
    assert person[0] == ["id", "first_name", "last_name", "email", "phone", "job_title",
                         "language", "notes", "created_at", "updated_at", "erased_at"]
    assert person[1][:8] == [str(anna.person.pk), "Anna", "Berg", EMAIL, "+45 20 30 40 50",
                             "CTO", "en", "Prefers calls before noon."]
    consents = _csv(archive, "privacy-consents.csv")
    assert consents[0] == ["purpose", "granted", "given_at", "withdrawn_at", "source",
                           "legal_basis", "note", "recorded_at"]
    assert consents[1][:2] == ["newsletter", "True"]
    audit = _csv(archive, "privacy-audit-entries.csv")
    assert audit[0] == ["time", "action", "record_type", "record", "by", "details"]
    assert [row[1] for row in audit[1:]] == [
        "klynge.matchmaking.introduction.created", "klynge.privacy.consent.given",
        "klynge.ecosystem.person.created"]
    registrations = _csv(archive, "activities-registrations.csv")
    assert registrations[0][:3] == ["activity", "activity_id", "starts_at"]
    assert '{"diet": "Vegetarian"}' in [row[7] for row in registrations[1:]]
    assert archive.read("funding-time-registrations.csv") == b"\xef\xbb\xbf"


def test_the_readme_names_every_file_in_the_persons_language(management_client):
    anna = anna_dataset()

    _name, content = person_export_zip(person=anna.person, actor=management_client.user)

    archive = _open(content)
    readme = archive.read("README.txt").decode("utf-8").splitlines()
    tables = json.loads(archive.read("data.json"))["tables"]
    assert readme[0] == "Your data in Klynge"
    assert "privacy-consents.csv: Your consents: what you agreed to, when, how, and every " \
           "withdrawal. (1 rows)" in readme
    assert "funding-time-registrations.csv: Hours registered on grants under your name. " \
           "(empty: nothing recorded)" in readme
    assert sum(line.endswith(")") and ".csv: " in line for line in readme) == len(tables)


def test_every_export_is_logged_with_its_actor(management_client):
    anna = anna_dataset()

    _name, content = person_export_zip(person=anna.person, actor=management_client.user)

    tables = json.loads(_open(content).read("data.json"))["tables"]
    entry = AuditEntry.objects.get(action="klynge.privacy.person.exported")
    assert (entry.object_id, entry.actor, entry.data) == (
        str(anna.person.pk), management_client.user,
        {"tables": len(tables), "rows": sum(len(rows) for rows in tables.values())})
    assert sum(len(tables[t]) for t in TABLES) == 15


def test_the_member_can_export_their_own_data_as_actor(client):
    anna = anna_dataset()

    person_export_zip(person=anna.person, actor=anna.login)

    assert AuditEntry.objects.get(action="klynge.privacy.person.exported").actor == anna.login


def test_audit_entries_about_a_person_are_exactly_the_four_kinds(management_client):
    anna = anna_dataset()
    other = PersonFactory(first_name="Carl", email="carl@example.dk")
    person_update(person=other, actor=anna.staff, data={"notes": f"Colleague of {EMAIL}"})
    person_update(person=PersonFactory(), actor=anna.staff, data={"notes": "Unrelated"})
    AuditEntry.objects.create(actor=anna.login, action="klynge.portal.profile.viewed",
                              content_type=other_ct(other), object_id=str(other.pk),
                              object_repr="x", data={})

    about = list(audit_entries_about(anna.person).values_list("action", "object_id"))

    assert about == [
        ("klynge.portal.profile.viewed", str(other.pk)),
        ("klynge.ecosystem.person.updated", str(other.pk)),
        ("klynge.matchmaking.introduction.created", str(anna.introduction.pk)),
        ("klynge.privacy.consent.given", str(anna.person.pk)),
        ("klynge.ecosystem.person.created", str(anna.person.pk)),
    ]


def other_ct(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


def test_an_anonymised_person_has_nothing_left_to_export(management_client):
    anna = anna_dataset()
    person_erase(person=anna.person, actor=management_client.user, reason="Request")

    with pytest.raises(ApplicationError) as refused:
        person_export_zip(person=anna.person, actor=management_client.user)

    assert refused.value.message == "This person's data was erased; there is nothing to export."
    assert not AuditEntry.objects.filter(action="klynge.privacy.person.exported").exists()
