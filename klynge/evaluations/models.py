"""Evaluation surveys: after activities, their 6- and 12-month follow-ups, the annual member
survey; the questions, each person's response (reached by a personal link) and the answers.

The answers are the evidence for KPIs 1, 3 and 6 (DOMAIN.md): every response is tied to the
person and to the organisation they answered for.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from klynge.evaluations.choices import QuestionKind, SurveyKind
from klynge.evaluations.domain.answers import AGREE_5, SCALE_0_10, TEXT, YES_NO


def new_token() -> str:
    """A personal link's secret: 256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


class Survey(models.Model):
    """One evaluation survey: after an activity, a follow-up wave of it, or the annual survey.

    An activity has at most one survey per kind; the annual member survey has one per year
    and no activity. An activity's survey may exist as a draft (sent_at empty) while staff add
    extra questions before the activity is held; it is sent when the activity is marked held.
    Answers are accepted between opens_at and closes_at (no closes_at: open until closed).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=SurveyKind.choices, db_index=True)
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="surveys",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    members_on = models.DateField(
        _("members on"), null=True, blank=True,
        help_text=_("The annual survey goes to the organisations with a paying membership on "
                    "this day."),
    )
    title = models.CharField(_("title"), max_length=255)
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "kind"], condition=Q(activity__isnull=False),
                name="survey_one_per_activity_and_kind",
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(kind="annual"), name="survey_one_annual_per_year",
            ),
            models.CheckConstraint(
                condition=(Q(kind="annual", activity__isnull=True, year__isnull=False)
                           | (~Q(kind="annual") & Q(activity__isnull=False))),
                name="survey_annual_has_year_others_activity",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluations:survey_detail", args=[self.pk])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)

    @property
    def is_draft(self) -> bool:
        return self.sent_at is None


class Question(models.Model):
    """A question of one survey: a standard one (with a stable `key` the KPIs count by) or an
    extra one that staff added for this activity (empty key). Texts in Danish and English."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(_("key"), max_length=40, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text_da = models.CharField(_("question (Danish)"), max_length=500, blank=True)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "key"], condition=~Q(key=""), name="question_key_once",
            ),
            models.CheckConstraint(
                condition=~Q(text_da="") | ~Q(text_en=""), name="question_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The text in the active language, falling back to the other one."""
        danish = (get_language() or "da").startswith("da")
        first, second = (self.text_da, self.text_en) if danish else (self.text_en, self.text_da)
        return first or second

    @property
    def is_standard(self) -> bool:
        return bool(self.key)


class Response(models.Model):
    """One person's response to one survey, reached through their personal link (`token`).

    Created when the invitation is prepared; `sent_at` when the e-mail went out,
    `reminded_at` when the one reminder did, `answered_at` at the first answer and
    `updated_at` at the last change. The organisation is the one the person took part for
    (or was the contact person of) at the time, so later job changes never move an answer.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        "ecosystem.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="survey_responses",
    )
    organisation = models.ForeignKey(
        "ecosystem.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="survey_responses",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("answer updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"], condition=Q(person__isnull=False),
                name="response_once_per_survey_and_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person or '—'}: {self.survey}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Answer(models.Model):
    """The answer to one question in one response; answering again updates it (one per pair).

    Typed columns keep the values queryable on every database: `number` for 0–10 scales,
    `choice` for yes/no and agreement, `text` for free text.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(_("number"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=20, blank=True, db_index=True)
    text = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=0, number__lte=10),
                name="answer_number_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.key or self.question_id}: {self.value}"

    @property
    def value(self):
        return value_of(self.question.kind, number=self.number, choice=self.choice,
                        text=self.text)


def value_of(kind: str, *, number, choice: str, text: str):
    """An answer's value from its typed columns."""
    if kind == SCALE_0_10:
        return number
    if kind in (AGREE_5, YES_NO):
        return choice or None
    if kind == TEXT:
        return text
    return None


def columns_for(kind: str, value) -> dict:
    """The typed columns that hold `value` for a question of `kind`."""
    return {
        "number": value if kind == SCALE_0_10 else None,
        "choice": value if kind in (AGREE_5, YES_NO) else "",
        "text": value if kind == TEXT else "",
    }
