"""CORDIS in the registry: the panel on the organisation page, all EU projects (export), the
page that links and unlinks CORDIS records, and adding a CORDIS-only organisation."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from klynge.core.models import AuditEntry
from klynge.matchmaking.models import (
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
)
from tests.factories import OrganisationFactory


def history(organisation, projects: int = 3):
    """A CORDIS record linked to `organisation`, with `projects` EU projects."""
    record = CordisOrganisation.objects.create(
        cordis_id="900000001", name="VISION ROBOTICS APS", country="DK",
        vat_number=f"DK{organisation.cvr}", organisation=organisation)
    for n in range(projects):
        project = CordisProject.objects.create(
            cordis_id=f"1010000{n:02d}", acronym=f"PRJ{n:02d}",
            topic_code=f"HORIZON-CL4-2023-{n:02d}", topic_title=f"Topic {n}",
            programme="HORIZON.2.4 Digital, Industry and Space")
        CordisParticipation.objects.create(
            project=project, cordis_organisation=record,
            role="coordinator" if n == 0 else "participant",
            ec_contribution=Decimal(100000 * (n + 1)))
    return record


def test_panel_lists_the_eu_projects_most_recent_first(staff_client):
    organisation = OrganisationFactory(name="Vision Robotics ApS")
    history(organisation, projects=3)

    response = staff_client.get(organisation.get_absolute_url())

    page = response.content.decode()
    assert "EU projects (CORDIS)" in page
    assert page.index("PRJ02") < page.index("PRJ01") < page.index("PRJ00")
    assert "HORIZON-CL4-2023-02" in page and "300,000" in page and "Coordinator" in page
    assert "Show all" not in page


def test_panel_shows_ten_and_links_to_all(staff_client):
    organisation = OrganisationFactory()
    history(organisation, projects=12)

    response = staff_client.get(organisation.get_absolute_url())

    page = response.content.decode()
    assert "PRJ11" in page and "PRJ02" in page and "PRJ01" not in page
    assert "Show all 12 EU projects" in page
    assert f'href="/matchmaking/organisations/{organisation.pk}/cordis/projects/"' in page


def test_panel_without_records_offers_to_link(staff_client):
    organisation = OrganisationFactory(competences="Robot cells for welding")

    response = staff_client.get(organisation.get_absolute_url())

    page = response.content.decode()
    assert "No EU projects known: no CORDIS record is linked to this organisation." in page
    assert f'href="/matchmaking/organisations/{organisation.pk}/cordis/"' in page


def test_all_projects_page_and_export(staff_client):
    organisation = OrganisationFactory()
    history(organisation, projects=12)
    url = f"/matchmaking/organisations/{organisation.pk}/cordis/projects/"

    response = staff_client.get(url)
    assert [p.project.acronym for p in response.context["listing"].rows][:3] == [
        "PRJ11", "PRJ10", "PRJ09"]
    assert "12 results" in response.content.decode()

    response = staff_client.get(url, {"format": "xlsx"})
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert values[0] == ("project_id", "acronym", "topic", "topic_title", "programme", "role",
                         "eu_contribution_eur", "cordis_organisation")
    assert values[1] == ("101000011", "PRJ11", "HORIZON-CL4-2023-11", "Topic 11",
                         "HORIZON.2.4 Digital, Industry and Space", "Participant", 1200000,
                         "VISION ROBOTICS APS")
    assert len(values) == 13


def test_records_page_searches_cordis_by_name_or_vat(staff_client):
    organisation = OrganisationFactory(name="Aqua Tech ApS")
    CordisOrganisation.objects.create(cordis_id="900000010", name="AQUA TECH APS",
                                      vat_number=f"DK{organisation.cvr}", country="DK")
    CordisOrganisation.objects.create(cordis_id="900000011", name="Aqua Marine SA",
                                      vat_number="FR1", country="FR")
    url = f"/matchmaking/organisations/{organisation.pk}/cordis/"

    # the first visit searches by the organisation's CVR as a Danish VAT number
    response = staff_client.get(url)
    assert [r.name for r in response.context["results"]] == ["AQUA TECH APS"]

    response = staff_client.get(url, {"q": "aqua"})
    assert [r.name for r in response.context["results"]] == ["Aqua Marine SA", "AQUA TECH APS"]

    response = staff_client.get(url, {"q": "nothing like it"})
    assert "No CORDIS organisation matches" in response.content.decode()


def test_link_and_unlink_a_record(staff_client):
    # given an organisation and a CORDIS record of it
    organisation = OrganisationFactory(name="Aqua Tech ApS")
    record = CordisOrganisation.objects.create(cordis_id="900000010", name="AQUA TECH APS")
    base = f"/matchmaking/organisations/{organisation.pk}/cordis/"

    # when staff link it
    response = staff_client.post(base + "link/", {"cordis_organisation": record.pk})

    # then it is linked, audited, and the page lists it with an unlink button to confirm
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.organisation == organisation
    page = staff_client.get(base).content.decode()
    assert "AQUA TECH APS (CORDIS) is now linked to Aqua Tech ApS." in page
    assert "data-confirm=\"Unlink AQUA TECH APS?" in page

    # when staff unlink it
    response = staff_client.post(base + "unlink/", {"cordis_organisation": record.pk})

    # then it is unlinked and both steps are in the audit trail
    record.refresh_from_db()
    assert record.organisation is None
    assert list(AuditEntry.objects.filter(object_id=str(organisation.pk),
                                          action__startswith="klynge.matchmaking.cordis.")
                .order_by("pk").values_list("action", flat=True)) == [
        "klynge.matchmaking.cordis.linked", "klynge.matchmaking.cordis.unlinked"]


def test_a_record_linked_elsewhere_is_not_taken_over(staff_client):
    other = OrganisationFactory(name="Other A/S")
    organisation = OrganisationFactory(name="Aqua Tech ApS")
    record = CordisOrganisation.objects.create(cordis_id="900000010", name="AQUA TECH APS",
                                               organisation=other)

    response = staff_client.post(f"/matchmaking/organisations/{organisation.pk}/cordis/link/",
                                 {"cordis_organisation": record.pk}, follow=True)

    record.refresh_from_db()
    assert record.organisation == other
    assert ("AQUA TECH APS is already linked to Other A/S; unlink it first."
            in response.content.decode())


def test_add_to_registry_is_post_only_and_does_not_duplicate(staff_client):
    existing = OrganisationFactory(name="Vision Robotics ApS",
                                   competences="Computer vision for quality control")
    record = CordisOrganisation.objects.create(
        cordis_id="900000001", name="VISION ROBOTICS APS", country="DK",
        vat_number=f"DK{existing.cvr}")
    url = f"/matchmaking/cordis/{record.pk}/add/"

    assert staff_client.get(url).status_code == 405
    response = staff_client.post(url, follow=True)

    record.refresh_from_db()
    assert record.organisation == existing
    assert response.redirect_chain[-1][0] == existing.get_absolute_url()
    assert "EU projects (CORDIS)" in response.content.decode()


def test_members_may_not_use_the_cordis_pages(member_client):
    organisation = OrganisationFactory()
    record = CordisOrganisation.objects.create(cordis_id="1", name="X")

    assert member_client.get(
        f"/matchmaking/organisations/{organisation.pk}/cordis/").status_code == 403
    assert member_client.post(f"/matchmaking/cordis/{record.pk}/add/").status_code == 403
