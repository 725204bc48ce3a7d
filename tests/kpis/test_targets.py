"""Programme periods and their targets: the list, editing the grid with validation, adding a
period, the services behind them, and who may change them."""

from datetime import date
from decimal import Decimal

import pytest

from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.kpis import services
from klynge.kpis.models import KpiTarget, TargetPeriod

pytestmark = pytest.mark.django_db


def _programme(name="2025–2028"):
    return TargetPeriod.objects.get(name=name)


def _grid_data(client, period) -> dict:
    """The edit form's current values, as the browser would post them back."""
    form = client.get(f"/kpis/targets/{period.pk}/edit/").context["form"]
    return {name: "" if form[name].value() is None else str(form[name].value())
            for name in form.fields}


def _target(period, kpi, year):
    return KpiTarget.objects.get(period=period, kpi=kpi, year=year)


def test_target_list_shows_every_period_and_year(staff_client):
    html = staff_client.get("/kpis/targets/").content.decode()

    assert "2021–2024" in html and "2025–2028" in html
    assert "800–1000" in html  # paying members 2024, a range
    assert "at least 35 %" in html
    assert "Edit targets" not in html and "Add a programme period" not in html


def test_management_edits_a_target_and_the_change_is_audited(management_client):
    period = _programme()
    data = _grid_data(management_client, period)
    data["paying_members-2026"] = "720"
    data["paying_members-2026-high"] = "900"

    response = management_client.post(f"/kpis/targets/{period.pk}/edit/", data, follow=True)

    target = _target(period, "paying_members", 2026)
    assert (target.value, target.value_high) == (Decimal("720"), Decimal("900"))
    assert "The targets of 2025–2028 were saved." in response.content.decode()
    entry = AuditEntry.objects.get(action="klynge.kpis.targets.updated")
    assert entry.data == {"changes": {"paying_members 2026": [["700.0", None], ["720", "900"]]}}


def test_posting_the_grid_unchanged_changes_nothing(management_client):
    period = _programme()

    response = management_client.post(f"/kpis/targets/{period.pk}/edit/",
                                      _grid_data(management_client, period), follow=True)

    assert "Nothing was changed." in response.content.decode()
    assert not AuditEntry.objects.filter(action="klynge.kpis.targets.updated").exists()


def test_emptying_a_year_removes_its_target(management_client):
    period = _programme()
    data = _grid_data(management_client, period)
    data["commercial_use-2028"] = ""

    management_client.post(f"/kpis/targets/{period.pk}/edit/", data)

    assert not KpiTarget.objects.filter(period=period, kpi="commercial_use", year=2028).exists()


@pytest.mark.parametrize(("changes", "message"), [
    ({"eu_applications-2025": "-1"}, "Ensure this value is greater than or equal to 0."),
    ({"innovative_members-2025": "120"}, "Ensure this value is less than or equal to 100."),
    ({"paying_members-2025": "700", "paying_members-2025-high": "650"},
     "The upper target must be at least the target."),
    ({"green_contacts-2025": "", "green_contacts-2025-high": "20"},
     "An upper target needs a target."),
    ({"green_contacts-2025": "many"}, "Enter a number."),
])
def test_invalid_targets_are_refused_and_nothing_is_saved(management_client, changes, message):
    period = _programme()
    data = _grid_data(management_client, period)
    data["cluster_collaborations-2025"] = "7"  # a valid change that must not be saved either
    data.update(changes)

    response = management_client.post(f"/kpis/targets/{period.pk}/edit/", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Some targets need correcting" in html
    assert _target(period, "cluster_collaborations", 2025).value == Decimal("5")


def test_the_service_refuses_a_share_above_100_and_saves_nothing():
    period = _programme()

    with pytest.raises(ApplicationError, match="more than 100 %"):
        services.targets_update(period=period, targets={
            ("eu_applications", 2025): (Decimal("13"), None),
            ("innovative_members", 2025): (Decimal("101"), None),
        })

    assert _target(period, "eu_applications", 2025).value == Decimal("12")


def test_the_service_refuses_a_year_outside_the_period():
    with pytest.raises(ApplicationError, match="not a target of this period"):
        services.targets_update(period=_programme(), targets={
            ("eu_applications", 2030): (Decimal("1"), None)})


def test_management_adds_a_programme_period_and_goes_on_to_its_targets(management_client):
    response = management_client.post("/kpis/targets/new/", {
        "name": "2029–2032", "start": "2029-01-01", "end": "2032-12-31"})

    period = TargetPeriod.objects.get(name="2029–2032")
    assert response["Location"] == f"/kpis/targets/{period.pk}/edit/"
    assert period.years == [2029, 2030, 2031, 2032]
    assert AuditEntry.objects.filter(action="klynge.kpis.target_period.created",
                                     object_id=str(period.pk)).exists()
    form = management_client.get(response["Location"]).context["form"]
    assert len(form.fields) == 7 * 4 * 2


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "Overlap", "start": "2028-01-01", "end": "2031-12-31"},
     "The period shares a year with the programme period 2025–2028 (2025–2028)"),
    ({"name": "2025–2028", "start": "2033-01-01", "end": "2036-12-31"},
     "A programme period named “2025–2028” exists already."),
    ({"name": "Backwards", "start": "2033-12-31", "end": "2033-01-01"},
     "The end must be after the start."),
    ({"name": "", "start": "2033-01-01", "end": "2036-12-31"}, "This field is required."),
])
def test_an_invalid_programme_period_is_refused(management_client, data, message):
    response = management_client.post("/kpis/targets/new/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert TargetPeriod.objects.count() == 2


def test_staff_may_not_change_targets(staff_client):
    period = _programme()

    assert staff_client.get(f"/kpis/targets/{period.pk}/edit/").status_code == 403
    assert staff_client.post("/kpis/targets/new/", {
        "name": "X", "start": "2033-01-01", "end": "2036-12-31"}).status_code == 403
    assert TargetPeriod.objects.count() == 2


def test_an_administrator_may_change_targets(admin_client):
    period = _programme("2021–2024")
    data = _grid_data(admin_client, period)
    data["eu_applications-2024"] = "50"

    admin_client.post(f"/kpis/targets/{period.pk}/edit/", data)

    assert _target(period, "eu_applications", 2024).value == Decimal("50")
    assert date(2024, 12, 31) == period.end
