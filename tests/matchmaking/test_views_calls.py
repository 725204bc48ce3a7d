"""The call pages: list (search, filters, sorting, pagination, export), the upload with a
result report, and a call's page with the organisations that fit it."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from klynge.ecosystem.models import Organisation
from klynge.matchmaking.models import (
    CallTopic,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
)
from klynge.matchmaking.views.consortia import builder_url
from tests.factories import OrganisationFactory
from tests.matchmaking.cordis_files import calls_layout_a, calls_layout_b

LIST = "/matchmaking/calls/"
IMPORT = "/matchmaking/calls/import/"


def calls():
    """An open Horizon call, an upcoming Digital one and a closed LIFE one."""
    today = timezone.localdate()
    return {
        "open": CallTopic.objects.create(
            identifier="HORIZON-CL4-2025-TWIN-02", title="AI for quality control",
            description="Computer vision and deep learning for quality control.",
            programme="HORIZON", opens_on=today - timedelta(days=10),
            deadline=today + timedelta(days=30), budget_min=Decimal("4000000"),
            budget_max=Decimal("6000000"), source="open.csv"),
        "upcoming": CallTopic.objects.create(
            identifier="DIGITAL-2027-AI-01", title="Testing facilities for AI",
            programme="DIGITAL", opens_on=today + timedelta(days=60),
            deadline=today + timedelta(days=200), source="upcoming.csv"),
        "closed": CallTopic.objects.create(
            identifier="LIFE-2024-CET", title="Clean energy transition", programme="LIFE",
            opens_on=today - timedelta(days=400), deadline=today - timedelta(days=100),
            source="open.csv"),
    }


def identifiers(response) -> list[str]:
    return [call.identifier for call, _status in response.context["calls"]]


def test_list_sorts_by_deadline_and_shows_the_status(staff_client):
    calls()

    response = staff_client.get(LIST)

    assert response.status_code == 200
    assert identifiers(response) == ["LIFE-2024-CET", "HORIZON-CL4-2025-TWIN-02",
                                     "DIGITAL-2027-AI-01"]
    assert [status for _call, status in response.context["calls"]] == [
        "closed", "open", "upcoming"]
    page = response.content.decode()
    assert "Deadline passed" in page and "Opens later" in page
    assert "4,000,000 – 6,000,000" in page


def test_list_filters_and_sorting(staff_client):
    given = calls()
    today = timezone.localdate()

    assert identifiers(staff_client.get(LIST, {"q": "deep learning"})) == [
        "HORIZON-CL4-2025-TWIN-02"]
    assert identifiers(staff_client.get(LIST, {"programme": "DIGITAL"})) == [
        "DIGITAL-2027-AI-01"]
    assert identifiers(staff_client.get(LIST, {"status": "open"})) == [
        "HORIZON-CL4-2025-TWIN-02"]
    assert identifiers(staff_client.get(LIST, {"status": "upcoming"})) == [
        "DIGITAL-2027-AI-01"]
    assert identifiers(staff_client.get(LIST, {"status": "closed"})) == ["LIFE-2024-CET"]
    assert identifiers(staff_client.get(LIST, {
        "deadline_from": (today - timedelta(days=1)).isoformat(),
        "deadline_to": (today + timedelta(days=31)).isoformat()})) == [given["open"].identifier]
    assert identifiers(staff_client.get(LIST, {"ordering": "title"})) == [
        "HORIZON-CL4-2025-TWIN-02", "LIFE-2024-CET", "DIGITAL-2027-AI-01"]
    assert identifiers(staff_client.get(LIST, {"ordering": "-identifier"})) == [
        "LIFE-2024-CET", "HORIZON-CL4-2025-TWIN-02", "DIGITAL-2027-AI-01"]


def test_list_paginates(staff_client):
    for n in range(30):
        CallTopic.objects.create(identifier=f"HORIZON-{n:02d}", title=f"Topic {n}",
                                 programme="HORIZON")

    response = staff_client.get(LIST, {"per_page": 25, "page": 2, "ordering": "identifier"})

    assert identifiers(response) == [f"HORIZON-{n:02d}" for n in range(25, 30)]
    assert "30 results" in response.content.decode()


def test_export_csv_and_xlsx_of_the_filtered_list(staff_client):
    calls()

    response = staff_client.get(LIST, {"programme": "HORIZON", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["identifier", "title", "programme", "type_of_action", "opens",
                       "deadline", "budget_from_eur", "budget_up_to_eur", "status",
                       "imported_from"]
    assert [row[0] for row in rows[1:]] == ["HORIZON-CL4-2025-TWIN-02"]

    response = staff_client.get(LIST, {"status": "closed", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 2
    assert values[1][0] == "LIFE-2024-CET"
    assert values[1][2] == "LIFE"
    assert values[1][8] == "Deadline passed"


def test_empty_list_links_to_the_import(staff_client):
    response = staff_client.get(LIST)

    page = response.content.decode()
    assert "No call topics yet." in page
    assert f'href="{IMPORT}"' in page


def test_filters_that_match_nothing_say_so(staff_client):
    calls()

    response = staff_client.get(LIST, {"q": "aquaculture"})

    assert "No call topics match these filters." in response.content.decode()


def test_upload_imports_the_good_rows_and_lists_the_bad_ones(staff_client):
    # given two exports: the usual layout gzipped, the other with a BOM, a bad row each
    files = [SimpleUploadedFile("open.csv.gz", calls_layout_a()),
             SimpleUploadedFile("CL3.csv", calls_layout_b())]

    # when staff upload them
    response = staff_client.post(IMPORT, {"files": files})

    # then the good rows are imported and the bad rows are listed by line and column
    assert response.status_code == 200
    assert CallTopic.objects.count() == 3
    report = response.context["report"]
    assert [(b["file"], b["line"], b["column"]) for b in report["bad"]] == [
        ("open.csv.gz", 4, "deadline"), ("CL3.csv", 3, "title")]
    page = response.content.decode()
    assert "3 call topics read: 3 added, 0 updated, 0 unchanged." in page
    assert "&#x27;20 May 2025&#x27; is not a date." in page
    assert re.search(r"<td>CL3.csv</td><td>3</td><td>title</td>", page)


def test_upload_refuses_other_files(staff_client):
    response = staff_client.post(IMPORT, {"files": [
        SimpleUploadedFile("calls.xlsx", b"PK\x03\x04")]})

    assert response.context["form"].errors["files"] == ["calls.xlsx is not a .csv or .csv.gz "
                                                        "file."]
    assert CallTopic.objects.count() == 0


def test_upload_of_a_csv_that_is_not_an_export_says_why(staff_client):
    response = staff_client.post(IMPORT, {"files": [
        SimpleUploadedFile("people.csv", b"name,email\nAnna,anna@example.com\n")]})

    assert response.context["form"].errors["files"] == [
        "people.csv has no identifier / title column; is it a Funding & Tenders export?"]


def cluster():
    """Registry organisations with texts, and a French lab known only from CORDIS."""
    vision = OrganisationFactory(
        name="Vision Robotics ApS", competences="Computer vision for quality control")
    uni = OrganisationFactory(
        name="Aalborg University", kind="university",
        competences="Computer vision, deep learning and quality control in manufacturing")
    OrganisationFactory(name="Bakery ApS", competences="Bread and cakes")
    lab = CordisOrganisation.objects.create(cordis_id="900000002", name="Institut Lumière",
                                            kind="research", country="FR", city="Lyon")
    project = CordisProject.objects.create(
        cordis_id="101000001", acronym="VISION",
        topic_title="Deep learning for quality control", labels=["computer vision"])
    CordisParticipation.objects.create(project=project, cordis_organisation=lab,
                                       role="coordinator")
    return {"vision": vision, "uni": uni, "lab": lab}


def suggested(response) -> list[str]:
    return [s.name for s in response.context["suggestions"]]


def test_detail_shows_the_call_and_the_organisations_that_fit(staff_client):
    given = calls()
    cluster()

    response = staff_client.get(f"/matchmaking/calls/{given['open'].pk}/")

    assert response.status_code == 200
    assert suggested(response) == ["Institut Lumière", "Aalborg University",
                                   "Vision Robotics ApS"]
    first = response.context["suggestions"][0]
    assert [r.text for r in first.reasons] == [
        "Shared topics: control computer, quality control, deep learning, computer vision",
        "1 project on record"]
    assert [r.contribution for r in first.reasons] == sorted(
        (r.contribution for r in first.reasons), reverse=True)
    page = response.content.decode()
    assert "Computer vision and deep learning for quality control." in page
    assert f'action="/matchmaking/cordis/{response.context["suggestions"][0].cordis.pk}/add/"' \
        in page
    assert f'href="/matchmaking/calls/{given["open"].pk}/consortium/"' in page


def test_detail_with_a_lead_kinds_and_without_cordis(staff_client):
    given = calls()
    orgs = cluster()

    response = staff_client.get(f"/matchmaking/calls/{given['open'].pk}/", {
        "lead": f"Vision Robotics ApS [#{orgs['vision'].pk}]", "kinds": ["research",
                                                                        "higher_education"],
        "external": "no"})

    assert suggested(response) == ["Aalborg University"]
    assert response.context["lead"] == orgs["vision"]
    # and "Build a consortium" opens the builder with this lead chosen
    link = builder_url(given["open"], orgs["vision"])
    assert f'href="{link}"' in response.content.decode()
    builder = staff_client.get(link)
    assert builder.context["form"].cleaned_data["lead"] == orgs["vision"]


def test_add_to_registry_from_the_call_page(staff_client):
    orgs = cluster()

    response = staff_client.post(f"/matchmaking/cordis/{orgs['lab'].pk}/add/")

    added = Organisation.objects.get(name="Institut Lumière")
    assert response.status_code == 302
    assert response["Location"] == added.get_absolute_url()
    assert (added.country, added.city) == ("FR", "Lyon")
    orgs["lab"].refresh_from_db()
    assert orgs["lab"].organisation == added


def test_members_may_not_see_calls(member_client):
    assert member_client.get(LIST).status_code == 403
    assert member_client.get(IMPORT).status_code == 403
