"""The roles people have in Klynge, and the groups of roles that views declare access for."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    MANAGEMENT = "management", _("Management")
    STAFF = "staff", _("Staff")
    MEMBER = "member", _("Member")
    GRANT_GIVER = "grant_giver", _("Grant giver")


#: Everyone who works for the cluster organisation.
CLUSTER_TEAM = frozenset({Role.ADMINISTRATOR, Role.MANAGEMENT, Role.STAFF})
#: Every signed-in role.
SIGNED_IN = frozenset(Role)
