"""The seven indicators of Table 1 (DOMAIN.md), by stable key."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from klynge.kpis.domain import keys


class Kpi(models.TextChoices):
    INNOVATIVE_MEMBERS = keys.INNOVATIVE_MEMBERS, _("1. Innovative members")
    CLUSTER_COLLABORATIONS = keys.CLUSTER_COLLABORATIONS, _("2. Collaborations with other clusters")
    INTERNATIONAL_VISIBILITY = keys.INTERNATIONAL_VISIBILITY, _("3. International visibility")
    EU_APPLICATIONS = keys.EU_APPLICATIONS, _("4. Companies in EU applications")
    COMMERCIAL_USE = keys.COMMERCIAL_USE, _("5. Commercial use of research")
    GREEN_CONTACTS = keys.GREEN_CONTACTS, _("6. Green contacts across industries")
    PAYING_MEMBERS = keys.PAYING_MEMBERS, _("7. Paying members")
