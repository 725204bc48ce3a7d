"""Services of activities and focus networks: the rules, the audit log, the HELD hook."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from klynge.activities import hooks, services
from klynge.activities.models import Activity, ActivityFunding, FocusNetwork, FocusNetworkMember
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.funding.choices import GrantKind
from tests.activities.factories import (
    ActivityFactory,
    ActivityFundingFactory,
    FocusNetworkFactory,
    GrantFactory,
    GrantGiverFactory,
)
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _when(days: int, hour: int = 9):
    return (timezone.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def _data(**extra):
    data = {
        "title": "AI in SMEs", "description": "Seminar", "type": "knowledge_dissemination",
        "format": "seminar", "starts_at": _when(20, 9), "ends_at": _when(20, 12),
        "status": "open", "is_public": True, "place": "Aarhus",
    }
    data.update(extra)
    return data


def _actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(obj.pk), action__startswith="klynge.activities")
        .order_by("pk").values_list("action", flat=True)
    )


# --- create ------------------------------------------------------------------------------------


def test_create_saves_the_activity_its_split_and_co_organisers_and_logs_it():
    actor = UserFactory()
    ufs = GrantFactory(code="UFS")
    deb = GrantFactory(code="DEB", kind=GrantKind.BUSINESS,
                       giver=GrantGiverFactory(short_name="DEB"))
    partner = OrganisationFactory(name="Cleantech Cluster", kind="cluster")

    activity = services.activity_create(
        actor=actor, data=_data(capacity=40),
        fundings=[(ufs, Decimal("60")), (deb, Decimal("40"))], co_organisers=[partner],
    )

    assert activity.title == "AI in SMEs"
    assert activity.capacity == 40
    assert sorted((f.grant.code, f.share) for f in activity.fundings.all()) == [
        ("DEB", Decimal("40.00")), ("UFS", Decimal("60.00"))
    ]
    assert list(activity.co_organisers.all()) == [partner]
    entry = AuditEntry.objects.get(object_id=str(activity.pk))
    assert entry.action == "klynge.activities.activity.created"
    assert entry.actor == actor
    assert entry.data["co_organisers"] == [partner.pk]


def test_a_lone_grant_without_a_share_pays_100_percent():
    grant = GrantFactory()

    activity = services.activity_create(actor=None, data=_data(), fundings=[(grant, None)])

    assert [(f.grant, f.share) for f in activity.fundings.all()] == [(grant, Decimal("100.00"))]


def test_create_defaults_to_planned():
    activity = services.activity_create(actor=None, data=_data(status=""))

    assert activity.status == "planned"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"ends_at": _when(20, 9)}, "ends_at", "An activity must end after it starts."),
        ({"ends_at": _when(19, 9)}, "ends_at", "An activity must end after it starts."),
        ({"registration_deadline": _when(20, 10)}, "registration_deadline",
         "The registration deadline must be before the activity starts."),
        ({"capacity": 0}, "capacity",
         "The capacity must be at least 1 (leave it empty for no limit)."),
        ({"title": "  "}, "title", "An activity needs a title."),
        ({"status": "held"}, "status",
         "Use the buttons on the activity's page to mark it held or to cancel it."),
    ],
)
def test_create_refuses_broken_rules_and_writes_nothing(extra, field, message):
    with pytest.raises(ApplicationError) as caught:
        services.activity_create(actor=None, data=_data(**extra))

    assert (caught.value.field, caught.value.message) == (field, message)
    assert Activity.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_shares_must_add_up_to_100():
    ufs, deb = GrantFactory(), GrantFactory(kind=GrantKind.BUSINESS)

    with pytest.raises(ApplicationError) as caught:
        services.activity_create(
            actor=None, data=_data(), fundings=[(ufs, Decimal("60")), (deb, Decimal("30"))]
        )

    assert caught.value.field == "fundings"
    assert caught.value.message == (
        "The funding shares add up to 90 %; they must add up to 100 %."
    )
    assert Activity.objects.count() == 0
    assert ActivityFunding.objects.count() == 0


def test_a_grant_named_twice_is_refused():
    grant = GrantFactory(code="UFS")

    with pytest.raises(ApplicationError) as caught:
        services.activity_create(
            actor=None, data=_data(), fundings=[(grant, Decimal("50")), (grant, Decimal("50"))]
        )

    assert caught.value.message == f"{grant} is named twice in the funding split."
    assert Activity.objects.count() == 0


def test_the_grant_period_must_cover_the_activity_date():
    grant = GrantFactory(code="UFS", period_start=date(2021, 1, 1), period_end=date(2024, 12, 31))
    day = timezone.localtime(_when(20)).date()

    with pytest.raises(ApplicationError) as caught:
        services.activity_create(actor=None, data=_data(), fundings=[(grant, None)])

    assert caught.value.field == "fundings"
    assert caught.value.message == (
        f"UFS 2021–2024 runs from 2021-01-01 to 2024-12-31; the activity on {day} is "
        "outside its period."
    )
    assert Activity.objects.count() == 0


def test_the_type_must_be_eligible_under_the_grant():
    start = _when(20)
    grant = GrantFactory(code="UFS", period_start=date(2021, 1, 1),
                         period_end=date(start.year + 1, 12, 31))

    with pytest.raises(ApplicationError) as caught:
        services.activity_create(
            actor=None, data=_data(type="access_to_finance"), fundings=[(grant, None)]
        )

    assert caught.value.field == "type"
    assert caught.value.message == (
        f"Access to finance is not eligible under UFS 2021–{start.year + 1}."
    )
    assert Activity.objects.count() == 0


# --- update ------------------------------------------------------------------------------------


def test_update_logs_the_changed_fields_only():
    activity = ActivityFactory(title="Old", capacity=10)

    services.activity_update(activity=activity, actor=None, data={"title": "New", "capacity": 10})

    entry = AuditEntry.objects.get(action="klynge.activities.activity.updated")
    assert entry.data == {"changes": {"title": ["Old", "New"]}}


def test_update_without_changes_logs_nothing():
    activity = ActivityFactory(title="Same")

    services.activity_update(activity=activity, actor=None, data={"title": "Same"})

    assert AuditEntry.objects.count() == 0


def test_update_checks_the_existing_split_against_a_new_type():
    activity = ActivityFactory(title="Seminar")
    ActivityFundingFactory(activity=activity, grant=GrantFactory(code="UFS"))

    with pytest.raises(ApplicationError) as caught:
        services.activity_update(
            activity=activity, actor=None, data={"type": "entrepreneurship"}
        )

    assert caught.value.message.startswith("Entrepreneurship is not eligible under UFS ")
    activity.refresh_from_db()
    assert activity.type == "knowledge_dissemination"
    assert AuditEntry.objects.count() == 0


def test_update_replaces_the_split_and_records_it():
    activity = ActivityFactory()
    old = ActivityFundingFactory(activity=activity, grant=GrantFactory(code="UFS"))
    deb = GrantFactory(code="DEB", kind=GrantKind.BUSINESS)

    services.activity_update(
        activity=activity, actor=None, data={},
        fundings=[(old.grant, Decimal("50")), (deb, Decimal("50"))],
    )

    assert sorted((f.grant.code, f.share) for f in activity.fundings.all()) == [
        ("DEB", Decimal("50.00")), ("UFS", Decimal("50.00"))
    ]
    entry = AuditEntry.objects.get(action="klynge.activities.activity.updated")
    assert entry.data["changes"]["fundings"] == [
        [[old.grant_id, "100"]], [[old.grant_id, "50"], [deb.pk, "50"]]
    ]


# --- status ------------------------------------------------------------------------------------


def test_mark_held_sets_status_and_time_and_calls_the_hooks_on_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    called = []
    monkeypatch.setattr(hooks, "HELD", [called.append])
    activity = ActivityFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.activity_mark_held(activity=activity, actor=None)
        assert called == []

    activity.refresh_from_db()
    assert activity.status == "held"
    assert activity.held_at is not None
    assert called == [activity.pk]
    assert _actions(activity) == ["klynge.activities.activity.held"]


def test_mark_held_refuses_a_cancelled_activity_and_calls_no_hook(
    django_capture_on_commit_callbacks, monkeypatch
):
    called = []
    monkeypatch.setattr(hooks, "HELD", [called.append])
    activity = ActivityFactory(status="cancelled")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError) as c:
        services.activity_mark_held(activity=activity, actor=None)

    assert c.value.message == "A cancelled activity cannot be marked held."
    activity.refresh_from_db()
    assert (activity.status, activity.held_at, called) == ("cancelled", None, [])
    assert AuditEntry.objects.count() == 0


def test_mark_held_twice_is_refused():
    activity = ActivityFactory()
    services.activity_mark_held(activity=activity, actor=None)

    with pytest.raises(ApplicationError, match="already marked held"):
        services.activity_mark_held(activity=activity, actor=None)

    assert _actions(activity) == ["klynge.activities.activity.held"]


def test_cancel_records_the_reason():
    activity = ActivityFactory(status="open")

    services.activity_cancel(activity=activity, actor=None, reason="Speaker ill")

    activity.refresh_from_db()
    assert activity.status == "cancelled"
    entry = AuditEntry.objects.get(object_id=str(activity.pk))
    assert entry.action == "klynge.activities.activity.cancelled"
    assert entry.data == {"changes": {"status": ["open", "cancelled"]}, "reason": "Speaker ill"}


def test_a_held_activity_cannot_be_cancelled():
    activity = ActivityFactory(status="held")

    with pytest.raises(ApplicationError) as caught:
        services.activity_cancel(activity=activity, actor=None)

    assert caught.value.message == "A held activity cannot be cancelled."
    activity.refresh_from_db()
    assert activity.status == "held"
    assert AuditEntry.objects.count() == 0


def test_set_status_moves_between_planned_open_and_closed():
    activity = ActivityFactory(status="planned")

    services.activity_set_status(activity=activity, actor=None, status="open")

    activity.refresh_from_db()
    assert activity.status == "open"
    entry = AuditEntry.objects.get(object_id=str(activity.pk))
    assert entry.action == "klynge.activities.activity.status_changed"
    assert entry.data == {"changes": {"status": ["planned", "open"]}}


def test_set_status_refuses_to_reopen_a_cancelled_activity():
    activity = ActivityFactory(status="cancelled")

    with pytest.raises(ApplicationError) as caught:
        services.activity_set_status(activity=activity, actor=None, status="open")

    assert caught.value.message == "This activity is cancelled; its status can no longer change."
    activity.refresh_from_db()
    assert activity.status == "cancelled"
    assert AuditEntry.objects.count() == 0


# --- co-organisers -----------------------------------------------------------------------------


def test_add_and_remove_a_co_organiser():
    activity = ActivityFactory()
    partner = OrganisationFactory(name="Erhvervshus Midtjylland")

    services.activity_add_co_organiser(activity=activity, organisation=partner, actor=None)
    assert list(activity.co_organisers.all()) == [partner]
    services.activity_remove_co_organiser(activity=activity, organisation=partner, actor=None)

    assert list(activity.co_organisers.all()) == []
    assert _actions(activity) == [
        "klynge.activities.activity.co_organiser_added",
        "klynge.activities.activity.co_organiser_removed",
    ]


def test_a_co_organiser_is_added_once():
    activity = ActivityFactory()
    partner = OrganisationFactory(name="Cleantech Cluster")
    activity.co_organisers.add(partner)

    with pytest.raises(ApplicationError) as caught:
        services.activity_add_co_organiser(activity=activity, organisation=partner, actor=None)

    assert caught.value.message == "Cleantech Cluster already co-organises this activity."
    assert AuditEntry.objects.count() == 0


# --- focus networks ----------------------------------------------------------------------------


def test_focus_network_create_and_update():
    network = services.focus_network_create(actor=None, data={"name": " Cyber security "})
    services.focus_network_update(network=network, actor=None, data={"name": "Cyber"})

    network.refresh_from_db()
    assert network.name == "Cyber"
    assert _actions(network) == [
        "klynge.activities.focus_network.created", "klynge.activities.focus_network.updated"
    ]


def test_focus_network_names_are_unique():
    FocusNetworkFactory(name="Cyber security")

    with pytest.raises(ApplicationError) as caught:
        services.focus_network_create(actor=None, data={"name": "cyber SECURITY"})

    assert caught.value.field == "name"
    assert FocusNetwork.objects.count() == 1
    assert AuditEntry.objects.count() == 0


def test_members_join_leave_and_rejoin():
    network = FocusNetworkFactory()
    person = PersonFactory()

    services.focus_network_add_member(
        network=network, person=person, actor=None, joined_on=date(2025, 1, 1)
    )
    services.focus_network_remove_member(
        network=network, person=person, actor=None, left_on=date(2025, 6, 1)
    )
    member = FocusNetworkMember.objects.get()
    assert (member.joined_on, member.left_on) == (date(2025, 1, 1), date(2025, 6, 1))
    services.focus_network_add_member(
        network=network, person=person, actor=None, joined_on=date(2025, 9, 1)
    )

    member = FocusNetworkMember.objects.get()
    assert (member.joined_on, member.left_on) == (date(2025, 9, 1), None)
    assert _actions(network) == [
        "klynge.activities.focus_network.member_added",
        "klynge.activities.focus_network.member_removed",
        "klynge.activities.focus_network.member_added",
    ]


def test_a_current_member_is_not_added_twice():
    network = FocusNetworkFactory()
    person = PersonFactory(first_name="Mette", last_name="Jensen")
    FocusNetworkMember.objects.create(network=network, person=person)

    with pytest.raises(ApplicationError) as caught:
        services.focus_network_add_member(network=network, person=person, actor=None)

    assert caught.value.message == "Mette Jensen is already a member."
    assert FocusNetworkMember.objects.count() == 1
    assert AuditEntry.objects.count() == 0
