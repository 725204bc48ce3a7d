"""The indicator areas of the European Cluster Excellence (gold label) self-assessment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExcellenceArea(models.TextChoices):
    PARTICIPANTS = "participants", _("Structure and number of participants")
    ENGAGEMENT = "engagement", _("Engagement of participants")
    STABILITY = "stability", _("Stability of membership")
    MANAGEMENT_CONTACTS = "management_contacts", _("Direct contacts of management with members")
    COOPERATION = "cooperation", _("Cooperation within the cluster")
    PRIVATE_FUNDING = "private_funding", _("Share of private funding")
    STRATEGY = "strategy", _("Strategy and action plan")
    FINANCIAL_CONTROL = "financial_control", _("Financial control")
    MONITORING = "monitoring", _("Performance monitoring")
    SERVICES = "services", _("Activities and services")
    SATISFACTION = "satisfaction", _("Satisfaction of participants")
    COMMUNICATION = "communication", _("Communication")
