"""The suggestion pages: a need, an organisation's partners by purpose, the panel, the menu."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from klynge.core.roles import Role
from klynge.matchmaking.models import (
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
    Introduction,
)
from tests.factories import FocusAreaFactory, OrganisationFactory, user_with_role

HOME = "/matchmaking/"
EMPTY_NEED = ("Describe the need first: what should the partner know or do? For example "
              "“computer vision for quality control in food production”.")
THIN_HINT = ("add competences, offers, seeks or focus areas to get better suggestions")


def registry():
    """A small cluster: an SME that seeks vision, a large company, two knowledge institutions
    (one English, one Danish), a startup and an investor."""
    return {
        "sme": OrganisationFactory(
            name="Vision Robotics ApS", employee_band="10-49", region="midtjylland",
            competences="Robot cells for welding", seeks="Computer vision for quality control"),
        "large": OrganisationFactory(
            name="Grundfos A/S", employee_band="250+", region="midtjylland",
            competences="Pumps and water technology, quality control in production"),
        "uni": OrganisationFactory(
            name="Aalborg University", kind="university", employee_band="250+",
            region="nordjylland",
            competences="Computer vision for quality control in manufacturing. Deep learning "
                        "for image recognition."),
        "gts": OrganisationFactory(
            name="Teknologisk Institut", kind="gts", employee_band="250+", region="hovedstaden",
            competences="Robotter og automatisering i produktionen"),
        "startup": OrganisationFactory(
            name="Pixel Start ApS", employee_band="1-9", is_startup=True, region="midtjylland",
            competences="Image recognition app for farmers"),
        "investor": OrganisationFactory(
            name="Nordic Seed Capital", kind="investor", employee_band="10-49",
            region="hovedstaden", offers="Venture capital for startups in robotics"),
    }


def names(response) -> list[str]:
    """The suggested organisations on a page, in the order shown."""
    return [name.strip() for name in re.findall(
        r'<article class="suggestion"[^>]*>\s*<div class="suggestion-head">\s*'
        r'<h3>(?:<a href="[^"]*">)?([^<]+)', response.content.decode())]


def tabs(response) -> list[str]:
    nav = re.search(r'<nav class="tabs".*?</nav>', response.content.decode(), re.S).group(0)
    return re.findall(r">([^<]+)</a>", nav)


def reasons(response) -> list[list[str]]:
    return [[r.text for r in s.reasons] for s in response.context["suggestions"]]


# -- the need page ---------------------------------------------------------------------------

def test_home_without_a_need_explains_what_to_type(staff_client):
    registry()

    response = staff_client.get(HOME)

    assert response.status_code == 200
    assert response.context["suggestions"] is None
    assert "Type a need above, for example" in response.content.decode()
    assert EMPTY_NEED not in response.content.decode()
    assert 'href="/matchmaking/calls/"' in response.content.decode()
    assert 'href="/matchmaking/introductions/"' in response.content.decode()


def test_an_empty_need_is_refused_with_a_clear_message(staff_client):
    registry()

    response = staff_client.get(HOME, {"need": "   ", "countries": "DK"})

    assert response.status_code == 200
    assert response.context["suggestions"] is None
    assert response.context["form"].errors["need"] == [EMPTY_NEED]
    assert EMPTY_NEED in response.content.decode()


def test_a_wrong_country_code_is_refused(staff_client):
    registry()

    response = staff_client.get(HOME, {"need": "robots", "countries": "DK, Denmark"})

    assert response.context["form"].errors["countries"] == [
        "“Denmark” is not a country code: use two letters such as DK, SE or DE."]


def test_a_danish_need_finds_the_english_profiles(staff_client):
    registry()

    response = staff_client.get(HOME, {"need": "vi har brug for computersyn til kvalitetskontrol"})

    assert names(response) == ["Aalborg University", "Vision Robotics ApS", "Grundfos A/S"]
    assert reasons(response) == [["Shared topics: computer vision, quality control"],
                                 ["Shared topics: computer vision, quality control"],
                                 ["Shared topics: quality control"]]
    assert "Shared topics: computer vision, quality control" in response.content.decode()
    assert "3 organisations found" in response.content.decode()


def test_an_english_need_finds_the_danish_profile(staff_client):
    registry()

    response = staff_client.get(HOME, {"need": "robots in production"})

    assert names(response) == ["Teknologisk Institut", "Grundfos A/S"]
    assert reasons(response)[0] == ["Shared topics: robots, production"]


def test_kinds_restrict_the_need_to_registry_kinds(staff_client):
    registry()

    response = staff_client.get(HOME, {"need": "computer vision for quality control",
                                       "kinds": ["university", "gts"]})

    assert names(response) == ["Aalborg University"]


def test_a_need_nobody_matches_says_so(staff_client):
    registry()

    response = staff_client.get(HOME, {"need": "offshore aquaculture feed"})

    assert names(response) == []
    assert "No organisation matches this need." in response.content.decode()


def test_with_a_lead_results_can_be_introduced(staff_client):
    orgs = registry()
    lead, uni = orgs["sme"], orgs["uni"]

    response = staff_client.get(HOME, {"need": "computer vision for quality control",
                                       "lead": f"Vision Robotics ApS [#{lead.pk}]"})

    assert names(response) == ["Aalborg University", "Grundfos A/S"]
    assert reasons(response)[0] == [
        "Shared topics: computer vision, quality control",
        "Same country as Vision Robotics ApS (DK)",
        "Complementary kinds: Company ↔ University or college"]
    assert (f'href="/matchmaking/introductions/new/?a={lead.pk}&amp;b={uni.pk}&amp;purpose=any"'
            in response.content.decode())


def test_without_a_lead_there_is_nothing_to_introduce(staff_client):
    registry()

    response = staff_client.get(HOME, {"need": "computer vision for quality control"})

    assert "/matchmaking/introductions/new/" not in response.content.decode()
    assert "Choose a lead organisation to introduce it" in response.content.decode()


def cordis_only() -> CordisOrganisation:
    """A French research organisation known only from an EU project on machine vision."""
    project = CordisProject.objects.create(
        cordis_id="101000001", acronym="INSPECT",
        topic_title="Machine vision for quality control of welds", labels=["computer vision"])
    cordis = CordisOrganisation.objects.create(cordis_id="999999999", name="CEA List",
                                               kind="research", country="FR")
    CordisParticipation.objects.create(project=project, cordis_organisation=cordis,
                                       role="participant")
    return cordis


def test_cordis_only_organisations_come_when_asked_and_can_be_added(staff_client):
    registry()
    cordis = cordis_only()

    without = staff_client.get(HOME, {"need": "vision for quality control of welds"})
    with_cordis = staff_client.get(HOME, {"need": "vision for quality control of welds",
                                          "include_external": "on"})

    assert "CEA List" not in names(without)
    assert names(with_cordis)[0] == "CEA List"
    assert (f'action="/matchmaking/cordis/{cordis.pk}/add/"'
            in with_cordis.content.decode())


def test_the_need_results_export_as_csv(staff_client):
    registry()

    response = staff_client.get(HOME, {"need": "robots in production", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Name", "Source", "Kind", "Country", "Score", "Reasons"],
        ["Teknologisk Institut", "Registry", "GTS institute", "DK", "0.298",
         "Shared topics: robots, production"],
        ["Grundfos A/S", "Registry", "Company", "DK", "0.159", "Shared topics: production"],
    ]


def test_the_need_results_export_as_xlsx(staff_client):
    registry()

    response = staff_client.get(HOME, {"need": "robots in production", "format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Name", "Source", "Kind", "Country", "Score", "Reasons"],
        ["Teknologisk Institut", "Registry", "GTS institute", "DK", 0.298,
         "Shared topics: robots, production"],
        ["Grundfos A/S", "Registry", "Company", "DK", 0.159, "Shared topics: production"],
    ]


def test_an_empty_need_exports_nothing(staff_client):
    response = staff_client.get(HOME, {"need": "", "format": "csv"})

    assert response["Content-Type"].startswith("text/html")
    assert EMPTY_NEED in response.content.decode()


# -- an organisation's suggestions -----------------------------------------------------------

def page(org) -> str:
    return f"/matchmaking/organisations/{org.pk}/"


def test_an_sme_gets_the_company_purposes_and_a_university_the_knowledge_one(staff_client):
    orgs = registry()

    sme = staff_client.get(page(orgs["sme"]))
    uni = staff_client.get(page(orgs["uni"]))
    startup = staff_client.get(page(orgs["startup"]))

    assert tabs(sme) == ["Company ↔ knowledge institution", "Company ↔ company",
                         "SME ↔ large company", "Any partner"]
    assert tabs(uni) == ["Company ↔ knowledge institution", "Any partner"]
    assert tabs(startup) == ["Company ↔ knowledge institution", "Company ↔ company",
                             "SME ↔ large company", "Startup ↔ investor", "Any partner"]


def test_the_first_purpose_is_the_default_and_ranks_knowledge_institutions(staff_client):
    orgs = registry()

    response = staff_client.get(page(orgs["sme"]))

    assert response.context["purpose"] == "knowledge"
    assert names(response) == ["Aalborg University", "Teknologisk Institut"]
    assert reasons(response)[0] == [
        "Shared topics: computer vision, quality control",
        "Same country as Vision Robotics ApS (DK)",
        "Complementary kinds: Company ↔ University or college"]
    assert "Shared topics: computer vision, quality control" in response.content.decode()


@pytest.mark.parametrize(("lead", "purpose", "expected"), [
    ("sme", "companies", ["Grundfos A/S", "Pixel Start ApS"]),
    ("sme", "sme_large", ["Grundfos A/S"]),
    ("uni", "knowledge", ["Vision Robotics ApS", "Pixel Start ApS", "Grundfos A/S"]),
    ("large", "sme_large", ["Vision Robotics ApS", "Pixel Start ApS"]),
    ("startup", "startup_investor", ["Nordic Seed Capital"]),
    ("investor", "startup_investor", ["Pixel Start ApS"]),
])
def test_each_purpose_ranks_its_own_partners(staff_client, lead, purpose, expected):
    orgs = registry()

    response = staff_client.get(page(orgs[lead]), {"purpose": purpose})

    assert names(response) == expected


def test_a_purpose_that_does_not_apply_falls_back_to_the_first(staff_client):
    orgs = registry()

    response = staff_client.get(page(orgs["uni"]), {"purpose": "sme_large", "show": "7"})

    assert response.context["purpose"] == "knowledge"
    assert response.context["show"] == 10


def test_an_introduce_link_carries_both_organisations_and_the_purpose(staff_client):
    orgs = registry()
    sme, large = orgs["sme"], orgs["large"]

    response = staff_client.get(page(sme), {"purpose": "sme_large"})

    assert (f'href="/matchmaking/introductions/new/?a={sme.pk}&amp;b={large.pk}'
            f'&amp;purpose=sme_large"' in response.content.decode())


def test_an_earlier_introduction_is_shown_with_a_link(staff_client):
    orgs = registry()
    intro = Introduction.objects.create(organisation_a=orgs["uni"], organisation_b=orgs["sme"],
                                        explanation="Both work on vision.")

    response = staff_client.get(page(orgs["sme"]))

    html = response.content.decode()
    assert f'href="/matchmaking/introductions/{intro.pk}/"' in html
    assert "Already introduced" in html
    assert ": Not sent</a>" in html


def test_show_more_offers_25_and_50(staff_client):
    orgs = registry()
    for n in range(12):
        OrganisationFactory(name=f"Welding Partner {n:02d} ApS",
                            competences="Computer vision for welding")

    first = staff_client.get(page(orgs["sme"]), {"purpose": "companies"})
    more = staff_client.get(page(orgs["sme"]), {"purpose": "companies", "show": "25"})

    assert len(names(first)) == 10
    assert [m["count"] for m in first.context["more"]] == [25, 50]
    assert 'href="?purpose=companies&amp;show=25"' in first.content.decode()
    assert len(names(more)) == 14
    assert more.context["more"] == []


def test_cordis_only_partners_can_be_included(staff_client):
    orgs = registry()
    cordis_only()

    without = staff_client.get(page(orgs["sme"]))
    with_cordis = staff_client.get(page(orgs["sme"]), {"external": "on"})

    assert "CEA List" not in names(without)
    assert names(with_cordis) == ["Aalborg University", "CEA List", "Teknologisk Institut"]
    assert reasons(with_cordis)[1] == ["Shared topics: computer vision, quality control",
                                       "Complementary kinds: Company ↔ Research organisation",
                                       "1 project on record"]
    assert "Registry organisations only" in with_cordis.content.decode()


def test_an_empty_profile_gets_a_hint_with_a_link_to_edit(staff_client):
    registry()
    empty = OrganisationFactory(name="Blank ApS")

    response = staff_client.get(page(empty))

    html = response.content.decode()
    assert THIN_HINT in html
    assert f'href="/ecosystem/organisations/{empty.pk}/edit/"' in html


def test_focus_areas_are_enough_of_a_profile(staff_client):
    org = OrganisationFactory(name="Focused ApS")
    org.focus_areas.add(FocusAreaFactory())

    response = staff_client.get(page(org))

    assert THIN_HINT not in response.content.decode()


def test_an_unknown_organisation_is_404(staff_client):
    assert staff_client.get("/matchmaking/organisations/987654/").status_code == 404


def test_an_organisations_suggestions_export(staff_client):
    orgs = registry()

    response = staff_client.get(page(orgs["sme"]), {"purpose": "sme_large", "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[:4] for row in rows] == [["Name", "Source", "Kind", "Country"],
                                         ["Grundfos A/S", "Registry", "Company", "DK"]]


# -- the panel on the organisation page, the menu, access -----------------------------------

def test_the_organisation_page_shows_the_top_three_suggested_partners(staff_client):
    orgs = registry()

    response = staff_client.get(f"/ecosystem/organisations/{orgs['uni'].pk}/")

    html = response.content.decode()
    panel = re.search(r'<section class="card" id="suggested-partners">.*?</section>', html,
                      re.S).group(0)
    assert "Suggested partners" in panel
    assert "Company ↔ knowledge institution" in panel
    assert re.findall(r'<h3><a href="[^"]*">([^<]+)', panel) == [
        "Vision Robotics ApS", "Pixel Start ApS", "Grundfos A/S"]
    assert f'href="/matchmaking/organisations/{orgs["uni"].pk}/"' in panel


def test_the_panel_keeps_the_query_count_constant(staff_client):
    orgs = registry()
    url = f"/ecosystem/organisations/{orgs['uni'].pk}/"
    staff_client.get(url)  # builds the index
    with CaptureQueriesContext(connection) as small:
        staff_client.get(url)
    for n in range(15):
        OrganisationFactory(name=f"Camera Maker {n} ApS", competences="Computer vision cameras")
    staff_client.get(url)  # rebuilds the index for the new organisations
    with CaptureQueriesContext(connection) as large:
        response = staff_client.get(url)

    assert 'id="suggested-partners"' in "".join(response.context["panels"])
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_menu_has_matchmaking_for_the_team_only(client, staff_client):
    team = staff_client.get("/")
    menu = re.search(r'<nav aria-label="Main">.*?</nav>', team.content.decode(), re.S).group(0)
    entries = re.findall(r'<a href="[^"]*">([^<]+)</a>', menu)
    assert entries[entries.index("Projects") + 1] == "Matchmaking"
    assert '<a href="/matchmaking/">Matchmaking</a>' in menu

    client.force_login(user_with_role(Role.GRANT_GIVER))
    grant_giver = client.get("/")
    assert "/matchmaking/" not in grant_giver.content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.GRANT_GIVER])
def test_members_and_grant_givers_may_not_use_the_pages(client, db, role):
    org = OrganisationFactory()
    client.force_login(user_with_role(role))

    assert client.get(HOME).status_code == 403
    assert client.get(page(org)).status_code == 403
