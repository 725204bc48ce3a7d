"""The effect-measurement export: one row per company per activity, the CVR corrections,
the legal basis, the downloads and who may take them."""

import csv
import io
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.funding.models import Grant
from klynge.reports.effect import effect_export
from tests.factories import OrganisationFactory, PersonFactory
from tests.funding.factories import ActivityFactory, FundingFactory, KnowledgeGrantFactory
from tests.reports.exports_builders import came, held, sheet_names, sheet_rows, sign_in

pytestmark = pytest.mark.django_db

URL = reverse("reports:effect_export")
DOWNLOAD = reverse("reports:effect_export_download")


@dataclass
class Dataset:
    grant: object
    seminar: object
    workshop: object
    alpha: object
    beta: object
    sweden: object
    bad_cvr: object
    no_cvr: object


def dataset() -> Dataset:
    """Given a grant's two held activities in 2025 and what must stay out of the export."""
    grant = KnowledgeGrantFactory(code="UFS-T")
    seminar = held((2025, 3, 10), grant=grant, title="AI seminar")
    workshop = held((2025, 9, 2), grant=grant, title="IoT workshop")
    alpha = OrganisationFactory(name="Alpha ApS", cvr="12345674")
    beta = OrganisationFactory(name="Beta A/S")
    sweden = OrganisationFactory(name="Svensk AB", country="SE", cvr=None)
    bad_cvr = OrganisationFactory(name="Fejl ApS", cvr="12345678")
    no_cvr = OrganisationFactory(name="Uden CVR ApS", cvr=None)
    university = OrganisationFactory(name="Aarhus Universitet", kind="university", cvr=None)

    # two people of Alpha at the seminar: one came, one did not -> one row, attended
    came(seminar, alpha, attended=True)
    came(seminar, alpha, attended=False)
    # Alpha speaks at the workshop (attendance not marked: a speaker counts unless absent)
    # and a colleague takes part and is a no-show: one row with both roles
    came(workshop, alpha, role="speaker", attended=None)
    came(workshop, alpha, attended=False)
    came(seminar, beta, attended=False)                       # a no-show: attended no
    came(seminar, sweden, attended=True)                      # foreign: no CVR, listed
    came(seminar, bad_cvr, attended=True)                     # to correct
    came(workshop, no_cvr, attended=None)                     # to correct, not attended
    came(seminar, university, attended=True)                  # not a company
    came(seminar, OrganisationFactory(name="Aflyst ApS"), status="cancelled", attended=None)
    came(seminar, OrganisationFactory(name="Venter ApS"), status="waitlisted", attended=None)
    # out of scope: another grant, not held, another year
    came(held((2025, 4, 1), grant=KnowledgeGrantFactory()), OrganisationFactory(name="Other"))
    planned = ActivityFactory(status="open")
    FundingFactory(activity=planned, grant=grant)
    came(planned, OrganisationFactory(name="Planned ApS"), attended=None)
    came(held((2024, 11, 1), grant=grant), OrganisationFactory(name="Last year ApS"))
    return Dataset(grant, seminar, workshop, alpha, beta, sweden, bad_cvr, no_cvr)


def test_one_row_per_company_per_activity_with_attended_and_roles():
    data = dataset()

    export = effect_export(data.grant, 2025)

    assert [(r.cvr, r.company, r.country, r.activity_id, r.day, r.role_labels, r.attended)
            for r in export.rows] == [
        ("12345674", "Alpha ApS", "DK", data.seminar.pk, date(2025, 3, 10), "Participant", True),
        (data.beta.cvr, "Beta A/S", "DK", data.seminar.pk, date(2025, 3, 10), "Participant",
         False),
        ("", "Svensk AB", "SE", data.seminar.pk, date(2025, 3, 10), "Participant", True),
        ("12345674", "Alpha ApS", "DK", data.workshop.pk, date(2025, 9, 2),
         "Participant, Speaker", True),
    ]
    assert [(r.company, r.cvr, r.problem, r.activity_id, r.attended)
            for r in export.corrections] == [
        ("Fejl ApS", "12345678", "invalid", data.seminar.pk, True),
        ("Uden CVR ApS", "", "missing", data.workshop.pk, False),
    ]
    assert export.companies == 3
    assert export.activities == 2


