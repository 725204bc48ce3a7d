"""The consent register (what each person has agreed to, and the history of it) and the
retention rules."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.privacy.choices import (
    ConsentSource,
    LegalBasis,
    Purpose,
    RetentionAction,
    RetentionScope,
)


class Consent(models.Model):
    """One change of a person's consent to one purpose; the register is the history of these.

    Rows are never edited: giving or withdrawing consent appends a row, and the latest row
    (by `recorded_at`, then id) for a person and purpose is the one in force. A person with no
    row for a purpose has not consented to it. A withdrawal row keeps the `given_at` of the
    consent it ends, so each row on its own shows the period the consent covered. `source` and
    `legal_basis` are the proof an audit or an access request asks for. Erasure (a later issue)
    removes a person's rows with the person; access export lists them.
    """

    person = models.ForeignKey(
        "ecosystem.Person", verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="consents",
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"))
    given_at = models.DateTimeField(_("given"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=ConsentSource.choices)
    legal_basis = models.CharField(
        _("legal basis"), max_length=30, choices=LegalBasis.choices, default=LegalBasis.CONSENT
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(granted=True, withdrawn_at__isnull=True)
                | models.Q(granted=False, withdrawn_at__isnull=False),
                name="consent_withdrawn_iff_not_granted",
            )
        ]

    def __str__(self) -> str:
        state = _("given") if self.granted else _("withdrawn")
        return f"{self.person}: {self.get_purpose_display()} ({state})"


class RetentionRule(models.Model):
    """A rule of how long the cluster keeps the data of people it no longer works with.

    Each day the scheduled run (`klynge apply_retention`) anonymises every person the rule
    finds: people in its scope (non-member contacts: no affiliation, running at any time in the
    window, to an organisation with a membership running at any time in the window; or
    everyone) who were inactive for `inactive_months` (see
    klynge/privacy/selectors_retention.py for exactly what counts as activity). A rule that is
    not active is kept for the record but does nothing. Managers edit the rules on a page; the
    dry run lists who the rule would anonymise today.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    scope = models.CharField(
        _("applies to"), max_length=30, choices=RetentionScope.choices,
        default=RetentionScope.NON_MEMBER_CONTACTS,
    )
    inactive_months = models.PositiveSmallIntegerField(
        _("inactive for (months)"), default=36,
        validators=[MinValueValidator(6), MaxValueValidator(240)],
        help_text=_("A person with no activity for this many months is anonymised."),
    )
    action = models.CharField(
        _("action"), max_length=20, choices=RetentionAction.choices,
        default=RetentionAction.ANONYMISE,
    )
    is_active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Only active rules are applied by the scheduled run."),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
