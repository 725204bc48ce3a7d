"""Vocabularies of grants. Eligible types and thresholds are data on each Grant."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GrantKind(models.TextChoices):
    """Which rule set applies: the knowledge-based (UFS) or the business-oriented (DEB) one."""

    KNOWLEDGE = "knowledge", _("Knowledge-based (UFS rules)")
    BUSINESS = "business", _("Business-oriented (DEB rules)")
    OTHER = "other", _("Other funding (no grant rules)")


class ActivityType(models.TextChoices):
    KNOWLEDGE_DISSEMINATION = "knowledge_dissemination", _("Knowledge dissemination")
    MATCHMAKING = "matchmaking", _("Matchmaking")
    COLLABORATION_PROJECT = "collaboration_project", _("Collaboration project")
    INTERNATIONALISATION = "internationalisation", _("Internationalisation")
    ACCESS_TO_FINANCE = "access_to_finance", _("Access to finance")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship")
    PLANNING = "planning", _("Planning and project management")


#: The seed's eligible types per rule set (DOMAIN.md); grants store their own copy as data.
DEFAULT_ELIGIBLE_TYPES = {
    GrantKind.KNOWLEDGE: [
        ActivityType.KNOWLEDGE_DISSEMINATION, ActivityType.MATCHMAKING,
        ActivityType.COLLABORATION_PROJECT, ActivityType.INTERNATIONALISATION,
        ActivityType.PLANNING,
    ],
    GrantKind.BUSINESS: list(ActivityType),
    GrantKind.OTHER: list(ActivityType),
}


class BudgetCategory(models.TextChoices):
    STAFF = "staff", _("Staff time")
    KNOWLEDGE_PARTNERS = "knowledge_partners", _("Knowledge institution partners")
    EXTERNAL = "external", _("External costs")
    ADMINISTRATION = "administration", _("Administration")
