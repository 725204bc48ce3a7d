"""Fixed vocabularies of the registry (editable vocabularies are models: FocusArea, Tier)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    UNIVERSITY = "university", _("University")
    GTS = "gts", _("GTS institute")
    BUSINESS_ACADEMY = "business_academy", _("Business academy")
    UNIVERSITY_COLLEGE = "university_college", _("University college")
    PUBLIC = "public", _("Public actor")
    INVESTOR = "investor", _("Investor")
    CLUSTER = "cluster", _("Cluster organisation")
    OTHER = "other", _("Other")


KNOWLEDGE_INSTITUTION_KINDS = frozenset(
    {
        OrganisationKind.UNIVERSITY,
        OrganisationKind.GTS,
        OrganisationKind.BUSINESS_ACADEMY,
        OrganisationKind.UNIVERSITY_COLLEGE,
    }
)


class EmployeeBand(models.TextChoices):
    """Head-count bands; the EU SME definition draws its line at 250 employees."""

    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250+", _("250 or more employees")


SME_BANDS = frozenset({EmployeeBand.MICRO, EmployeeBand.SMALL, EmployeeBand.MEDIUM})


class Size(models.TextChoices):
    SME = "sme", _("SME")
    LARGE = "large", _("Large company")
    UNKNOWN = "unknown", _("Not known")


class Region(models.TextChoices):
    HOVEDSTADEN = "hovedstaden", _("Capital Region of Denmark")
    SJAELLAND = "sjaelland", _("Region Zealand")
    SYDDANMARK = "syddanmark", _("Region of Southern Denmark")
    MIDTJYLLAND = "midtjylland", _("Central Denmark Region")
    NORDJYLLAND = "nordjylland", _("North Denmark Region")
    ABROAD = "abroad", _("Abroad")


class MembershipStatus(models.TextChoices):
    PAYING = "paying", _("Paying")
    PARTNER = "partner", _("Partner")
    HONORARY = "honorary", _("Honorary")
    LAPSED = "lapsed", _("Lapsed")


#: Statuses that give an organisation's people member access.
ACTIVE_MEMBERSHIP_STATUSES = frozenset(
    {MembershipStatus.PAYING, MembershipStatus.PARTNER, MembershipStatus.HONORARY}
)


class InteractionKind(models.TextChoices):
    VISIT = "visit", _("Company visit")
    CALL = "call", _("Phone call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("E-mail")


class FocusAreaKind(models.TextChoices):
    FOCUS_AREA = "focus_area", _("Focus area")
    TECHNOLOGY = "technology", _("Technology")
    THEME = "theme", _("Cross-cutting theme")


class Language(models.TextChoices):
    DA = "da", _("Danish")
    EN = "en", _("English")


class DirectoryField(models.TextChoices):
    """What an organisation may choose to show in the public member directory (beyond its name,
    which every listed organisation shows)."""

    DESCRIPTION = "description", _("Description")
    WEBSITE = "website", _("Website")
    CITY = "city", _("City and region")
    FOCUS_AREAS = "focus_areas", _("Focus areas")
    COMPETENCES = "competences", _("Competences")
    OFFERS = "offers", _("Offers")
    SEEKS = "seeks", _("Seeks")
    SIZE = "size", _("Size")
    INDUSTRY = "industry", _("Industry")
