"""Merging duplicates: move_relations, and the organisation and person merge services."""

from datetime import date

import pytest

from klynge.core.errors import ApplicationError
from klynge.core.merging import move_relations
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.ecosystem.models import Affiliation, Interaction, Organisation, Person
from klynge.ecosystem.services import organisation_merge, person_merge
from tests.factories import (
    AffiliationFactory,
    FocusAreaFactory,
    HubFactory,
    InteractionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    next_cvr,
    user_with_role,
)

# --- move_relations ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_move_relations_moves_every_relation_of_one_organisation_to_another():
    shared_area, own_area, target_area = FocusAreaFactory.create_batch(3)
    source = OrganisationFactory()
    source.focus_areas.set([shared_area, own_area])
    target = OrganisationFactory()
    target.focus_areas.set([shared_area, target_area])
    anna, bo = PersonFactory.create_batch(2)
    AffiliationFactory(person=anna, organisation=source)
    AffiliationFactory(person=bo, organisation=source)
    AffiliationFactory(organisation=target)
    membership = MembershipFactory(organisation=source)
    interaction = InteractionFactory(organisation=source)
    interaction.people.set([anna, bo])
    login = UserFactory(role=Role.MEMBER, organisation=source)

    moved = move_relations(source=source, target=target)

    assert moved == {
        "ecosystem.Affiliation.organisation": 2,
        "ecosystem.Membership.organisation": 1,
        "ecosystem.Interaction.organisation": 1,
        "core.User.organisation": 1,
        "ecosystem.Organisation.focus_areas": 1,
    }
    assert set(target.affiliations.values_list("person", flat=True)) >= {anna.pk, bo.pk}
    assert target.affiliations.count() == 3
    assert not Affiliation.objects.filter(organisation=source).exists()
    membership.refresh_from_db()
    interaction.refresh_from_db()
    login.refresh_from_db()
    assert membership.organisation == target
    assert interaction.organisation == target
    assert set(interaction.people.all()) == {anna, bo}
    assert login.organisation == target
    assert set(target.focus_areas.all()) == {shared_area, own_area, target_area}


@pytest.mark.django_db
def test_move_relations_drops_a_person_already_in_the_same_interaction():
    source, target, bystander = PersonFactory.create_batch(3)
    both = InteractionFactory()
    both.people.set([source, target, bystander])
    only_source = InteractionFactory()
    only_source.people.set([source])

    moved = move_relations(source=source, target=target)

    assert moved == {"ecosystem.Interaction.people": 1}
    assert set(both.people.all()) == {target, bystander}
    assert set(only_source.people.all()) == {target}
    assert not source.interactions.exists()


@pytest.mark.django_db
def test_move_relations_between_records_without_relations_moves_nothing():
    assert move_relations(source=OrganisationFactory(), target=OrganisationFactory()) == {}


# --- organisation_merge ------------------------------------------------------------------------


@pytest.mark.django_db
def test_organisation_merge_moves_relations_fills_empty_fields_and_deletes_the_duplicate():
    actor = user_with_role(Role.STAFF)
    hub = HubFactory(name="Hub Odense")
    area = FocusAreaFactory()
    survivor = OrganisationFactory(
        name="Bolt Robotics ApS", cvr=None, website="", city="Aarhus C", hub=None,
        description="",
    )
    duplicate_cvr = next_cvr()
    duplicate = OrganisationFactory(
        name="Bolt Robotics", cvr=duplicate_cvr, website="https://bolt.dk", city="Vejle",
        hub=hub, description="Robots for warehouses",
    )
    duplicate.focus_areas.set([area])
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=duplicate)
    MembershipFactory(organisation=duplicate, start_date=date(2021, 1, 1), end_date=None)
    interaction = InteractionFactory(organisation=duplicate)
    interaction.people.set([person])
    member = user_with_role(Role.MEMBER, organisation=duplicate)
    duplicate_pk = duplicate.pk

    result = organisation_merge(survivor=survivor, duplicate=duplicate, actor=actor)

    assert result == survivor
    assert not Organisation.objects.filter(pk=duplicate_pk).exists()
    survivor.refresh_from_db()
    assert survivor.name == "Bolt Robotics ApS"  # the survivor's own values win
    assert survivor.city == "Aarhus C"
    assert survivor.cvr == duplicate_cvr  # empty fields are filled from the duplicate
    assert survivor.website == "https://bolt.dk"
    assert survivor.hub == hub
    assert survivor.description == "Robots for warehouses"
    assert list(survivor.people.all()) == [person]
    assert survivor.memberships.count() == 1
    interaction.refresh_from_db()
    assert interaction.organisation == survivor
    assert list(interaction.people.all()) == [person]
    assert list(survivor.focus_areas.all()) == [area]
    member.refresh_from_db()
    assert member.organisation == survivor
    assert member.has_member_access()  # the membership came along


