"""Forms of the consent pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klynge.privacy.choices import LegalBasis, Purpose

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
