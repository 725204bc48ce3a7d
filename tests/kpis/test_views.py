"""The KPI pages: figures for a small hand-built dataset, the period chooser, drill-downs and
their exports, participants, freezing and the difference after later edits, permissions."""

import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from klynge.activities.choices import ActivityType
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.kpis.models import KpiSnapshot
from klynge.projects.choices import OutcomeKind, ProjectKind
from tests.activities.factories import ActivityFundingFactory, GrantFactory, GrantGiverFactory
from tests.factories import HubFactory, PersonFactory, user_with_role
from tests.kpis.factories import (
    ProjectOutcomeFactory,
    cluster,
    company,
    foreign_company,
    held,
    member,
    project_with,
    took_part,
    university,
    yes,
)

pytestmark = pytest.mark.django_db

YEAR_2025 = "/kpis/?year=2025"


@dataclass
class Dataset:
    aarhus: object
    odense: object
    alpha: object
    beta: object
    gamma: object
    uni: object
    nordic: object
    ufs: object
    deb: object
    seminar: object


def small_dataset() -> Dataset:
    """2025 in a small cluster, each figure computed by hand in the comments.

    Paying members on 31 Dec 2025: Alpha, Beta, Uni (Gamma left on 30 June) → KPI 7 = 3.
    KPI 1: Alpha said yes twice (two people) → 1 of 3 = 33.3 %; Gamma's yes does not count.
    KPI 2: one activity co-organised by another cluster → 1.  KPI 3: Beta → 1.
    KPI 4: Alpha and the Swedish Nordic AB in one EU application (Uni is no company) → 2.
    KPI 5: one project with a commercial outcome → 1.  KPI 6: Beta → 1.
    Attended: Alpha (2 people), Uni (1) at the seminar; Beta's one person at two activities;
    Nordic's person was a no-show → 4 people, 3 organisations.
    """
    aarhus = HubFactory(name="Hub Aarhus")
    odense = HubFactory(name="Hub Odense", city="Odense", region="syddanmark")
    alpha = member(company(name="Alpha ApS", hub=aarhus, is_startup=True))
    beta = member(company(name="Beta A/S", hub=odense, employee_band="250+",
                          region="syddanmark", postcode="5000"))
    gamma = member(company(name="Gamma ApS", hub=aarhus), end=date(2025, 6, 30))
    uni = member(university(name="Aarhus Universitet", hub=aarhus))
    nordic = foreign_company(name="Nordic AB")
    other = cluster(name="Energy Cluster Denmark")

    yes(alpha, "innovation_started", date(2025, 3, 1))
    yes(alpha, "knowledge_gained", date(2025, 4, 1))
    yes(gamma, "innovation_started", date(2025, 3, 1))

    ufs = GrantFactory(code="UFS", period_start=date(2021, 1, 1), period_end=date(2028, 12, 31))
    deb = GrantFactory(code="DEB", giver=GrantGiverFactory(short_name="DEB"), kind="business",
                       period_start=date(2021, 1, 1), period_end=date(2028, 12, 31))
    seminar = held(date(2025, 2, 2), title="AI seminar", hub=aarhus)
    ActivityFundingFactory(activity=seminar, grant=ufs, share=Decimal("100"))
    first, second = PersonFactory(), PersonFactory()
    took_part(seminar, alpha, first)
    took_part(seminar, alpha, second)
    took_part(seminar, uni)
    took_part(seminar, nordic, attended=False)

    meetup = held(date(2025, 4, 10), title="Cluster meetup", hub=odense, co_organisers=[other])
    ActivityFundingFactory(activity=meetup, grant=ufs, share=Decimal("50"))
    ActivityFundingFactory(activity=meetup, grant=deb, share=Decimal("50"))
    beta_person = PersonFactory()
    took_part(meetup, beta, beta_person)

    mission = held(date(2025, 5, 5), title="Trade mission Hamburg", hub=odense,
                   type=ActivityType.INTERNATIONALISATION)
    took_part(mission, beta, beta_person)
    yes(beta, "international_visibility", date(2025, 5, 20), activity=mission)
    yes(beta, "green_contacts", date(2025, 9, 1))

    project_with(alpha, nordic, uni, kind=ProjectKind.EU_APPLICATION,
                 title="DIGI-GREEN", submitted_on=date(2025, 3, 1))
    robot = project_with(alpha, uni, title="Robot pilot")
    ProjectOutcomeFactory(project=robot, kind=OutcomeKind.COMMERCIAL_USE,
                          date=date(2025, 6, 1), description="Licence sold")
    return Dataset(aarhus, odense, alpha, beta, gamma, uni, nordic, ufs, deb, seminar)


