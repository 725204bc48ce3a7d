"""The organisation pages, through the Django test client on a real database."""

import csv
import io

import pytest
from openpyxl import load_workbook

from klynge.core.models import AuditEntry
from klynge.ecosystem.models import Organisation
from tests.factories import (
    AffiliationFactory,
    HubFactory,
    InteractionFactory,
    MembershipFactory,
    OrganisationFactory,
    next_cvr,
)

pytestmark = pytest.mark.django_db


def test_list_shows_organisations_of_the_staff_members_hub_by_default(staff_client):
    own = OrganisationFactory(name="Nordlys ApS", hub=staff_client.user.hub)
    other = OrganisationFactory(name="Sydvind A/S", hub=HubFactory(name="Hub Odense"))

    page = staff_client.get("/ecosystem/organisations/").content.decode()
    everything = staff_client.get("/ecosystem/organisations/?hub=").content.decode()

    assert own.name in page and other.name not in page
    assert own.name in everything and other.name in everything


def test_list_filters_by_kind_size_membership_and_search(management_client):
    sme = OrganisationFactory(name="Alpha Robotics ApS", employee_band="10-49")
    large = OrganisationFactory(name="Beta Industri A/S", employee_band="250+")
    uni = OrganisationFactory(name="Aarhus Universitet", kind="university", cvr=None)
    MembershipFactory(organisation=sme)

    def names(query):
        response = management_client.get(f"/ecosystem/organisations/?{query}")
        assert response.status_code == 200
        return [o.name for o in response.context["listing"].rows]

    assert names("size=sme") == ["Alpha Robotics ApS"]
    assert names("size=large") == ["Beta Industri A/S"]
    assert names("kind=knowledge") == [uni.name]
    assert names("membership=paying") == ["Alpha Robotics ApS"]
    assert names("membership=none&ordering=-name") == ["Beta Industri A/S", "Aarhus Universitet"]
    assert names("q=robot") == ["Alpha Robotics ApS"]
    assert large.pk


def test_list_paginates(management_client):
    OrganisationFactory.create_batch(60)
    response = management_client.get("/ecosystem/organisations/?per_page=25&page=3")
    listing = response.context["listing"]
    assert listing.total == 60
    assert len(listing.rows) == 10


