"""The KPI API: the same figures, targets and snapshots as the KPI pages, for the cluster team
and the grant givers, read-only."""

from datetime import date

import pytest

from klynge.core.roles import Role
from klynge.kpis.models import TargetPeriod
from tests.kpis.factories import KpiSnapshotFactory
from tests.kpis.test_views import small_dataset

pytestmark = pytest.mark.django_db

FIGURES = "/api/v1/kpis/"


def by_key(body) -> dict:
    return {row["key"]: row for row in body["results"]}


def test_a_grant_giver_reads_the_figures_of_2025_as_the_page_shows_them(api_client):
    small_dataset()
    client = api_client(Role.GRANT_GIVER)

    response = client.get(FIGURES, {"year": 2025})

    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"start": "2025-01-01", "end": "2025-12-31", "label": "2025",
                              "to_date": False, "programme": None}
    assert body["snapshot"] is None
    rows = by_key(body)
    assert [row["number"] for row in body["results"]] == [1, 2, 3, 4, 5, 6, 7]
    one = rows["innovative_members"]
    assert (one["value"], one["numerator"], one["denominator"]) == (33.3, 1, 3)
    assert (one["target"], one["reached"], one["status"]) == (35.0, 0.951, "near")
    assert one["title"] == "Innovative members"
    assert one["cumulative"] is None
    assert rows["eu_applications"]["value"] == 2
    assert rows["eu_applications"]["status"] == "behind"
    seven = rows["paying_members"]
    assert (seven["value"], seven["target"], seven["status"]) == (3, 650.0, "behind")
    assert [rows[key]["value"] for key in ("cluster_collaborations", "international_visibility",
                                          "commercial_use", "green_contacts")] == [1, 1, 1, 1]


def test_a_flow_carries_its_figure_since_the_programme_start(staff_api_client):
    small_dataset()
    programme = TargetPeriod.objects.get(start__year__lte=2025, end__year__gte=2025)

    body = staff_api_client.get(FIGURES, {"start": "2025-07-01", "end": "2025-12-31"}).json()
    row = by_key(body)["eu_applications"]

    assert row["value"] == 0
    assert row["cumulative"] == {"value": 2, "start": programme.start.isoformat(),
                                 "end": "2025-12-31"}


def test_without_a_period_the_running_programme_period_to_date_is_shown(staff_api_client):
    today = date.today()
    running = TargetPeriod.objects.filter(start__lte=today, end__gte=today).first()

    period = staff_api_client.get(FIGURES).json()["period"]

    if running is None:
        assert (period["start"], period["programme"]) == (f"{today.year}-01-01", None)
    else:
        assert (period["start"], period["programme"]) == (running.start.isoformat(),
                                                          running.pk)
    assert period["end"] == today.isoformat()
    assert period["to_date"] is True


def test_an_invalid_period_answers_400_with_the_forms_message(staff_api_client):
    response = staff_api_client.get(FIGURES, {"start": "2025-06-01", "end": "2025-01-01"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The last day must be on or after the first day.",
        "errors": {"end": ["The last day must be on or after the first day."]},
    }


def test_a_frozen_period_shows_its_snapshot_and_frozen_values(staff_api_client):
    small_dataset()
    snapshot = KpiSnapshotFactory(figures={"paying_members": {
        "value": "5", "numerator": None, "denominator": None, "counted": []}})

    body = staff_api_client.get(FIGURES, {"year": 2025}).json()
    listed = staff_api_client.get("/api/v1/kpi-snapshots/").json()["results"]

    assert body["snapshot"] == snapshot.pk
    assert by_key(body)["paying_members"]["frozen_value"] == 5
    assert by_key(body)["innovative_members"]["frozen_value"] is None
    assert listed[0]["figures"] == [
        {"key": "paying_members", "value": 5, "numerator": None, "denominator": None}]


def test_definitions_and_targets_are_listed(grant_giver_api_client):
    definitions = grant_giver_api_client.get("/api/v1/kpi-definitions/").json()
    periods = grant_giver_api_client.get("/api/v1/kpi-targets/").json()["results"]

    assert [row["key"] for row in definitions] == [
        "innovative_members", "cluster_collaborations", "international_visibility",
        "eu_applications", "commercial_use", "green_contacts", "paying_members"]
    assert definitions[0]["is_share"] is True
    assert definitions[6]["is_state"] is True
    assert len(periods) == TargetPeriod.objects.count()
    first = TargetPeriod.objects.order_by("start").first()
    assert periods[0]["name"] == first.name
    assert len(periods[0]["targets"]) == first.targets.count()


@pytest.mark.parametrize("role", [Role.MEMBER])
def test_members_may_not_read_the_kpis(api_client, role):
    assert api_client(role).get(FIGURES).status_code == 403


def test_the_kpi_api_is_read_only(staff_api_client):
    response = staff_api_client.post(FIGURES, {}, format="json")

    assert response.status_code == 405
