"""Vocabularies of matchmaking: purposes, CORDIS roles, the answers to an introduction."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """Which pairs a suggestion is for (the pure rules are in domain/purposes.py)."""

    KNOWLEDGE = "knowledge", _("Company ↔ knowledge institution")
    COMPANIES = "companies", _("Company ↔ company")
    SME_LARGE = "sme_large", _("SME ↔ large company")
    STARTUP_INVESTOR = "startup_investor", _("Startup ↔ investor")
    ANY = "any", _("Any partner")


class ProfileKind(models.TextChoices):
    """The recommender's kinds (CORDIS activity types); registry kinds map onto them."""

    COMPANY = "company", _("Company")
    RESEARCH = "research", _("Research organisation")
    HIGHER_EDUCATION = "higher_education", _("University or college")
    PUBLIC = "public", _("Public body")
    OTHER = "other", _("Other")


class CordisRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTICIPANT = "participant", _("Participant")
    ASSOCIATED = "associatedPartner", _("Associated partner")
    THIRD_PARTY = "thirdParty", _("Third party")


class Response(models.TextChoices):
    """One side's answer to an introduction."""

    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class IntroductionStatus(models.TextChoices):
    """Derived from the two answers (never stored): what a list filters and shows."""

    DRAFT = "draft", _("Not sent")
    WAITING = "waiting", _("Waiting for answers")
    ACCEPTED = "accepted", _("Accepted by both")
    DECLINED = "declined", _("Declined")


class SizeRequirement(models.TextChoices):
    ANY = "any", _("Any size")
    SME = "sme", _("SME")
    LARGE = "large", _("Large company")
