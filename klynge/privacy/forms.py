"""Forms of the consent pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klynge.privacy.choices import LegalBasis, Purpose
from klynge.privacy.models import RetentionRule

GIVE = "give"
WITHDRAW = "withdraw"


class ConsentChangeForm(forms.Form):
    """Staff record a consent given or withdrawn (by phone, on paper, at a meeting)."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    action = forms.ChoiceField(
        label=_("Change"), choices=[(GIVE, _("Give")), (WITHDRAW, _("Withdraw"))]
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"), choices=LegalBasis.choices, initial=LegalBasis.CONSENT,
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), max_length=255, required=False,
        help_text=_("How the person told us, e.g. “by phone on 3 March”."),
    )


class ErasureForm(forms.Form):
    """Managers erase (anonymise) a person: a reason, and a confirmation that it is final."""

    reason = forms.CharField(
        label=_("Reason"), max_length=255,
        help_text=_("Kept in the log, e.g. “the person's request by e-mail of 3 March”. Do "
                    "not write the person's name or e-mail here: they are removed."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"), required=True,
        error_messages={"required": _("Tick the box to confirm that the erasure is final.")},
    )


class RetentionRuleForm(forms.ModelForm):
    """Managers add or change a retention rule (saved through the services)."""

    class Meta:
        model = RetentionRule
        fields = ["name", "scope", "inactive_months", "action", "is_active", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RetentionSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Name or e-mail")}))
