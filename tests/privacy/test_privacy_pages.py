"""The staff privacy pages: a person's privacy page (consents, export, erasure, the log), the
overview, the retention rules and a rule's dry run; who may do what."""

import csv
import io
import zipfile

import pytest
from django.utils import timezone

from klynge.core.models import AuditEntry
from klynge.ecosystem.models import Person
from klynge.privacy.models import RetentionRule
from klynge.privacy.services_erasure import person_erase
from tests.factories import PersonFactory
from tests.privacy.builders import EMAIL, anna_dataset

pytestmark = pytest.mark.django_db


def _old(name: str, email: str) -> Person:
    person = PersonFactory(first_name=name, last_name="Olsen", email=email)
    Person.objects.filter(pk=person.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=5 * 365))
    return person


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/privacy/", "/privacy/people/{pk}/", "/privacy/retention/",
    "/privacy/retention/{rule}/", "/privacy/retention/{rule}/dry-run/"])
def test_a_member_cannot_reach_the_staff_privacy_pages(member_client, url):
    person = PersonFactory()
    rule = RetentionRule.objects.get()

    response = member_client.get(url.format(pk=person.pk, rule=rule.pk))

    assert response.status_code == 403


def test_staff_see_the_person_page_but_may_not_export_or_erase(staff_client):
    person = PersonFactory(first_name="Carl", last_name="Nielsen")

    page = staff_client.get(f"/privacy/people/{person.pk}/")
    export = staff_client.post(f"/privacy/people/{person.pk}/export/")
    erase = staff_client.post(f"/privacy/people/{person.pk}/erase/",
                              {"reason": "x", "confirm": "on"})

    assert page.status_code == 200
    assert "Export all data" not in page.content.decode()
    assert "Exports and erasure are made by the cluster's management." in page.content.decode()
    assert (export.status_code, erase.status_code) == (403, 403)
    assert not AuditEntry.objects.filter(action__startswith="klynge.privacy.person.").exists()
    assert staff_client.get("/privacy/").status_code == 403


def test_the_person_detail_page_links_to_the_privacy_page(staff_client):
    person = PersonFactory()

    html = staff_client.get(f"/ecosystem/people/{person.pk}/").content.decode()

    assert f'href="/privacy/people/{person.pk}/"' in html


# --- export and erasure from the page ------------------------------------------------------


def test_a_manager_downloads_the_zip_and_the_export_shows_in_the_log(management_client):
    anna = anna_dataset()

    response = management_client.post(f"/privacy/people/{anna.person.pk}/export/")
    page = management_client.get(f"/privacy/people/{anna.person.pk}/").content.decode()

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="klynge-data-{anna.person.pk}-')
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names[:2] == ["README.txt", "data.json"]
    assert AuditEntry.objects.filter(action="klynge.privacy.person.exported",
                                     actor=management_client.user).count() == 1
    assert "Data exported" in page and "rows in" in page


def test_erasure_needs_the_confirmation_and_a_reason(management_client):
    anna = anna_dataset()

    response = management_client.post(f"/privacy/people/{anna.person.pk}/erase/",
                                      {"reason": "Request of 3 March"})

    assert response.status_code == 400
    assert "Tick the box to confirm that the erasure is final." in response.content.decode()
    anna.person.refresh_from_db()
    assert (anna.person.email, anna.person.erased_at) == (EMAIL, None)


def test_a_manager_erases_a_person_and_a_second_erasure_is_refused(management_client):
    anna = anna_dataset()
    url = f"/privacy/people/{anna.person.pk}/erase/"

    first = management_client.post(url, {"reason": "Request of 3 March", "confirm": "on"})
    second = management_client.post(url, {"reason": "Again", "confirm": "on"}, follow=True)

    anna.person.refresh_from_db()
    assert first.status_code == 302
    assert anna.person.full_name == "Anonymised person"
    html = second.content.decode()
    day = anna.person.erased_at.date().isoformat()
    assert f"This person was already anonymised on {day}; there is nothing left to erase." \
        in html
    assert "Request of 3 March" in html  # the log on the page
    assert AuditEntry.objects.filter(action="klynge.privacy.person.erased").count() == 1


