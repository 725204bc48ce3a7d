"""The consortium builder page (proposal, swaps, the EU application) and the rules pages."""

import re
from urllib.parse import urlencode

import pytest

from klynge.matchmaking.models import CompositionRules, CordisOrganisation
from klynge.matchmaking.views.consortia import builder_url
from klynge.projects.models import Project
from tests.matchmaking.test_consortia import cluster


def builder(call, **params) -> str:
    return f"/matchmaking/calls/{call.pk}/consortium/?{urlencode(params)}"


def member_names(response) -> list[str]:
    """The organisations of the proposed consortium, in the order shown."""
    html = response.content.decode()
    table = html.split("<h2>Proposed consortium</h2>", 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<tr>\s*<td>\d+</td>\s*<td>.*?</td>\s*<td>(.*?)\n", table,
                                   re.S)]


def checks(response) -> list[str]:
    html = response.content.decode()
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r'<li class="check-(?:ok|bad)">(.*?)</li>', html, re.S)]


@pytest.mark.django_db
def test_builder_without_a_lead_asks_for_one(staff_client):
    given = cluster()
    response = staff_client.get(f"/matchmaking/calls/{given['call'].pk}/consortium/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Computer vision for quality control" in html
    assert "Choose the lead organisation to see a proposed consortium." in html
    default = CompositionRules.objects.get(is_default=True)
    assert f'<option value="{default.pk}" selected>' in html


@pytest.mark.django_db
def test_builder_proposes_a_consortium_with_checks(staff_client):
    given = cluster()
    response = staff_client.get(builder(given["call"], lead="Vision Robotics ApS"))

    assert response.status_code == 200
    assert member_names(response) == ["Vision Robotics ApS", "Fraunhofer IPA", "Ville de Paris"]
    assert checks(response) == [
        "✓ met At least 3 and at most 8 organisations: 3",
        "✓ met Organisations from at least 3 eligible countries: 3 (DE, DK, FR)",
        "✓ met At least 1 × Forskningsinstitution eller universitet: 1 (Fraunhofer IPA)",
        "✓ met At least 1 × SMV: 1 (Vision Robotics ApS)",
        "✓ met At least 1 × Slutbruger (stor virksomhed eller offentlig myndighed): 1 "
        "(Ville de Paris)",
    ]
    html = response.content.decode()
    rise = CordisOrganisation.objects.get(name__startswith="RISE")
    assert f'<option value="cordis:{rise.pk}">RISE Research Institutes of Sweden, SE' in html
    assert "All rules met" in html


@pytest.mark.django_db
def test_an_unknown_lead_is_a_form_error(staff_client):
    given = cluster()
    response = staff_client.get(builder(given["call"], lead="Nobody A/S"))

    assert "No organisation matches “Nobody A/S”." in response.content.decode()
    assert "Proposed consortium" not in response.content.decode()


@pytest.mark.django_db
def test_swap_via_get_keeps_the_swap_and_checks_again(staff_client):
    given = cluster()
    default = CompositionRules.objects.get(is_default=True)
    response = staff_client.get(builder(
        given["call"], lead="Vision Robotics ApS", rules=default.pk,
        s1=f"org:{given['uni'].pk}", s2=f"cordis:{given['paris'].pk}"))

    assert member_names(response) == ["Vision Robotics ApS", "Aalborg University",
                                      "Ville de Paris"]
    assert checks(response)[1] == ("✗ not met Organisations from at least 3 eligible "
                                   "countries: 2 (DK, FR)")
    html = response.content.decode()
    assert "Not all rules met" in html
    assert (f'<option value="org:{given["uni"].pk}" selected>Aalborg University (current)'
            in html)
    assert html.count(">swapped<") == 1


@pytest.mark.django_db
def test_create_application_from_the_proposal(staff_client):
    given = cluster()
    members = [f"org:{given['lead'].pk}", f"cordis:{given['fraunhofer'].pk}",
               f"cordis:{given['paris'].pk}"]
    response = staff_client.post(
        f"/matchmaking/calls/{given['call'].pk}/consortium/application/",
        {"lead": given["lead"].pk, "member": members, "query": "lead=Vision+Robotics+ApS"})

    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert sorted(p.organisation.name for p in project.partnerships.all()) == [
        "Fraunhofer IPA", "Ville de Paris", "Vision Robotics ApS"]
    assert CordisOrganisation.objects.filter(organisation__isnull=False).count() == 2
    page = staff_client.get(response["Location"])
    assert ("The EU application Computer vision for quality control was created with 3 "
            "partners.") in page.content.decode()


@pytest.mark.django_db
def test_create_application_error_goes_back_to_the_builder(staff_client):
    given = cluster()
    response = staff_client.post(
        f"/matchmaking/calls/{given['call'].pk}/consortium/application/",
        {"lead": given["lead"].pk, "member": [f"org:{given['lead'].pk}"],
         "query": "lead=Vision+Robotics+ApS"})

    assert response.status_code == 302
    assert response["Location"] == (f"/matchmaking/calls/{given['call'].pk}/consortium/"
                                    "?lead=Vision+Robotics+ApS")
    page = staff_client.get(response["Location"])
    assert ("A consortium needs at least two organisations: the lead and one partner."
            in page.content.decode())
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_builder_page_has_a_confirmed_create_form(staff_client):
    given = cluster()
    html = staff_client.get(builder(given["call"], lead="Vision Robotics ApS")).content.decode()

    assert ('data-confirm="Create an EU application for HORIZON-CL4-2025-VISION-01 with these 3 '
            'organisations?') in html


# --- rules ----------------------------------------------------------------------------------


def rules_post(**overrides):
    data = {"name": "Nordic", "min_partners": "2", "max_partners": "4", "min_countries": "2",
            "eligible_countries": "DK SE NO", "roles-TOTAL_FORMS": "2",
            "roles-INITIAL_FORMS": "0", "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "1000",
            "roles-0-label": "Research", "roles-0-min_count": "1",
            "roles-0-kinds": ["research", "higher_education"], "roles-0-size": "any",
            "roles-1-label": "", "roles-1-min_count": "1", "roles-1-size": "any"}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_rules_list_for_staff_without_edit_links(staff_client):
    response = staff_client.get("/matchmaking/consortium-rules/")
    html = response.content.decode()

    assert "Horizon Europe-samarbejdsprojekt" in html
    assert "at least 1: Research organisation / University or college" in html
    assert "New rules" not in html
    assert staff_client.get("/matchmaking/consortium-rules/new/").status_code == 403


@pytest.mark.django_db
def test_management_creates_rules_with_roles(management_client):
    response = management_client.post("/matchmaking/consortium-rules/new/", rules_post())

    assert response.status_code == 302
    rules = CompositionRules.objects.get(name="Nordic")
    assert (rules.min_partners, rules.max_partners, rules.eligible_countries) == (
        2, 4, ["DK", "SE", "NO"])
    assert [(r.label, r.kinds) for r in rules.roles.all()] == [
        ("Research", ["research", "higher_education"])]


@pytest.mark.django_db
def test_rules_formset_errors_are_shown_and_nothing_is_saved(management_client):
    response = management_client.post("/matchmaking/consortium-rules/new/", rules_post(**{
        "roles-1-label": "End user", "roles-1-min_count": "1"}))

    assert response.status_code == 200
    assert "Choose at least one kind of organisation." in response.content.decode()
    assert not CompositionRules.objects.filter(name="Nordic").exists()


@pytest.mark.django_db
def test_rules_service_errors_are_shown(management_client):
    response = management_client.post("/matchmaking/consortium-rules/new/", rules_post(
        min_partners="5"))

    assert ("The minimum number of organisations (5) is larger than the maximum (4)."
            in response.content.decode())


@pytest.mark.django_db
def test_the_eu_preset_fills_the_countries(management_client):
    response = management_client.post("/matchmaking/consortium-rules/new/",
                                       rules_post(preset="eu"))

    html = response.content.decode()
    assert "The EU member states and associated countries were filled in." in html
    assert "AT BE BG CY CZ DE DK" in html
    assert 'value="Nordic"' in html
    assert not CompositionRules.objects.filter(name="Nordic").exists()


@pytest.mark.django_db
def test_edit_rules_keeps_unchanged_roles(management_client):
    rules = CompositionRules.objects.get()
    form = management_client.get(f"/matchmaking/consortium-rules/{rules.pk}/edit/")
    assert 'value="Forskningsinstitution eller universitet"' in form.content.decode()
    data = {"name": rules.name, "min_partners": "3", "max_partners": "6", "min_countries": "3",
            "eligible_countries": "DK DE", "is_default": "on",
            "roles-TOTAL_FORMS": "4", "roles-INITIAL_FORMS": "3",
            "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "1000"}
    for number, role in enumerate(rules.roles.all()):
        data.update({f"roles-{number}-label": role.label, f"roles-{number}-min_count": "1",
                     f"roles-{number}-kinds": role.kinds, f"roles-{number}-size": role.size})
    data["roles-1-DELETE"] = "on"
    data.update({"roles-3-label": "", "roles-3-min_count": "1", "roles-3-size": "any"})
    response = management_client.post(f"/matchmaking/consortium-rules/{rules.pk}/edit/", data)

    assert response.status_code == 302
    rules.refresh_from_db()
    assert rules.max_partners == 6
    assert [r.label for r in rules.roles.all()] == [
        "Forskningsinstitution eller universitet",
        "Slutbruger (stor virksomhed eller offentlig myndighed)"]


@pytest.mark.django_db
def test_delete_rules_asks_and_the_default_stays(management_client):
    default = CompositionRules.objects.get()
    page = management_client.get(f"/matchmaking/consortium-rules/{default.pk}/delete/")
    assert "These are the default rules and cannot be deleted." in page.content.decode()
    response = management_client.post(f"/matchmaking/consortium-rules/{default.pk}/delete/")
    assert response.status_code == 302
    assert CompositionRules.objects.filter(pk=default.pk).exists()

    management_client.post("/matchmaking/consortium-rules/new/", rules_post())
    other = CompositionRules.objects.get(name="Nordic")
    page = management_client.get(f"/matchmaking/consortium-rules/{other.pk}/delete/")
    assert 'data-confirm="Delete these rules for good?"' in page.content.decode()
    management_client.post(f"/matchmaking/consortium-rules/{other.pk}/delete/")
    assert not CompositionRules.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_builder_url_links_to_a_proposal_with_swaps(staff_client):
    given = cluster()
    url = builder_url(given["call"], given["lead"], swaps={1: f"cordis:{given['rise'].pk}"})

    assert url == (f"/matchmaking/calls/{given['call'].pk}/consortium/?lead=Vision+Robotics+ApS"
                   f"+%5B%23{given['lead'].pk}%5D&s1=cordis%3A{given['rise'].pk}")
    assert member_names(staff_client.get(url)) == [
        "Vision Robotics ApS", "RISE Research Institutes of Sweden", "Ville de Paris"]