def test_the_xlsx_has_the_rows_the_corrections_and_the_legal_basis(management_client):
    data = dataset()

    response = management_client.get(DOWNLOAD, {"grant": data.grant.pk, "year": 2025,
                                                "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="effect-UFS-T-2025.xlsx"'
    content = response.content
    assert sheet_names(content) == ["Participation", "CVR to correct", "About"]
    rows = sheet_rows(content, "Participation")
    assert rows[0] == ("CVR", "Company", "Country", "Activity id", "Activity", "Date", "Role",
                       "Attended")
    assert [row[:5] + row[6:] for row in rows[1:]] == [
        ("12345674", "Alpha ApS", "DK", data.seminar.pk, "AI seminar", "Participant", "yes"),
        (data.beta.cvr, "Beta A/S", "DK", data.seminar.pk, "AI seminar", "Participant", "no"),
        (None, "Svensk AB", "SE", data.seminar.pk, "AI seminar", "Participant", "yes"),
        ("12345674", "Alpha ApS", "DK", data.workshop.pk, "IoT workshop",
         "Participant, Speaker", "yes"),
    ]
    assert [row[5].date() for row in rows[1:]] == [date(2025, 3, 10)] * 3 + [date(2025, 9, 2)]
    corrections = sheet_rows(content, "CVR to correct")
    assert corrections[0] == ("Company", "CVR as recorded", "Problem", "Activity id", "Activity",
                              "Date", "Role", "Attended", "Correct it here")
    assert [(r[0], r[1], r[2], r[3], r[7], r[8]) for r in corrections[1:]] == [
        ("Fejl ApS", "12345678", "CVR number fails the check", data.seminar.pk, "yes",
         f"http://testserver/ecosystem/organisations/{data.bad_cvr.pk}/edit/"),
        ("Uden CVR ApS", None, "No CVR number", data.workshop.pk, "no",
         f"http://testserver/ecosystem/organisations/{data.no_cvr.pk}/edit/"),
    ]
    about = dict(sheet_rows(content, "About"))
    assert about["Grant"] == "UFS-T · Test UFS grant"
    assert about["Year"] == "2025"
    assert "GDPR art. 6(1)(c) and (e)" in about["Legal basis"]
    assert management_client.user.email in about["Generated by"]


def test_no_personal_names_or_emails_are_exported(management_client):
    data = dataset()
    person = PersonFactory(first_name="Hemmelig", email="hemmelig@alpha.dk")
    came(data.seminar, data.alpha, person=person)

    response = management_client.get(DOWNLOAD, {"grant": data.grant.pk, "year": 2025,
                                                "format": "csv"})

    text = response.content.decode("utf-8-sig")
    assert "Alpha ApS" in text
    assert "Hemmelig" not in text
    assert "@example.dk" not in text and "@alpha.dk" not in text


def test_the_csv_has_the_notes_then_a_section_per_table(management_client):
    data = dataset()

    response = management_client.get(DOWNLOAD, {"grant": data.grant.pk, "year": 2025,
                                                "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Report", "Effect-measurement export"]
    start = rows.index(["Participation"])
    assert rows[start + 1] == ["CVR", "Company", "Country", "Activity id", "Activity", "Date",
                               "Role", "Attended"]
    assert rows[start + 2] == ["12345674", "Alpha ApS", "DK", str(data.seminar.pk), "AI seminar",
                               "2025-03-10", "Participant", "yes"]
    assert rows[start + 6] == []
    assert rows[start + 7] == ["CVR to correct"]
    assert [row[0] for row in rows[start + 9:]] == ["Fejl ApS", "Uden CVR ApS"]


def test_every_download_is_logged_on_the_grant_with_who_took_it(client):
    data = dataset()
    sign_in(client, Role.GRANT_GIVER)

    client.get(DOWNLOAD, {"grant": data.grant.pk, "year": 2025, "format": "xlsx"})

    entry = AuditEntry.objects.get(action="klynge.reports.effect_export.downloaded")
    assert entry.content_type == ContentType.objects.get_for_model(data.grant)
    assert entry.object_id == str(data.grant.pk)
    assert entry.actor == client.user
    assert entry.data == {"year": 2025, "format": "xlsx", "rows": 4, "to_correct": 2}


def test_the_page_previews_the_counts_and_lists_what_to_correct(staff_client):
    data = dataset()

    response = staff_client.get(URL, {"grant": data.grant.pk, "year": 2025})

    assert response.status_code == 200
    export = response.context["export"]
    assert (len(export.rows), export.companies, len(export.companies_to_correct)) == (4, 3, 2)
    page = response.content.decode()
    assert reverse("ecosystem:organisation_edit", args=[data.bad_cvr.pk]) in page
    assert DOWNLOAD not in page  # staff preview, management and grant givers download
    assert not AuditEntry.objects.filter(action__startswith="klynge.reports.").exists()


def test_the_page_refuses_a_year_outside_the_grant(management_client):
    grant = KnowledgeGrantFactory(code="UFS-Y")

    response = management_client.get(URL, {"grant": grant.pk, "year": 2030})

    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        "UFS-Y runs from 2023 to 2026; choose a year in that period."]
    assert "export" not in response.context


def test_the_page_opens_on_the_newest_grant_at_its_nearest_year(management_client):
    grant = KnowledgeGrantFactory(period_start=date(2091, 1, 1), period_end=date(2094, 12, 31))

    response = management_client.get(URL)

    assert response.status_code == 200
    assert response.context["form"].cleaned_data["grant"] == grant
    assert response.context["form"].cleaned_data["year"] == 2091
    assert response.context["export"].rows == []


def test_the_page_says_so_when_there_are_no_grants(management_client):
    Grant.objects.all().delete()  # the seeded grants

    response = management_client.get(URL)

    assert response.status_code == 200
    assert "No grants are registered yet" in response.content.decode()


def test_an_invalid_download_request_goes_back_to_the_page(management_client):
    response = management_client.get(DOWNLOAD, {"grant": "999", "year": "2025"})

    assert response.status_code == 302
    assert response["Location"].startswith(URL)
    assert not AuditEntry.objects.filter(action__startswith="klynge.reports.").exists()


@pytest.mark.parametrize(("role", "page", "download"), [
    (Role.MEMBER, 403, 403),
    (Role.STAFF, 200, 403),
    (Role.MANAGEMENT, 200, 200),
    (Role.ADMINISTRATOR, 200, 200),
    (Role.GRANT_GIVER, 200, 200),
])
def test_who_may_see_and_download(client, role, page, download):
    grant = KnowledgeGrantFactory()
    sign_in(client, role)
    params = {"grant": grant.pk, "year": 2025}

    assert client.get(URL, params).status_code == page
    assert client.get(DOWNLOAD, {**params, "format": "xlsx"}).status_code == download
