"""Optimistic locking on the activity edit page: a stale form is refused, nothing is lost."""

from decimal import Decimal

import pytest
from django.urls import reverse

from klynge.activities import services
from klynge.activities.models import Activity
from klynge.core.models import AuditEntry
from tests.activities.factories import ActivityFactory, ActivityFundingFactory, GrantFactory
from tests.ecosystem.test_locking import MESSAGE_END, errors_of, form_data, staff_pair

pytestmark = pytest.mark.django_db


def test_the_edit_form_carries_the_version_and_the_new_form_none():
    anna, _ = staff_pair()
    activity = ActivityFactory()
    Activity.objects.filter(pk=activity.pk).update(version=3)

    edit = anna.get(reverse("activities:activity_edit", args=[activity.pk]))
    new = anna.get(reverse("activities:activity_create"))

    assert '<input type="hidden" name="version" value="3"' in edit.content.decode()
    assert "version" not in new.context["form"].fields


def test_the_second_of_two_activity_edits_is_refused_and_loses_nothing():
    anna, bo = staff_pair()
    activity = ActivityFactory(title="IoT for builders", place="Aarhus")
    url = reverse("activities:activity_edit", args=[activity.pk])
    annas_page = anna.get(url)
    bos_page = bo.get(url)

    first = anna.post(url, form_data(annas_page, place="Vejle"))
    second = bo.post(url, form_data(bos_page, title="IoT for engineers"))

    assert first.status_code == 302
    assert second.status_code == 200
    [message] = errors_of(second)
    assert message.startswith(
        "Someone else changed this activity while you were editing it (at ")
    assert message.endswith(MESSAGE_END)
    stored = Activity.objects.get(pk=activity.pk)
    assert (stored.title, stored.place, stored.version) == ("IoT for builders", "Vejle", 2)
    form = second.context["form"]
    assert form["title"].value() == "IoT for engineers"
    assert form["place"].value() == "Aarhus"
    assert form.fields["place"].help_text == "Now: Vejle (changed by the other edit)."
    assert "Now: Vejle (changed by the other edit)." in second.content.decode()
    assert AuditEntry.objects.filter(action="klynge.activities.activity.updated").count() == 1

    again = bo.post(url, form_data(bo.get(url), title="IoT for engineers"))

    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.title, stored.place, stored.version) == ("IoT for engineers", "Vejle", 3)


def test_a_changed_funding_split_is_shown_beside_the_funding_rows():
    anna, bo = staff_pair()
    activity = ActivityFactory()
    funding = ActivityFundingFactory(activity=activity)
    other = GrantFactory(name="Other grant")
    url = reverse("activities:activity_edit", args=[activity.pk])
    bos_page = bo.get(url)
    anna.post(url, form_data(anna.get(url), share_0="60", grant_1=str(other.pk), share_1="40"))

    refused = bo.post(url, form_data(bos_page, place="Vejle"))

    assert refused.status_code == 200
    hint = (f"Now: {funding.grant} 60 %, {other} 40 % (changed by the other edit).")
    assert refused.context["form"].fields["grant_0"].help_text == hint
    assert hint in refused.content.decode()
    assert sorted(f.share for f in activity.fundings.all()) == [Decimal("40.00"),
                                                                Decimal("60.00")]
    assert funding.grant_id in [f.grant_id for f in activity.fundings.all()]


def test_activity_update_without_a_version_saves_and_raises_the_version():
    activity = ActivityFactory(place="Aarhus")

    services.activity_update(activity=activity, actor=None, data={"place": "Vejle"})

    stored = Activity.objects.get(pk=activity.pk)
    assert (stored.place, stored.version) == ("Vejle", 2)
