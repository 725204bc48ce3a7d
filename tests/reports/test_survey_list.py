"""The participant list for the grant givers' survey: unique organisations, one consenting
contact each, and never a person without consent."""

import csv
import io
from dataclasses import dataclass

import pytest
from django.urls import reverse

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.kpis.domain.counting import Period
from klynge.privacy.services import consent_give, consent_withdraw
from klynge.reports.survey_list import survey_participants
from tests.factories import OrganisationFactory, PersonFactory
from tests.reports.exports_builders import came, held, sheet_rows, sign_in

pytestmark = pytest.mark.django_db

URL = reverse("reports:survey_participants")
DOWNLOAD = reverse("reports:survey_participants_download")
SHARING = "grant_giver_sharing"
YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


def consent(person):
    consent_give(person=person, purpose=SHARING, source="staff")
    return person


@dataclass
class Dataset:
    alpha: object
    beta: object
    university: object
    secret: object
    frequent: object
    once: object
    withdrawn: object


def dataset() -> Dataset:
    first, second, third = held((2025, 2, 1)), held((2025, 5, 1)), held((2025, 8, 1))
    alpha = OrganisationFactory(name="Alpha ApS")
    beta = OrganisationFactory(name="Beta ApS")
    university = OrganisationFactory(name="Aarhus Universitet", kind="university", cvr=None)
    # Alpha: the most frequent attendee has no consent; of the consenting ones the one who
    # came twice is the contact; a withdrawn consent does not count
    secret = PersonFactory(first_name="Hemmelig", last_name="Person", email="secret@alpha.dk")
    frequent = consent(PersonFactory(first_name="Frida", last_name="Ofte",
                                     email="frida@alpha.dk"))
    once = consent(PersonFactory(first_name="Ole", last_name="Engang", email="ole@alpha.dk"))
    withdrawn = consent(PersonFactory(first_name="Wilma", email="wilma@alpha.dk"))
    consent_withdraw(person=withdrawn, purpose=SHARING, source="staff")
    for activity in (first, second, third):
        came(activity, alpha, person=secret)
        came(activity, alpha, person=withdrawn)
    came(first, alpha, person=frequent)
    came(second, alpha, person=frequent)
    came(third, alpha, person=once)
    # Beta: its only attendee has not consented (consented to something else)
    beta_person = PersonFactory(first_name="Bent", email="bent@beta.dk")
    consent_give(person=beta_person, purpose="newsletter", source="staff")
    came(first, beta, person=beta_person)
    came(second, university, person=consent(PersonFactory(first_name="Ulla",
                                                           last_name="Forsker",
                                                           email="ulla@au.dk")))
    # not taking part: a no-show, a public actor, an activity of another year, one not held
    came(first, OrganisationFactory(name="No-show ApS"), person=consent(PersonFactory()),
         attended=False)
    came(first, OrganisationFactory(name="Kommune", kind="public", cvr=None),
         person=consent(PersonFactory()))
    came(held((2024, 6, 1)), OrganisationFactory(name="Last year ApS"),
         person=consent(PersonFactory()))
    return Dataset(alpha, beta, university, secret, frequent, once, withdrawn)


def test_one_row_per_organisation_with_one_consenting_contact():
    data = dataset()

    survey = survey_participants(Period.year(2025))

    assert [(r.name, r.cvr, r.participations, r.attendees,
             r.contact.email if r.contact else None) for r in survey.rows] == [
        ("Alpha ApS", data.alpha.cvr, 9, 4, "frida@alpha.dk"),
        ("Beta ApS", data.beta.cvr, 1, 1, None),
        ("Aarhus Universitet", "", 1, 1, "ulla@au.dk"),
    ]
    assert (survey.companies, survey.knowledge_institutions, survey.without_contact) == (2, 1, 1)


def test_a_tie_goes_to_the_most_recent_participation():
    first, second = held((2025, 2, 1)), held((2025, 6, 1))
    alpha = OrganisationFactory(name="Alpha ApS")
    came(first, alpha, person=consent(PersonFactory(email="early@alpha.dk")))
    came(second, alpha, person=consent(PersonFactory(email="late@alpha.dk")))

    survey = survey_participants(Period.year(2025))

    assert survey.rows[0].contact.email == "late@alpha.dk"


