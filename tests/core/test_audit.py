"""The one audit log: log_action, audit_entries_for and the changes() helper."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from klynge.core.audit import audit_entries_for, changes, log_action
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.ecosystem.models import Organisation
from tests.factories import OrganisationFactory, user_with_role


@pytest.mark.django_db
def test_log_action_records_actor_action_object_and_data():
    actor = user_with_role(Role.STAFF)
    organisation = OrganisationFactory(name="Bolt Robotics ApS")

    entry = log_action(
        organisation, "klynge.ecosystem.organisation.updated", actor=actor,
        data={"changes": {"city": ["Aarhus C", "Vejle"]}},
    )

    entry.refresh_from_db()
    assert entry.actor == actor
    assert entry.action == "klynge.ecosystem.organisation.updated"
    assert entry.event == "updated"
    assert entry.content_type == ContentType.objects.get_for_model(Organisation)
    assert entry.object_id == str(organisation.pk)
    assert entry.object_repr == "Bolt Robotics ApS"
    assert entry.data == {"changes": {"city": ["Aarhus C", "Vejle"]}}


@pytest.mark.django_db
def test_log_action_stores_dates_decimals_and_times_as_json():
    organisation = OrganisationFactory()

    entry = log_action(
        organisation, "klynge.ecosystem.membership.created", actor=None,
        data={
            "start_date": date(2025, 1, 1),
            "annual_fee": Decimal("5000.00"),
            "at": datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
            "tiers": (1, 2),
        },
    )

    entry.refresh_from_db()
    assert entry.data == {
        "start_date": "2025-01-01",
        "annual_fee": "5000.00",
        "at": "2025-03-01T09:30:00Z",
        "tiers": [1, 2],
    }


@pytest.mark.django_db
def test_log_action_without_a_signed_in_actor_records_no_actor_and_empty_data():
    organisation = OrganisationFactory()

    by_nobody = log_action(organisation, "klynge.ecosystem.organisation.created")
    by_anonymous = log_action(
        organisation, "klynge.ecosystem.organisation.viewed", actor=AnonymousUser()
    )

    assert by_nobody.actor is None
    assert by_anonymous.actor is None
    assert by_nobody.data == {}


@pytest.mark.django_db
def test_log_action_cuts_a_long_record_name_to_the_column():
    organisation = OrganisationFactory(name="A" * 255)
    organisation.name = "B" * 300  # as if a longer name were allowed later

    entry = log_action(organisation, "klynge.ecosystem.organisation.created")

    assert entry.object_repr == "B" * 255


@pytest.mark.django_db
def test_audit_entries_for_returns_one_records_entries_newest_first():
    organisation = OrganisationFactory()
    other = OrganisationFactory()
    first = log_action(organisation, "klynge.ecosystem.organisation.created")
    log_action(other, "klynge.ecosystem.organisation.created")
    second = log_action(organisation, "klynge.ecosystem.organisation.updated")
    third = log_action(organisation, "klynge.ecosystem.organisation.merged")

    entries = list(audit_entries_for(organisation))

    assert entries == [third, second, first]


@pytest.mark.django_db
def test_audit_entries_for_orders_by_time_before_id_and_honours_the_limit():
    organisation = OrganisationFactory()
    late = log_action(organisation, "klynge.ecosystem.organisation.updated")
    early = log_action(organisation, "klynge.ecosystem.organisation.created")
    AuditEntry.objects.filter(pk=early.pk).update(
        timestamp=datetime(2020, 1, 1, tzinfo=UTC)
    )

    assert list(audit_entries_for(organisation)) == [late, early]
    assert list(audit_entries_for(organisation, limit=1)) == [late]


@pytest.mark.django_db
def test_audit_entries_for_a_record_without_entries_is_empty():
    assert list(audit_entries_for(OrganisationFactory())) == []


def test_changes_lists_each_differing_field_with_old_and_new_value():
    before = {"name": "Bolt ApS", "city": "Aarhus C", "employee_band": "10-49", "hub": 1}
    after = {"name": "Bolt Robotics ApS", "city": "Aarhus C", "employee_band": "50-249",
             "hub": 1}

    assert changes(before, after) == {
        "employee_band": ["10-49", "50-249"],
        "name": ["Bolt ApS", "Bolt Robotics ApS"],
    }


def test_changes_treats_a_missing_field_as_none_and_sorts_the_fields():
    diff = changes({"website": "https://bolt.dk"}, {"phone": "+45 12345678"})

    assert list(diff) == ["phone", "website"]
    assert diff == {"phone": [None, "+45 12345678"], "website": ["https://bolt.dk", None]}


def test_changes_of_equal_snapshots_is_empty():
    assert changes({"a": 1, "b": None}, {"a": 1}) == {}
