"""The optimistic-locking helper: save_if_current, check_current, the StaleEdit message."""

from datetime import timedelta

import pytest
from django.utils import timezone

from klynge.core.audit import log_action
from klynge.core.locking import StaleEdit, check_current, save_if_current, show_stale
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.ecosystem.forms import OrganisationForm
from klynge.ecosystem.models import Organisation
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_a_new_record_starts_at_version_one_also_in_bulk():
    made = OrganisationFactory()
    Organisation.objects.bulk_create([Organisation(name="Bulk ApS", kind="company")])

    assert made.version == 1
    assert Organisation.objects.get(name="Bulk ApS").version == 1


def test_save_on_the_current_version_saves_and_raises_the_version_by_one():
    organisation = OrganisationFactory(city="Aarhus C")
    organisation.city = "Vejle"

    save_if_current(organisation, 1)

    organisation.refresh_from_db()
    assert (organisation.city, organisation.version) == ("Vejle", 2)


def test_save_without_a_version_raises_the_version_too():
    organisation = OrganisationFactory()

    save_if_current(organisation, None)
    save_if_current(organisation, None)

    assert organisation.version == 3
    assert Organisation.objects.get(pk=organisation.pk).version == 3


def test_save_of_a_stale_version_is_refused_and_writes_nothing():
    organisation = OrganisationFactory(city="Aarhus C")
    other = Organisation.objects.get(pk=organisation.pk)
    other.city = "Odense C"
    save_if_current(other, 1)
    organisation.city = "Vejle"

    with pytest.raises(StaleEdit) as refused:
        save_if_current(organisation, 1)

    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.city, stored.version) == ("Odense C", 2)
    assert refused.value.current_version == 2


def test_fields_saves_only_those_fields_and_the_version():
    organisation = OrganisationFactory(city="Aarhus C", postcode="8000")
    Organisation.objects.filter(pk=organisation.pk).update(postcode="7100")
    organisation.city = "Vejle"

    save_if_current(organisation, 1, fields=["city"])

    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.city, stored.postcode, stored.version) == ("Vejle", "7100", 2)


def test_the_message_names_who_changed_the_record_and_when_and_the_fields():
    anna = user_with_role(Role.STAFF, first_name="Anna", last_name="Holm")
    organisation = OrganisationFactory()
    save_if_current(organisation, 1)
    entry = log_action(organisation, "klynge.ecosystem.organisation.updated", actor=anna,
                       data={"changes": {"city": ["Aarhus C", "Vejle"]}})
    AuditEntry.objects.filter(pk=entry.pk).update(
        timestamp=timezone.localtime().replace(hour=14, minute=2, second=0, microsecond=0)
    )

    with pytest.raises(StaleEdit) as refused:
        check_current(organisation, 1)

    assert refused.value.message == (
        "Someone else changed this organisation while you were editing it (at 14:02 by Anna "
        "Holm). Your changes were not saved: review their changes below and apply yours again."
    )
    assert refused.value.changed == ["city"]
    assert refused.value.extra == {"current_version": 2, "changed": ["city"]}


def test_an_earlier_day_is_named_with_its_date_and_a_change_without_a_person_without_a_name():
    organisation = OrganisationFactory()
    save_if_current(organisation, 1)
    entry = log_action(organisation, "klynge.ecosystem.organisation.imported",
                       data={"changes": {"name": ["Old", "New"]}})
    AuditEntry.objects.filter(pk=entry.pk).update(timestamp=timezone.now() - timedelta(days=3))

    with pytest.raises(StaleEdit) as refused:
        check_current(organisation, 1)

    assert "while you were editing it (at " in refused.value.message
    assert " by " not in refused.value.message
    assert refused.value.changed == ["name"]


def test_only_the_changes_missed_since_the_form_was_opened_are_named():
    organisation = OrganisationFactory()
    save_if_current(organisation, 1)
    log_action(organisation, "klynge.ecosystem.organisation.updated",
               data={"changes": {"city": ["A", "B"]}})
    save_if_current(organisation, 2)
    log_action(organisation, "klynge.ecosystem.organisation.updated",
               data={"changes": {"website": ["", "https://x.dk"]}})

    with pytest.raises(StaleEdit) as refused:
        check_current(organisation, 2)

    assert refused.value.changed == ["website"]


def test_a_record_deleted_meanwhile_is_refused_with_its_own_message():
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).delete()

    with pytest.raises(StaleEdit) as refused:
        save_if_current(organisation, 1)

    assert refused.value.message.startswith("This organisation was deleted or merged")
    assert refused.value.current_version is None


def test_check_current_passes_the_current_version_and_none():
    organisation = OrganisationFactory()

    check_current(organisation, 1)
    check_current(organisation, None)


def test_show_stale_hints_the_current_value_and_takes_the_current_version():
    organisation = OrganisationFactory(city="Aarhus C")
    form = OrganisationForm(
        {"name": organisation.name, "kind": "company", "country": "DK", "city": "Mine",
         "version": "1"},
        instance=organisation,
    )
    assert form.is_valid()
    Organisation.objects.filter(pk=organisation.pk).update(city="Vejle", version=2)
    log_action(organisation, "klynge.ecosystem.organisation.updated",
               data={"changes": {"city": ["Aarhus C", "Vejle"]}})

    error = StaleEdit("Refused.", current_version=2, changed=["city", "gone"])
    hinted = show_stale(form, organisation, error)

    assert hinted == [("city", "Vejle")]
    assert form.fields["city"].help_text == "Now: Vejle (changed by the other edit)."
    assert form["city"].value() == "Mine"
    assert form["version"].value() == "2"
    assert form.non_field_errors() == ["Refused."]