def row_of(html: str, number: int) -> str:
    """The table row of indicator `number` on the KPI page, tags removed, spaces squeezed."""
    start = html.index(f'id="kpi-{number}"')
    row = html[start:html.index("</tr>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


# --- the KPI page -----------------------------------------------------------------------------


def test_kpi_page_shows_each_figure_target_and_progress_for_2025(staff_client):
    small_dataset()

    html = staff_client.get(YEAR_2025).content.decode()

    one = row_of(html, 1)
    assert "33.3 %" in one and "1 of 3 members" in one
    assert "at least 35 %" in one and "Near the target: 95 % of it" in one
    assert "How it is counted" in one and "paying membership on the last day" in one
    assert re.search(r"\b1\b", row_of(html, 2).split("Collaborations with other clusters")[1])
    assert " 2 " in row_of(html, 4) and "Behind" in row_of(html, 4)
    seven = row_of(html, 7)
    assert " 3 " in seven and "650" in seven and "Behind" in seven
    assert "Figures for 2025." in html
    assert 'href="/kpis/kpi/4/?year=2025"' in html


def test_flow_rows_show_the_figure_since_the_programme_start(staff_client):
    project_with(company(name="Early ApS"), kind=ProjectKind.EU_APPLICATION,
                 submitted_on=date(2023, 5, 1))
    project_with(company(name="Mid ApS"), kind=ProjectKind.EU_APPLICATION,
                 submitted_on=date(2024, 3, 1))

    response = staff_client.get("/kpis/?kind=custom&start=2024-01-01&end=2024-06-30")

    four = row_of(response.content.decode(), 4)
    assert re.search(r"Companies taking part.* 1 Since the programme.s start \([0-9/.]+2021\): 2 ",
                     four)
    row = response.context["lines"][3].row
    assert (row.figure.value, row.cumulative.value) == (1, 2)
    assert "45" in four  # the 2024 target, compared with the cumulative 2


def test_current_year_defaults_to_year_to_date_and_says_so(staff_client, monkeypatch):
    small_dataset()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2025, 6, 15))

    html = staff_client.get("/kpis/").content.decode()

    assert "2025, year to date (Jan. 1, 2025 – June 15, 2025)" in html
    assert "counted up to and including today" in html
    assert " 4 " in row_of(html, 7)  # Gamma is still a member on 15 June


def test_a_whole_programme_period_is_a_period(staff_client):
    small_dataset()
    from klynge.kpis.models import TargetPeriod

    programme = TargetPeriod.objects.get(name="2021–2024")

    html = staff_client.get(f"/kpis/?programme={programme.pk}").content.decode()

    assert "2021–2024 (Jan. 1, 2021 – Dec. 31, 2024)" in html
    assert "Target 2024" in html
    assert "800–1000" in row_of(html, 7)


@pytest.mark.parametrize(("query", "message"), [
    ("year=2050", "2050 has not started yet"),
    ("kind=custom&start=2025-05-01&end=2025-01-01",
     "The last day must be on or after the first day."),
    ("kind=custom&start=2025-01-01", "Give the last day of the period."),
    ("kind=custom&start=2999-01-01&end=2999-02-01", "The period has not started yet"),
    ("kind=programme", "Choose a programme period."),
    ("kind=custom&start=not-a-date&end=2025-01-01", "Enter a valid date."),
])
def test_an_invalid_period_is_refused_with_a_clear_message(staff_client, query, message):
    html = staff_client.get(f"/kpis/?{query}").content.decode()

    assert message in html
    assert "The period could not be used, so this year to date is shown." in html


# --- drill-down -------------------------------------------------------------------------------


def test_drilldown_lists_exactly_the_companies_that_count_with_their_evidence(staff_client):
    small_dataset()

    response = staff_client.get("/kpis/kpi/4/?year=2025")
    html = response.content.decode()

    assert "Companies in EU applications" in html and "partners in at least one EU" in html
    assert "Alpha ApS" in html and "Nordic AB" in html
    assert "Aarhus Universitet" not in html
    assert "DIGI-GREEN" in html
    assert [row.label for row in response.context["listing"].rows] == ["Alpha ApS", "Nordic AB"]


def test_drilldown_search_narrows_the_rows(staff_client):
    small_dataset()

    response = staff_client.get("/kpis/kpi/4/?year=2025&q=nordic")

    assert [row.label for row in response.context["listing"].rows] == ["Nordic AB"]
    assert staff_client.get("/kpis/kpi/4/?year=2025&q=zzz").context["listing"].total == 0