def test_csv_and_xlsx_export_hold_exactly_the_filtered_rows(management_client):
    OrganisationFactory(name="Gamma Data ApS", employee_band="1-9")
    OrganisationFactory(name="Delta Energi A/S", employee_band="250+")

    response = management_client.get("/ecosystem/organisations/?size=sme&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:3] == ["id", "name", "kind"]
    assert [r[1] for r in rows[1:]] == ["Gamma Data ApS"]

    response = management_client.get("/ecosystem/organisations/?size=large&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert [v[1] for v in values[1:]] == ["Delta Energi A/S"]


def test_create_with_a_wrong_cvr_explains_the_check_digit_and_writes_nothing(staff_client):
    response = staff_client.post(
        "/ecosystem/organisations/new/",
        {"name": "Epsilon IT ApS", "kind": "company", "cvr": "12345678", "country": "DK"},
    )
    assert response.status_code == 200
    assert "check digit is wrong" in str(response.context["form"].errors["cvr"])
    assert not Organisation.objects.filter(name="Epsilon IT ApS").exists()


def test_create_with_a_valid_cvr_derives_the_region_and_is_audited(staff_client):
    cvr = next_cvr()
    response = staff_client.post(
        "/ecosystem/organisations/new/",
        {"name": "Zeta Sensors ApS", "kind": "company", "cvr": cvr, "country": "DK",
         "postcode": "9000", "city": "Aalborg"},
    )
    organisation = Organisation.objects.get(cvr=cvr)
    assert response.status_code == 302
    assert organisation.region == "nordjylland"
    entry = AuditEntry.objects.get(action="klynge.ecosystem.organisation.created")
    assert entry.actor == staff_client.user and entry.object_id == str(organisation.pk)


def test_create_of_a_similar_name_asks_for_confirmation_first(staff_client):
    OrganisationFactory(name="Nordisk Maskinlæring ApS")
    data = {"name": "Nordisk Maskinlaering", "kind": "company", "country": "DK"}

    first = staff_client.post("/ecosystem/organisations/new/", data)
    assert first.status_code == 200
    assert [d.name for d in first.context["duplicates"]] == ["Nordisk Maskinlæring ApS"]
    assert Organisation.objects.count() == 1

    second = staff_client.post("/ecosystem/organisations/new/", {**data, "confirm_duplicate": "on"})
    assert second.status_code == 302
    assert Organisation.objects.count() == 2


def test_duplicate_cvr_is_refused_with_the_name_of_the_holder(staff_client):
    holder = OrganisationFactory(name="Eta Cloud ApS")
    response = staff_client.post(
        "/ecosystem/organisations/new/",
        {"name": "Theta", "kind": "company", "cvr": holder.cvr, "country": "DK",
         "confirm_duplicate": "on"},
    )
    assert "already registered for Eta Cloud ApS" in str(response.context["form"].errors["cvr"])


def test_edit_records_the_changed_fields(staff_client):
    organisation = OrganisationFactory(name="Iota ApS", city="Aarhus C")
    response = staff_client.post(
        f"/ecosystem/organisations/{organisation.pk}/edit/",
        {"name": "Iota ApS", "kind": "company", "cvr": organisation.cvr, "country": "DK",
         "city": "Vejle", "postcode": "7100", "region": "syddanmark"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="klynge.ecosystem.organisation.updated")
    assert entry.data["changes"]["city"] == ["Aarhus C", "Vejle"]


def test_detail_shows_timeline_people_and_history(staff_client):
    organisation = OrganisationFactory(name="Kappa Vision ApS")
    affiliation = AffiliationFactory(organisation=organisation)
    InteractionFactory(organisation=organisation, subject="Besøg om computer vision")
    MembershipFactory(organisation=organisation)

    page = staff_client.get(f"/ecosystem/organisations/{organisation.pk}/").content.decode()

    assert "Besøg om computer vision" in page
    assert affiliation.person.email in page


def test_detail_of_a_missing_organisation_is_404(staff_client):
    assert staff_client.get("/ecosystem/organisations/999999/").status_code == 404


def test_merge_moves_relations_and_removes_the_duplicate(staff_client):
    survivor = OrganisationFactory(name="Lambda Tech ApS", website="")
    duplicate = OrganisationFactory(name="Lambda Tech", cvr=None, website="https://lambda.dk")
    AffiliationFactory(organisation=duplicate)
    InteractionFactory(organisation=duplicate)

    response = staff_client.post(
        f"/ecosystem/organisations/{survivor.pk}/merge/",
        {"other": duplicate.pk, "keep": "this", "confirm": "on"},
    )

    assert response.status_code == 302
    survivor.refresh_from_db()
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert survivor.affiliations.count() == 1
    assert survivor.interactions.count() == 1
    assert survivor.website == "https://lambda.dk"


def test_merge_without_confirmation_changes_nothing(staff_client):
    survivor = OrganisationFactory()
    duplicate = OrganisationFactory()
    response = staff_client.post(
        f"/ecosystem/organisations/{survivor.pk}/merge/", {"other": duplicate.pk, "keep": "this"}
    )
    assert response.status_code == 200
    assert Organisation.objects.count() == 2


def test_lookup_suggests_organisations_by_name(staff_client):
    organisation = OrganisationFactory(name="Mu Analytics ApS")
    response = staff_client.get("/ecosystem/organisations/lookup/?organisation=analy")
    assert f"Mu Analytics ApS [#{organisation.pk}]" in response.content.decode()


def _queries_for(client, url):
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_10_or_120_organisations(management_client):
    url = "/ecosystem/organisations/?per_page=200&ordering=membership"
    for organisation in OrganisationFactory.create_batch(10):
        MembershipFactory(organisation=organisation)
        AffiliationFactory(organisation=organisation)
    few = _queries_for(management_client, url)
    for organisation in OrganisationFactory.create_batch(110):
        MembershipFactory(organisation=organisation)
        AffiliationFactory(organisation=organisation)
    many = _queries_for(management_client, url)
    assert few == many
    assert many <= 15


def test_merge_page_offers_likely_duplicates_search_and_a_side_by_side_comparison(staff_client):
    organisation = OrganisationFactory(name="Nordic Sensor Systems ApS")
    twin = OrganisationFactory(name="Nordic Sensor Systems", cvr=None)
    AffiliationFactory(organisation=twin)

    pick = staff_client.get(f"/ecosystem/organisations/{organisation.pk}/merge/?q=sensor")
    compare = staff_client.get(f"/ecosystem/organisations/{organisation.pk}/merge/?other={twin.pk}")

    assert [row[0] for row in pick.context["candidates"]] == [twin.pk]
    assert [row[0] for row in pick.context["results"]] == [twin.pk]
    rows = {str(label): (mine, theirs) for label, mine, theirs in compare.context["comparison"]}
    assert rows["People"] == (0, 1)
    assert rows["CVR number"] == (organisation.cvr, None)