def test_the_xlsx_lists_contacts_and_never_a_person_without_consent(management_client):
    data = dataset()

    response = management_client.get(DOWNLOAD, {**YEAR, "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="survey-participants-20250101-20251231.xlsx"')
    rows = sheet_rows(response.content, "Survey participants")
    assert rows == [
        ("Type", "CVR", "Organisation", "Country", "Contact person", "Contact e-mail",
         "Attended participations", "Note"),
        ("Company", data.alpha.cvr, "Alpha ApS", "DK", "Frida Ofte", "frida@alpha.dk", 9, None),
        ("Company", data.beta.cvr, "Beta ApS", "DK", None, None, 1,
         "No attendee has consented to sharing with grant givers"),
        ("University", None, "Aarhus Universitet", "DK", "Ulla Forsker", "ulla@au.dk", 1, None),
    ]
    every_cell = " ".join(str(cell) for row in rows for cell in row)
    for leaked in ("secret@alpha.dk", "Hemmelig", "wilma@alpha.dk", "bent@beta.dk"):
        assert leaked not in every_cell


def test_the_csv_and_the_page_never_show_a_person_without_consent(management_client):
    dataset()

    download = management_client.get(DOWNLOAD, {**YEAR, "format": "csv"})
    page = management_client.get(URL, YEAR)

    text = download.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Company", rows[rows.index(["Survey participants"]) + 2][1], "Alpha ApS", "DK",
            "Frida Ofte", "frida@alpha.dk", "9", ""] in rows
    html = page.content.decode()
    assert "frida@alpha.dk" in html
    for leaked in ("secret@alpha.dk", "Hemmelig", "wilma@alpha.dk", "bent@beta.dk"):
        assert leaked not in text
        assert leaked not in html


def test_every_download_is_logged_with_who_took_it(client):
    dataset()
    sign_in(client, Role.GRANT_GIVER)

    client.get(DOWNLOAD, {**YEAR, "format": "csv"})

    entry = AuditEntry.objects.get(action="klynge.reports.survey_participants.downloaded")
    assert entry.actor == client.user
    assert entry.object_id == str(client.user.pk)
    assert entry.data == {"start": "2025-01-01", "end": "2025-12-31", "format": "csv",
                          "organisations": 3, "without_contact": 1}


def test_the_page_opens_on_the_last_full_year(management_client):
    response = management_client.get(URL)

    assert response.status_code == 200
    period = response.context["survey"].period
    assert (period.start.month, period.start.day, period.end.month, period.end.day) == (
        1, 1, 12, 31)
    assert "No companies or knowledge institutions took part" in response.content.decode()


def test_a_period_that_ends_before_it_starts_is_refused(management_client):
    response = management_client.get(URL, {"start": "2025-12-31", "end": "2025-01-01"})

    assert response.context["form"].errors["end"] == [
        "The period must end on or after its first day."]
    assert "survey" not in response.context


@pytest.mark.parametrize(("role", "page", "download"), [
    (Role.MEMBER, 403, 403),
    (Role.STAFF, 200, 403),
    (Role.MANAGEMENT, 200, 200),
    (Role.ADMINISTRATOR, 200, 200),
    (Role.GRANT_GIVER, 200, 200),
])
def test_who_may_see_and_download(client, role, page, download):
    sign_in(client, role)

    assert client.get(URL, YEAR).status_code == page
    assert client.get(DOWNLOAD, {**YEAR, "format": "xlsx"}).status_code == download


def test_the_team_gets_links_into_the_registry_and_a_grant_giver_does_not(client):
    data = dataset()
    link = reverse("ecosystem:organisation_detail", args=[data.alpha.pk])

    sign_in(client, Role.MANAGEMENT)
    team_page = client.get(URL, YEAR).content.decode()
    sign_in(client, Role.GRANT_GIVER)
    giver_page = client.get(URL, YEAR).content.decode()

    assert link in team_page
    assert link not in giver_page
    assert "frida@alpha.dk" in giver_page
