"""factory_boy factories for projects, their partners and outcomes."""

from datetime import date

import factory

from klynge.projects.choices import OutcomeKind, PartnerRole, ProjectKind, ProjectStatus
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner
from tests.factories import OrganisationFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}")
    kind = ProjectKind.COLLABORATION
    status = ProjectStatus.RUNNING
    start_date = date(2025, 3, 1)


class EuApplicationFactory(ProjectFactory):
    """An EU application sent in on `submitted_on`."""

    title = factory.Sequence(lambda n: f"EU application {n}")
    kind = ProjectKind.EU_APPLICATION
    status = ProjectStatus.SUBMITTED
    programme = "Horizon Europe"
    call_identifier = factory.Sequence(lambda n: f"HORIZON-CL4-2025-DIGITAL-{n:02d}")
    submitted_on = date(2025, 3, 1)
    start_date = None


class ProjectPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPartner

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = PartnerRole.PARTNER


class ProjectOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectOutcome

    project = factory.SubFactory(ProjectFactory)
    kind = OutcomeKind.COMMERCIAL_USE
    date = date(2025, 6, 1)
    description = factory.Sequence(lambda n: f"Outcome {n}")
