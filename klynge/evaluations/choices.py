"""Vocabularies of evaluation surveys: kinds of survey, kinds of question, answer values."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from klynge.evaluations.domain import answers as rules


class SurveyKind(models.TextChoices):
    ACTIVITY = "activity", _("After the activity")
    FOLLOW_UP_6 = "follow_up_6", _("Follow-up after 6 months")
    FOLLOW_UP_12 = "follow_up_12", _("Follow-up after 12 months")
    ANNUAL = "annual", _("Annual member survey")


#: The follow-up waves: survey kind and how many months after the activity it is sent.
FOLLOW_UP_WAVES = ((SurveyKind.FOLLOW_UP_6, 6), (SurveyKind.FOLLOW_UP_12, 12))


class QuestionKind(models.TextChoices):
    SCALE_0_10 = rules.SCALE_0_10, _("Scale 0–10")
    AGREE_5 = rules.AGREE_5, _("Strongly disagree … strongly agree")
    YES_NO = rules.YES_NO, _("Yes or no")
    TEXT = rules.TEXT, _("Free text")


class Agreement(models.TextChoices):
    STRONGLY_DISAGREE = rules.STRONGLY_DISAGREE, _("Strongly disagree")
    DISAGREE = rules.DISAGREE, _("Disagree")
    NEUTRAL = rules.NEUTRAL, _("Neither agree nor disagree")
    AGREE = rules.AGREE, _("Agree")
    STRONGLY_AGREE = rules.STRONGLY_AGREE, _("Strongly agree")


class YesNo(models.TextChoices):
    YES = rules.YES, _("Yes")
    NO = rules.NO, _("No")


class StandardKey(models.TextChoices):
    """The stable keys of the standard questions; the KPIs count answers by these."""

    SATISFACTION = "satisfaction", _("Satisfaction")
    KNOWLEDGE_GAINED = "knowledge_gained", _("Gained knowledge (KPI 1)")
    INNOVATION_STARTED = "innovation_started", _("Started innovation work (KPI 1)")
    NEW_CONTACTS = "new_contacts", _("New contacts")
    GREEN_CONTACTS = "green_contacts", _("Green contacts in other industries (KPI 6)")
    INTERNATIONAL_VISIBILITY = "international_visibility", _("International visibility (KPI 3)")