def test_drilldown_of_kpi_1_shows_the_answers_and_leaves_out_a_former_member(staff_client):
    small_dataset()

    response = staff_client.get("/kpis/kpi/1/?year=2025")

    rows = response.context["listing"].rows
    assert [row.label for row in rows] == ["Alpha ApS"]
    assert len(rows[0].evidence) == 2
    assert "Gamma ApS" not in response.content.decode()


def test_drilldown_xlsx_export_holds_the_rows_and_evidence(staff_client):
    small_dataset()

    response = staff_client.get("/kpis/kpi/4/?year=2025&format=xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Indicator", "Period", "Counted as", "Name")
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("4. Companies in EU applications", "2025", "Alpha ApS"),
        ("4. Companies in EU applications", "2025", "Nordic AB"),
    ]
    assert rows[1][2].startswith("cvr:") and rows[2][2].startswith("org:")
    assert all("DIGI-GREEN" in r[7] and "Submitted" in r[7] for r in rows[1:])
    assert rows[1][5].startswith("http://testserver/ecosystem/")


def test_drilldown_csv_export_of_commercial_use(staff_client):
    small_dataset()

    response = staff_client.get("/kpis/kpi/5/?year=2025&format=csv")

    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2
    assert "Robot pilot" in lines[1] and "Licence sold" in lines[1]
    assert "2025-06-01" in lines[1]


def test_an_unknown_indicator_is_not_found(staff_client):
    assert staff_client.get("/kpis/kpi/8/").status_code == 404


# --- participants -----------------------------------------------------------------------------


def _table(response, slug):
    return {row[0]: row[1:] for table in response.context["tables"] if table.slug == slug
            for row in table.rows}


def test_participants_page_counts_unique_people_and_organisations(management_client):
    small_dataset()

    response = management_client.get("/kpis/participants/?year=2025")

    assert _table(response, "summary") == {
        "People": (4,), "Organisations": (3,), "Companies (once per CVR number)": (2,),
        "Knowledge institutions": (1,), "Startups": (1,),
    }
    assert _table(response, "size") == {"Large company": (1,), "SME": (1,)}
    assert _table(response, "region") == {"Central Denmark Region": (2,),
                                          "Region of Southern Denmark": (1,)}
    assert _table(response, "hub") == {"Hub Aarhus": (2,), "Hub Odense": (1,)}
    assert _table(response, "grant") == {"UFS": (2, Decimal("1.50")),
                                         "DEB": (1, Decimal("0.50")),
                                         "No grant": (1, 1)}
    assert _table(response, "churn") == {"2025": (4, 0, 1, 3, "25.0 %")}
    members = _table(response, "members")
    assert list(members.values())[5] == (4,) and list(members.values())[6] == (3,)
    assert "Hub Aarhus" in response.content.decode()


def test_staff_see_their_own_hub_by_default_and_may_choose_the_whole_cluster(client):
    data = small_dataset()
    staff = user_with_role(Role.STAFF, hub=data.aarhus)
    client.force_login(staff)

    own = client.get("/kpis/participants/?year=2025")
    whole = client.get("/kpis/participants/?year=2025&hub=")

    assert own.context["hubs"].hub == data.aarhus
    assert _table(own, "summary")["Organisations"] == (2,)
    assert _table(own, "activities")["Activities held"] == (1,)
    assert "Your own hub is shown by default." in own.content.decode()
    assert _table(whole, "summary")["Organisations"] == (3,)


def test_participants_xlsx_export_has_every_figure(management_client):
    small_dataset()

    response = management_client.get("/kpis/participants/?year=2025&hub=&format=xlsx")

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Period", "Hub", "Table", "Row", "Column", "Value")
    assert ("2025", "All hubs", "Unique participants", "People", "Number", 4) in rows
    assert ("2025", "All hubs", "Activities by grant", "UFS", "Weighted by share", 1.5) in rows
    assert ("2025", "All hubs", "Membership churn per year", "2025", "Left", 1) in rows


# --- freezing ---------------------------------------------------------------------------------


def _freeze(client, note="Status report 2025"):
    return client.post("/kpis/snapshots/freeze/", {"start": "2025-01-01", "end": "2025-12-31",
                                                   "note": note}, follow=True)