@pytest.mark.django_db
def test_organisation_merge_writes_an_audit_entry_with_the_duplicates_snapshot():
    actor = user_with_role(Role.STAFF)
    survivor = OrganisationFactory(name="Bolt Robotics ApS", website="")
    duplicate = OrganisationFactory(name="Bolt Robotics", website="https://bolt.dk",
                                    postcode="7100", city="Vejle")
    MembershipFactory(organisation=duplicate)
    duplicate_pk, duplicate_cvr = duplicate.pk, duplicate.cvr

    organisation_merge(survivor=survivor, duplicate=duplicate, actor=actor)

    entry = AuditEntry.objects.get(action="klynge.ecosystem.organisation.merged")
    assert entry.object_id == str(survivor.pk)
    assert entry.actor == actor
    assert entry.data["duplicate_id"] == duplicate_pk
    snapshot = entry.data["duplicate"]
    assert snapshot["name"] == "Bolt Robotics"
    assert snapshot["cvr"] == duplicate_cvr
    assert snapshot["website"] == "https://bolt.dk"
    assert (snapshot["postcode"], snapshot["city"]) == ("7100", "Vejle")
    assert entry.data["moved"] == {"ecosystem.Membership.organisation": 1}
    assert entry.data["filled"] == ["website"]


@pytest.mark.django_db
def test_an_organisation_cannot_be_merged_with_itself_and_nothing_is_written():
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation)

    with pytest.raises(ApplicationError):
        organisation_merge(survivor=organisation, duplicate=organisation, actor=None)

    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert organisation.memberships.count() == 1
    assert not AuditEntry.objects.exists()


# --- person_merge ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_person_merge_moves_relations_fills_empty_fields_and_deletes_the_duplicate():
    actor = user_with_role(Role.STAFF)
    survivor = PersonFactory(first_name="Anna", last_name="", email="anna@bolt.dk", phone="",
                             job_title="CTO", notes="")
    duplicate = PersonFactory(first_name="Anna", last_name="Jensen",
                              email="anna.jensen@gmail.com", phone="+45 12 34 56 78",
                              job_title="Chief technology officer", notes="Met at the fair")
    other_company = OrganisationFactory()
    AffiliationFactory(person=duplicate, organisation=other_company, role="Board member",
                       is_primary=False)
    together = InteractionFactory()
    together.people.set([survivor, duplicate])
    alone = InteractionFactory()
    alone.people.set([duplicate])
    login = UserFactory(role=Role.MEMBER, person=duplicate)
    duplicate_pk = duplicate.pk

    person_merge(survivor=survivor, duplicate=duplicate, actor=actor)

    assert not Person.objects.filter(pk=duplicate_pk).exists()
    survivor.refresh_from_db()
    assert survivor.email == "anna@bolt.dk"  # the survivor keeps its identity
    assert survivor.job_title == "CTO"
    assert survivor.last_name == "Jensen"  # empty fields are filled
    assert survivor.phone == "+45 12 34 56 78"
    assert survivor.notes == "Met at the fair"
    assert list(survivor.organisations.all()) == [other_company]
    assert list(together.people.all()) == [survivor]
    assert list(alone.people.all()) == [survivor]
    assert set(Interaction.objects.filter(people=survivor)) == {together, alone}
    login.refresh_from_db()
    assert login.person == survivor


@pytest.mark.django_db
def test_person_merge_writes_an_audit_entry_with_the_duplicates_snapshot():
    actor = user_with_role(Role.STAFF)
    survivor = PersonFactory(email="anna@bolt.dk")
    duplicate = PersonFactory(first_name="Anna", last_name="Jensen",
                              email="anna.jensen@gmail.com")
    AffiliationFactory(person=duplicate)
    duplicate_pk = duplicate.pk

    person_merge(survivor=survivor, duplicate=duplicate, actor=actor)

    entry = AuditEntry.objects.get(action="klynge.ecosystem.person.merged")
    assert entry.object_id == str(survivor.pk)
    assert entry.actor == actor
    assert entry.data["duplicate_id"] == duplicate_pk
    assert entry.data["duplicate"]["email"] == "anna.jensen@gmail.com"
    assert entry.data["duplicate"]["last_name"] == "Jensen"
    assert entry.data["moved"] == {"ecosystem.Affiliation.person": 1}


@pytest.mark.django_db
def test_person_merge_keeps_the_survivors_own_login():
    survivor, duplicate = PersonFactory.create_batch(2)
    own_login = UserFactory(role=Role.MEMBER, person=survivor)
    other_login = UserFactory(role=Role.MEMBER, person=duplicate)

    person_merge(survivor=survivor, duplicate=duplicate, actor=None)

    own_login.refresh_from_db()
    other_login.refresh_from_db()
    assert own_login.person == survivor
    assert other_login.person is None


@pytest.mark.django_db
def test_a_person_cannot_be_merged_with_themselves():
    person = PersonFactory()

    with pytest.raises(ApplicationError):
        person_merge(survivor=person, duplicate=person, actor=None)

    assert Person.objects.filter(pk=person.pk).exists()
    assert not AuditEntry.objects.exists()
