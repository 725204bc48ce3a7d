"""Vocabularies of projects, EU applications and their outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectKind(models.TextChoices):
    COLLABORATION = "collaboration", _("Collaboration project")
    EU_APPLICATION = "eu_application", _("EU application")
    CLUSTER_COLLABORATION = "cluster_collaboration", _("Joint project with another cluster")
    FEASIBILITY = "feasibility", _("Feasibility study")
    OTHER = "other", _("Other project")


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PREPARING = "preparing", _("Preparing")
    SUBMITTED = "submitted", _("Submitted")
    FUNDED = "funded", _("Funded")
    REJECTED = "rejected", _("Rejected")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Statuses of an application that was sent in (KPI 4 counts it whatever came after).
SUBMITTED_STATUSES = frozenset(
    {ProjectStatus.SUBMITTED, ProjectStatus.FUNDED, ProjectStatus.REJECTED,
     ProjectStatus.RUNNING, ProjectStatus.COMPLETED}
)


#: Statuses of a project that was carried out (KPI 2 counts a joint project in one of them):
#: an idea, an application in preparation, a rejected or withdrawn one is no collaboration.
CARRIED_OUT_STATUSES = frozenset(
    {ProjectStatus.FUNDED, ProjectStatus.RUNNING, ProjectStatus.COMPLETED}
)


class PartnerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    ASSOCIATED = "associated", _("Associated partner")
    END_USER = "end_user", _("End user")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")


class OutcomeKind(models.TextChoices):
    """What came of a project or an introduction, over time (KPI 5 counts the last two)."""

    MET = "met", pgettext_lazy("project outcome", "Met")
    COLLABORATION_STARTED = "collaboration_started", _("Collaboration started")
    JOINT_PROJECT = "joint_project", _("Joint project")
    EU_APPLICATION_SUBMITTED = "eu_application_submitted", _("EU application submitted")
    EU_APPLICATION_FUNDED = "eu_application_funded", _("EU application funded")
    COMMERCIAL_USE = "commercial_use", _("Commercial use of research results")
    NEW_COMPANY = "new_company", _("New company")


#: The outcomes KPI 5 counts (DOMAIN.md).
COMMERCIAL_OUTCOMES = frozenset({OutcomeKind.COMMERCIAL_USE, OutcomeKind.NEW_COMPANY})
