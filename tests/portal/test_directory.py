"""The public member directory: only listed current members, only their published fields."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import FocusAreaFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ALL_FIELDS = ["description", "website", "city", "focus_areas", "competences", "offers",
              "seeks", "size", "industry"]


def member(name, *, fields=(), listed=True, **extra):
    organisation = OrganisationFactory(name=name, directory_listed=listed,
                                       directory_fields=list(fields), **extra)
    MembershipFactory(organisation=organisation)
    return organisation


def names(response):
    return [e.name for e in response.context["entries"]]


def test_lists_only_listed_organisations_with_a_current_membership(client):
    # given: a listed member, an unlisted member, a listed former member, a listed non-member
    member("Aarhus Robotics ApS")
    member("Hidden Member ApS", listed=False)
    lapsed = OrganisationFactory(name="Lapsed ApS", directory_listed=True)
    MembershipFactory(organisation=lapsed, start_date=date(2020, 1, 1),
                      end_date=date(2021, 12, 31))
    OrganisationFactory(name="Never Member ApS", directory_listed=True)
    # when: anyone signed out opens the directory
    response = client.get(reverse("directory:list"))
    # then: only the listed current member shows
    assert response.status_code == 200
    assert names(response) == ["Aarhus Robotics ApS"]
    html = response.content.decode()
    for absent in ("Hidden Member", "Lapsed", "Never Member"):
        assert absent not in html


def test_detail_shows_published_fields_and_never_unpublished_ones(client):
    # given: an organisation that publishes its description and city only
    org = member("Fjord Sensors ApS", fields=["description", "city"],
                 description="We build water sensors.", city="Vejle", region="syddanmark",
                 website="https://secret-site.example", competences="Secret competence XYZ",
                 offers="Unpublished offer QQQ", seeks="Unpublished wish WWW")
    org.focus_areas.add(FocusAreaFactory(name_en="Hidden focus KKK"))
    # when
    response = client.get(reverse("directory:detail", args=[org.pk]))
    # then: published fields show; unpublished ones are nowhere in the HTML
    html = response.content.decode()
    assert response.status_code == 200
    assert "We build water sensors." in html
    assert "Vejle" in html and "Region of Southern Denmark" in html
    for secret in ("secret-site.example", "Secret competence XYZ", "Unpublished offer QQQ",
                   "Unpublished wish WWW", "Hidden focus KKK", org.cvr, "10–49"):
        assert secret not in html


def test_list_never_shows_unpublished_fields(client):
    # given: a listed member with a city it did not publish
    member("Quiet ApS", fields=["description"], description="Public text",
           city="Secretcity", competences="Hush")
    # when
    html = client.get(reverse("directory:list")).content.decode()
    # then
    assert "Public text" in html
    assert "Secretcity" not in html and "Hush" not in html


def test_detail_of_every_field_published(client):
    # given: an organisation that publishes everything
    area = FocusAreaFactory(name_en="Robotics")
    org = member("Open Book A/S", fields=ALL_FIELDS, description="About us",
                 website="https://open.example", city="Odense", region="syddanmark",
                 competences="Welding", offers="Test cells", seeks="Vision partners")
    org.focus_areas.add(area)
    # when
    response = client.get(reverse("directory:detail", args=[org.pk]))
    # then
    entry = response.context["entry"]
    assert (entry.description, entry.website, entry.city, entry.region) == (
        "About us", "https://open.example", "Odense", "Region of Southern Denmark")
    assert entry.focus_areas == ["Robotics"]
    assert (entry.competences, entry.offers, entry.seeks) == (
        "Welding", "Test cells", "Vision partners")
    assert entry.size == "SME (10–49 employees)"
    assert entry.kind == "Company"


@pytest.mark.parametrize("setup", ["unlisted", "lapsed", "no_membership"])
def test_detail_is_404_outside_the_directory(client, setup):
    # given: an organisation that is not in the directory for one reason
    org = OrganisationFactory(name="Outside ApS", directory_listed=setup != "unlisted")
    if setup == "unlisted":
        MembershipFactory(organisation=org)
    elif setup == "lapsed":
        MembershipFactory(organisation=org, start_date=date(2020, 1, 1),
                          end_date=date(2020, 12, 31))
    # when / then
    assert client.get(reverse("directory:detail", args=[org.pk])).status_code == 404


def test_detail_is_404_for_a_cancelled_membership(client):
    org = OrganisationFactory(name="Cancelled ApS", directory_listed=True)
    MembershipFactory(organisation=org, status="cancelled")
    assert client.get(reverse("directory:detail", args=[org.pk])).status_code == 404


def test_search_finds_published_text_but_not_unpublished_text(client):
    # given: two members with the word "hydrogen": one published it, one kept it private
    member("Green Gas ApS", fields=["competences"], competences="Hydrogen storage")
    member("Private Gas ApS", fields=["description"], competences="Hydrogen electrolysis",
           description="Gas")
    # when
    response = client.get(reverse("directory:list"), {"q": "hydrogen"})
    # then
    assert names(response) == ["Green Gas ApS"]


def test_search_by_name_and_every_word(client):
    member("Nordic Drone Lab ApS")
    member("Nordic Foods A/S", fields=["offers"], offers="Plant-based drone snacks")
    member("Drone Works ApS")
    response = client.get(reverse("directory:list"), {"q": "nordic drone"})
    assert names(response) == ["Nordic Drone Lab ApS", "Nordic Foods A/S"]


def test_filter_by_focus_area_only_where_published(client):
    # given: two members in the same focus area; one does not publish its focus areas
    area = FocusAreaFactory(name_en="Green transition")
    shown = member("Shown ApS", fields=["focus_areas"])
    hidden = member("Hidden Area ApS", fields=["description"])
    shown.focus_areas.add(area)
    hidden.focus_areas.add(area)
    # when
    response = client.get(reverse("directory:list"), {"focus_area": area.pk})
    # then
    assert names(response) == ["Shown ApS"]


def test_focus_area_choices_are_those_published(client):
    published_area = FocusAreaFactory(name_en="Published area")
    private_area = FocusAreaFactory(name_en="Private area")
    member("A ApS", fields=["focus_areas"]).focus_areas.add(published_area)
    member("B ApS").focus_areas.add(private_area)
    response = client.get(reverse("directory:list"))
    choices = list(response.context["listing"].filterset.form.fields["focus_area"].queryset)
    assert choices == [published_area]
    assert "Private area" not in response.content.decode()


def test_filter_by_region_and_city_only_where_published(client):
    member("Vejle Shown ApS", fields=["city"], city="Vejle", region="syddanmark")
    member("Vejle Hidden ApS", city="Vejle", region="syddanmark")
    member("Aalborg ApS", fields=["city"], city="Aalborg", region="nordjylland")
    by_region = client.get(reverse("directory:list"), {"region": "syddanmark"})
    by_city = client.get(reverse("directory:list"), {"city": "vejle"})
    assert names(by_region) == ["Vejle Shown ApS"]
    assert names(by_city) == ["Vejle Shown ApS"]


def test_sorting_by_name_descending_and_by_published_city(client):
    member("Beta ApS", fields=["city"], city="Odense")
    member("alpha ApS", fields=["city"], city="Vejle")
    member("Gamma ApS", city="Aabenraa")  # city not published: sorts as unknown (first)
    assert names(client.get(reverse("directory:list"))) == ["alpha ApS", "Beta ApS", "Gamma ApS"]
    assert names(client.get(reverse("directory:list"), {"ordering": "-name"})) == [
        "Gamma ApS", "Beta ApS", "alpha ApS"]
    assert names(client.get(reverse("directory:list"), {"ordering": "city"})) == [
        "Gamma ApS", "Beta ApS", "alpha ApS"]


def test_pagination(client):
    for number in range(27):
        member(f"Member {number:02d} ApS")
    first = client.get(reverse("directory:list"), {"per_page": 25})
    second = client.get(reverse("directory:list"), {"per_page": 25, "page": 2})
    assert len(names(first)) == 25
    assert names(second) == ["Member 25 ApS", "Member 26 ApS"]
    assert first.context["listing"].total == 27


def test_empty_states(client):
    empty = client.get(reverse("directory:list"))
    assert "No member organisations have chosen to be listed" in empty.content.decode()
    member("Someone ApS")
    no_match = client.get(reverse("directory:list"), {"q": "zzz"})
    assert "No member organisations match your search." in no_match.content.decode()


def test_detail_offers_an_introduction_to_a_member_of_another_organisation(member_client):
    other = member("Partner ApS", fields=["description"], description="Hello")
    response = member_client.get(reverse("directory:detail", args=[other.pk]))
    own = member_client.user.organisation
    own.directory_listed = True
    own.save()
    own_page = member_client.get(reverse("directory:detail", args=[own.pk]))
    url = reverse("portal:introduction_request", args=[other.pk])
    assert url in response.content.decode()
    assert response.context["may_ask"] is True
    assert own_page.context["may_ask"] is False


def test_directory_shows_no_people(client):
    from tests.factories import AffiliationFactory, PersonFactory

    org = member("People ApS", fields=ALL_FIELDS)
    AffiliationFactory(organisation=org,
                       person=PersonFactory(first_name="Zelda", email="zelda@example.dk"))
    html = client.get(reverse("directory:detail", args=[org.pk])).content.decode()
    assert "Zelda" not in html and "zelda@example.dk" not in html
