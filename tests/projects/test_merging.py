"""Merging organisations moves their project partnerships; a project keeps one of two."""

from decimal import Decimal

import pytest

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.ecosystem.services import organisation_merge
from klynge.projects.choices import PartnerRole
from klynge.projects.models import ProjectPartner
from tests.factories import OrganisationFactory, user_with_role
from tests.projects.factories import ProjectFactory, ProjectPartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return user_with_role(Role.STAFF)


def test_merging_moves_the_duplicates_partnerships_to_the_survivor(actor):
    survivor, duplicate = OrganisationFactory(), OrganisationFactory()
    partnership = ProjectPartnerFactory(organisation=duplicate, role=PartnerRole.END_USER,
                                        budget=Decimal("7.00"))

    organisation_merge(survivor=survivor, duplicate=duplicate, actor=actor)

    partnership.refresh_from_db()
    assert (partnership.organisation, partnership.role, partnership.budget) == (
        survivor, "end_user", Decimal("7.00"))
    merged = AuditEntry.objects.get(action="klynge.ecosystem.organisation.merged")
    assert merged.data["moved"]["projects.ProjectPartner.organisation"] == 1


def test_when_both_are_partners_in_one_project_the_survivors_partnership_stays(actor):
    survivor, duplicate = OrganisationFactory(), OrganisationFactory()
    project = ProjectFactory()
    kept = ProjectPartnerFactory(project=project, organisation=survivor,
                                 role=PartnerRole.PARTNER, budget=Decimal("100.00"))
    ProjectPartnerFactory(project=project, organisation=duplicate,
                          role=PartnerRole.ASSOCIATED, budget=Decimal("900.00"))

    organisation_merge(survivor=survivor, duplicate=duplicate, actor=actor)

    assert list(ProjectPartner.objects.values_list("pk", "organisation", "role", "budget")) == [
        (kept.pk, survivor.pk, "partner", Decimal("100.00"))]
    assert not AuditEntry.objects.filter(action="klynge.projects.partner.merged").exists()


def test_the_survivor_takes_over_the_duplicates_coordinator_role_and_budget(actor):
    survivor = OrganisationFactory()
    duplicate = OrganisationFactory(name="Lead ApS (duplicate)")
    project = ProjectFactory()
    kept = ProjectPartnerFactory(project=project, organisation=survivor,
                                 role=PartnerRole.PARTNER, budget=None)
    ProjectPartnerFactory(project=project, organisation=duplicate,
                          role=PartnerRole.COORDINATOR, budget=Decimal("250000.00"))
    other = ProjectPartnerFactory(organisation=duplicate)  # another project: simply moves

    organisation_merge(survivor=survivor, duplicate=duplicate, actor=actor)

    kept.refresh_from_db()
    other.refresh_from_db()
    assert (kept.role, kept.budget) == ("coordinator", Decimal("250000.00"))
    assert other.organisation == survivor
    assert ProjectPartner.objects.filter(project=project).count() == 1
    entry = AuditEntry.objects.get(action="klynge.projects.partner.merged")
    assert entry.object_id == str(project.pk)
    assert entry.data == {"organisation_id": survivor.pk, "organisation": survivor.name,
                          "changes": {"budget": [None, "250000.00"],
                                      "role": ["partner", "coordinator"]}}
