"""Vocabularies of the consent register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """What a person's data may be used for; each purpose is consented to separately."""

    MEMBER_COMMUNICATION = "member_communication", _("Member communication and invitations")
    NEWSLETTER = "newsletter", _("Newsletter")
    MATCHMAKING_VISIBILITY = "matchmaking_visibility", _("Visible in matchmaking")
    EVALUATIONS = "evaluations", _("Evaluations and surveys")
    GRANT_GIVER_SHARING = "grant_giver_sharing", _("Sharing with grant givers")


class ConsentSource(models.TextChoices):
    """Where a consent or its withdrawal came from (the proof asked for in an audit)."""

    PUBLIC_SIGNUP = "public_signup", _("Public sign-up page")
    STAFF = "staff", _("Recorded by staff")
    IMPORT = "import", _("Import")
    UNSUBSCRIBE_LINK = "unsubscribe_link", _("Unsubscribe link")
    PORTAL = "portal", _("Member portal")


class LegalBasis(models.TextChoices):
    """The GDPR article 6 basis the processing rests on."""

    CONSENT = "consent", _("Consent")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
    CONTRACT = "contract", _("Contract")


class RetentionScope(models.TextChoices):
    """Whom a retention rule looks at."""

    NON_MEMBER_CONTACTS = "non_member_contacts", _("Non-member contacts")
    ALL_PEOPLE = "all_people", _("Everyone in the registry")


class RetentionAction(models.TextChoices):
    """What a retention rule does to the people it finds."""

    ANONYMISE = "anonymise", _("Anonymise")
