"""Optimistic locking on the organisation and person edit pages: a stale form is refused."""

import pytest
from django.test import Client
from django.urls import reverse

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.ecosystem import services
from klynge.ecosystem.models import Hub, Organisation, Person
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db


def staff_pair() -> tuple[Client, Client]:
    """Two signed-in staff members: Anna Holm and Bo Lund."""
    hub = Hub.objects.create(name="Hub Aalborg")
    clients = []
    for first, last in (("Anna", "Holm"), ("Bo", "Lund")):
        client = Client()
        client.force_login(
            user_with_role(Role.STAFF, first_name=first, last_name=last, hub=hub)
        )
        clients.append(client)
    return clients[0], clients[1]


def form_data(response, **changes) -> dict:
    """What a browser posts back from the form on the page, with `changes` typed in."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        if field.widget_type == "checkbox":
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        elif value is not None:
            data[field.html_name] = field.field.widget.format_value(value) or ""
    data.update(changes)
    return data


def errors_of(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


MESSAGE_START = "Someone else changed this {thing} while you were editing it (at "
MESSAGE_END = (
    " by Anna Holm). Your changes were not saved: review their changes below and apply yours "
    "again."
)


# --- organisations ---------------------------------------------------------------------------


def test_the_edit_form_carries_the_version():
    anna, _ = staff_pair()
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(version=4)

    page = anna.get(reverse("ecosystem:organisation_edit", args=[organisation.pk]))

    assert page.context["form"]["version"].value() == 4
    assert '<input type="hidden" name="version" value="4"' in page.content.decode()


def test_the_second_of_two_organisation_edits_is_refused_and_loses_nothing():
    anna, bo = staff_pair()
    organisation = OrganisationFactory(name="Iota ApS", city="Aarhus C", website="")
    url = reverse("ecosystem:organisation_edit", args=[organisation.pk])
    annas_page = anna.get(url)
    bos_page = bo.get(url)

    first = anna.post(url, form_data(annas_page, city="Vejle", postcode="7100"))
    second = bo.post(url, form_data(bos_page, website="https://iota.dk"))

    assert first.status_code == 302
    assert second.status_code == 200
    [message] = errors_of(second)
    assert message.startswith(MESSAGE_START.format(thing="organisation"))
    assert message.endswith(MESSAGE_END)
    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.city, stored.postcode, stored.website, stored.version) == (
        "Vejle", "7100", "", 2)
    form = second.context["form"]
    assert form["website"].value() == "https://iota.dk"
    assert form["city"].value() == "Aarhus C"
    assert form.fields["city"].help_text == "Now: Vejle (changed by the other edit)."
    assert form.fields["postcode"].help_text == "Now: 7100 (changed by the other edit)."
    assert form["version"].value() == "2"
    page = second.content.decode()
    assert "Now: Vejle (changed by the other edit)." in page
    assert AuditEntry.objects.filter(action="klynge.ecosystem.organisation.updated").count() == 1


def test_saving_again_after_reloading_works_and_each_save_raises_the_version_by_one():
    anna, bo = staff_pair()
    organisation = OrganisationFactory(city="Aarhus C")
    url = reverse("ecosystem:organisation_edit", args=[organisation.pk])
    bos_page = bo.get(url)
    anna.post(url, form_data(anna.get(url), city="Vejle", postcode="7100"))
    bo.post(url, form_data(bos_page, website="https://iota.dk"))

    reloaded = bo.get(url)
    again = bo.post(url, form_data(reloaded, website="https://iota.dk"))

    assert again.status_code == 302
    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.city, stored.website, stored.version) == ("Vejle", "https://iota.dk", 3)


def test_the_refused_form_sent_again_after_review_saves():
    anna, bo = staff_pair()
    organisation = OrganisationFactory(city="Aarhus C")
    url = reverse("ecosystem:organisation_edit", args=[organisation.pk])
    bos_page = bo.get(url)
    anna.post(url, form_data(anna.get(url), city="Vejle", postcode="7100"))
    refused = bo.post(url, form_data(bos_page, website="https://iota.dk"))

    reviewed = bo.post(url, form_data(refused, city="Vejle", postcode="7100"))

    assert reviewed.status_code == 302
    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.city, stored.website, stored.version) == ("Vejle", "https://iota.dk", 3)


def test_a_form_opened_before_a_merge_is_refused():
    anna, bo = staff_pair()
    survivor = OrganisationFactory(website="")
    duplicate = OrganisationFactory(website="https://dup.dk")
    url = reverse("ecosystem:organisation_edit", args=[survivor.pk])
    bos_page = bo.get(url)
    services.organisation_merge(survivor=survivor, duplicate=duplicate, actor=None)

    refused = bo.post(url, form_data(bos_page, city="Vejle"))

    assert refused.status_code == 200
    assert refused.context["form"].fields["website"].help_text == (
        "Now: https://dup.dk (changed by the other edit).")
    assert Organisation.objects.get(pk=survivor.pk).version == 2


def test_organisation_update_without_a_version_saves_and_raises_the_version():
    organisation = OrganisationFactory(city="Aarhus C")

    services.organisation_update(organisation=organisation, actor=None, data={"city": "Vejle"})
    services.organisation_update(organisation=organisation, actor=None, data={"city": "Vejle"})

    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.city, stored.version) == ("Vejle", 3)


# --- people ----------------------------------------------------------------------------------


def test_the_second_of_two_person_edits_is_refused_and_loses_nothing():
    anna, bo = staff_pair()
    person = PersonFactory(first_name="Mette", last_name="Dahl", phone="", job_title="")
    url = reverse("ecosystem:person_edit", args=[person.pk])
    annas_page = anna.get(url)
    bos_page = bo.get(url)

    first = anna.post(url, form_data(annas_page, phone="+45 12 34 56 78"))
    second = bo.post(url, form_data(bos_page, job_title="CTO"))

    assert first.status_code == 302
    assert second.status_code == 200
    [message] = errors_of(second)
    assert message.startswith(MESSAGE_START.format(thing="person"))
    assert message.endswith(MESSAGE_END)
    stored = Person.objects.get(pk=person.pk)
    assert (stored.phone, stored.job_title, stored.version) == ("+45 12 34 56 78", "", 2)
    form = second.context["form"]
    assert form["job_title"].value() == "CTO"
    assert form.fields["phone"].help_text == "Now: +45 12 34 56 78 (changed by the other edit)."

    again = bo.post(url, form_data(bo.get(url), job_title="CTO"))

    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.phone, stored.job_title, stored.version) == ("+45 12 34 56 78", "CTO", 3)


def test_person_update_without_a_version_saves_and_raises_the_version():
    person = PersonFactory(job_title="")

    services.person_update(person=person, actor=None, data={"job_title": "CEO"})

    stored = Person.objects.get(pk=person.pk)
    assert (stored.job_title, stored.version) == ("CEO", 2)


def test_a_form_opened_before_an_import_changed_the_organisation_is_refused():
    from django.core.files.base import ContentFile

    from klynge.ecosystem.importing import services as importing

    anna, bo = staff_pair()
    organisation = OrganisationFactory(name="Alfa ApS", cvr="24256790", city="Aarhus")
    url = reverse("ecosystem:organisation_edit", args=[organisation.pk])
    bos_page = bo.get(url)
    batch = importing.import_batch_create(
        actor=None, target="organisations", name="orgs.csv",
        file=ContentFile(b"Navn;CVR;By\r\nAlfa ApS;24256790;Aarhus C\r\n", name="orgs.csv"),
    )
    importing.import_commit(batch=batch, actor=None)

    refused = bo.post(url, form_data(bos_page, website="https://alfa.dk"))

    assert refused.status_code == 200
    assert refused.context["form"].fields["city"].help_text == (
        "Now: Aarhus C (changed by the other edit).")
    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.city, stored.website, stored.version) == ("Aarhus C", "", 2)