def test_freeze_keeps_the_figures_and_a_second_freeze_is_refused(management_client):
    small_dataset()

    first = _freeze(management_client)
    second = _freeze(management_client, note="again")

    snapshot = KpiSnapshot.objects.get()
    assert snapshot.figures["paying_members"]["value"] == "3"
    assert snapshot.note == "Status report 2025"
    assert snapshot.frozen_by == management_client.user
    assert "The figures for 2025 are frozen." in first.content.decode()
    assert "The figures for 2025 are already frozen." in second.content.decode()
    assert KpiSnapshot.objects.count() == 1
    assert AuditEntry.objects.filter(action="klynge.kpis.snapshot.frozen").count() == 1


def test_after_a_later_edit_the_page_shows_frozen_current_and_what_changed(management_client):
    small_dataset()
    _freeze(management_client)
    member(company(name="Newcomer ApS"), start=date(2025, 11, 1))

    response = management_client.get(YEAR_2025)
    html = response.content.decode()

    seven = row_of(html, 7)
    assert re.search(r"\b3\b.*\b4\b.*\+1", seven)
    assert "Added since freezing: Newcomer ApS" in seven
    assert "These figures were frozen on" in html and "Status report 2025" in html
    assert "Freeze these figures" not in html
    line = response.context["lines"][6]
    assert (line.frozen.value, line.row.figure.value, line.change.delta) == (3, 4, 1)
    assert "unchanged" in row_of(html, 2)


def test_snapshot_list_links_to_the_frozen_period(management_client):
    small_dataset()
    _freeze(management_client)

    html = management_client.get("/kpis/snapshots/").content.decode()

    assert 'href="/kpis/?year=2025"' in html and "Status report 2025" in html


def test_a_period_ending_in_the_future_cannot_be_frozen(management_client):
    response = management_client.post("/kpis/snapshots/freeze/", {
        "start": "2999-01-01", "end": "2999-12-31"}, follow=True)

    assert "Only figures up to today can be frozen." in response.content.decode()
    assert not KpiSnapshot.objects.exists()


# --- who may do what --------------------------------------------------------------------------


def test_staff_see_the_kpis_but_neither_freeze_nor_the_freeze_form(staff_client):
    html = staff_client.get(YEAR_2025).content.decode()

    assert "Freeze these figures" not in html
    response = staff_client.post("/kpis/snapshots/freeze/", {"start": "2025-01-01",
                                                            "end": "2025-12-31"})
    assert response.status_code == 403
    assert not KpiSnapshot.objects.exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.GRANT_GIVER])
@pytest.mark.parametrize("url", ["/kpis/", "/kpis/kpi/1/", "/kpis/participants/",
                                 "/kpis/dashboard/", "/kpis/snapshots/", "/kpis/targets/"])
def test_members_and_grant_givers_never_see_the_kpi_pages(client, role, url):
    client.force_login(user_with_role(role))

    assert client.get(url).status_code == 403


def test_management_sees_the_kpi_panel_on_the_overview(management_client):
    small_dataset()

    html = management_client.get("/").content.decode()

    assert 'id="kpi-panel"' in html and "7. Paying members" in html


def test_staff_get_no_kpi_panel(staff_client):
    assert 'id="kpi-panel"' not in staff_client.get("/").content.decode()


def test_participants_page_shows_the_frozen_participants_beside_the_current(management_client):
    data = small_dataset()
    _freeze(management_client)
    took_part(data.seminar, data.nordic)

    response = management_client.get("/kpis/participants/?year=2025&hub=")

    assert dict(response.context["frozen"])["Organisations"] == 3
    assert _table(response, "summary")["Organisations"] == (4,)
    assert 'id="frozen-participants"' in response.content.decode()


def test_drilldown_sorts_by_name_or_first_evidence(staff_client):
    small_dataset()
    late = company(name="Aaron Late ApS")
    project_with(late, kind=ProjectKind.EU_APPLICATION, submitted_on=date(2025, 11, 1))

    by_name = staff_client.get("/kpis/kpi/4/?year=2025&ordering=-label")
    by_date = staff_client.get("/kpis/kpi/4/?year=2025&ordering=-evidence")

    assert [r.label for r in by_name.context["listing"].rows] == [
        "Nordic AB", "Alpha ApS", "Aaron Late ApS"]
    assert [r.label for r in by_date.context["listing"].rows][0] == "Aaron Late ApS"


def test_a_member_that_left_after_freezing_is_listed_as_removed(management_client):
    data = small_dataset()
    _freeze(management_client)
    data.beta.memberships.update(end_date=date(2025, 10, 31))

    html = management_client.get(YEAR_2025).content.decode()

    seven = row_of(html, 7)
    assert re.search(r"\b3\b.*\b2\b.*-1", seven)
    assert "Removed since freezing: Beta A/S" in seven
    assert "Added since freezing" not in seven
