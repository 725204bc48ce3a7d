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
#: The cluster team and the members (each member scoped to their own organisation).
TEAM_AND_MEMBERS = CLUSTER_TEAM | {Role.MEMBER}
#: Every signed-in role.
SIGNED_IN = frozenset(Role)
#: Those who lead the cluster: targets, freezing figures, grant budgets, evidence documents.
MANAGERS = frozenset({Role.ADMINISTRATOR, Role.MANAGEMENT})
#: Everyone who may read the reports: the cluster team and the grant givers.
REPORT_READERS = CLUSTER_TEAM | {Role.GRANT_GIVER}
#: Those who send reports and exports on (download them): managers and the grant givers.
REPORT_TAKERS = MANAGERS | {Role.GRANT_GIVER}