# --- the overview --------------------------------------------------------------------------


def test_the_overview_counts_erasures_pending_retention_exports_and_consents(
        management_client):
    anna = anna_dataset()
    carl = PersonFactory(first_name="Carl")
    person_erase(person=carl, actor=management_client.user, reason="Request")
    management_client.post(f"/privacy/people/{anna.person.pk}/export/")
    _old("Dorte", "dorte@example.dk")
    RetentionRule.objects.create(name="All, 3 years", scope="all_people", is_active=True)

    response = management_client.get("/privacy/")

    context = response.context
    assert (context["erased"], context["pending"], context["exports_30_days"]) == (1, 1, 1)
    newsletter = next(row for row in context["consents"] if row["label"] == "Newsletter")
    assert (newsletter["given"], newsletter["withdrawn"]) == (1, 0)
    assert [e.action for e in context["listing"].rows] == [
        "klynge.privacy.person.exported", "klynge.privacy.person.erased"]


# --- retention pages -----------------------------------------------------------------------


def test_a_manager_adds_a_rule_and_a_bad_one_is_refused(management_client):
    good = management_client.post("/privacy/retention/", {
        "name": "Everyone, 4 years", "scope": "all_people", "inactive_months": "48",
        "action": "anonymise", "is_active": "on"})
    bad = management_client.post("/privacy/retention/", {
        "name": "Too short", "scope": "all_people", "inactive_months": "2",
        "action": "anonymise"})

    assert good.status_code == 302
    assert RetentionRule.objects.get(name="Everyone, 4 years").inactive_months == 48
    assert bad.status_code == 400
    assert not RetentionRule.objects.filter(name="Too short").exists()


def test_the_dry_run_page_lists_searches_and_exports_without_changing_anything(
        management_client):
    _old("Dorte", "dorte@example.dk")
    _old("Erik", "erik@example.dk")
    PersonFactory(first_name="Fresh")
    rule = RetentionRule.objects.create(name="All, 3 years", scope="all_people")
    url = f"/privacy/retention/{rule.pk}/dry-run/"

    listed = management_client.get(url)
    searched = management_client.get(url, {"q": "erik"})
    exported = management_client.get(url, {"format": "csv"})

    assert [p.first_name for p, _names in listed.context["rows"]] == ["Dorte", "Erik"]
    assert [p.first_name for p, _names in searched.context["rows"]] == ["Erik"]
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["Id", "Name", "E-mail", "Organisations", "Created"]
    assert [row[1:3] for row in rows[1:]] == [["Dorte Olsen", "dorte@example.dk"],
                                              ["Erik Olsen", "erik@example.dk"]]
    assert not Person.objects.filter(erased_at__isnull=False).exists()


def test_applying_a_rule_from_the_page_anonymises_the_listed_people(management_client):
    dorte = _old("Dorte", "dorte@example.dk")
    rule = RetentionRule.objects.create(name="All, 3 years", scope="all_people")

    response = management_client.post(f"/privacy/retention/{rule.pk}/apply/", follow=True)

    assert "1 person was anonymised by “All, 3 years”." in response.content.decode()
    dorte.refresh_from_db()
    assert (dorte.full_name, dorte.email) == ("Anonymised person",
                                              f"erased-{dorte.pk}@invalid.example")


def test_a_manager_switches_a_rule_on_in_its_edit_page(management_client):
    rule = RetentionRule.objects.get(name="Non-member contacts, 3 years")
    url = f"/privacy/retention/{rule.pk}/"

    page = management_client.get(url)
    saved = management_client.post(url, {
        "name": rule.name, "scope": rule.scope, "inactive_months": "36",
        "action": "anonymise", "is_active": "on", "description": rule.description})

    assert page.status_code == 200 and saved.status_code == 302
    rule.refresh_from_db()
    assert rule.is_active is True
    assert AuditEntry.objects.get(action="klynge.privacy.retention_rule.updated").data == {
        "changes": {"is_active": [False, True]}}
