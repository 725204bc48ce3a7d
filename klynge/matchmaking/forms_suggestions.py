"""Forms of the suggestion pages: a free-text need, and the options of an organisation's
suggestions. They parse and explain; the recommender lives in selectors and domain."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from klynge.ecosystem.choices import OrganisationKind
from klynge.ecosystem.forms import ORGANISATION_PICKER_ATTRS, OrganisationChoiceField
from klynge.matchmaking import selectors
from klynge.matchmaking.choices import Purpose
from klynge.matchmaking.selectors import MAX_QUERY_CHARS

#: How many suggestions a page shows (the first is the default).
SHOW_COUNTS = (10, 25, 50)
#: How many results a need gives.
NEED_RESULTS = 25

_COUNTRY = re.compile(r"[A-Za-z]{2}")


class NeedForm(forms.Form):
    """What staff type to find partners for a need (read from the query string)."""

    need = forms.CharField(
        label=_("The need"),
        max_length=MAX_QUERY_CHARS,
        widget=forms.Textarea(attrs={
            "rows": 3,
            "placeholder": _("e.g. vi har brug for computer vision til kvalitetskontrol"),
        }),
        help_text=_("Describe in Danish or English what the partner should know or do."),
        error_messages={
            "required": _("Describe the need first: what should the partner know or do? For "
                          "example “computer vision for quality control in food production”."),
        },
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        required=False,
        choices=[(value, label) for value, label in OrganisationKind.choices
                 if value not in (OrganisationKind.CLUSTER, OrganisationKind.INVESTOR)],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to search all kinds."),
    )
    countries = forms.CharField(
        label=_("Preferred countries"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "DK, SE, DE"}),
        help_text=_("Two-letter country codes, separated by commas. Organisations there rank "
                    "higher; others are still shown."),
    )
    include_external = forms.BooleanField(
        label=_("Include organisations known only from EU projects (CORDIS)"),
        required=False,
    )
    lead = OrganisationChoiceField(
        label=_("Lead organisation"),
        required=False,
        widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
        help_text=_("Optional: the organisation that has the need. Its partners and region "
                    "count, and you can introduce it to the results."),
    )

    def clean_need(self):
        need = self.cleaned_data["need"].strip()
        if not selectors.need_text(need):
            raise forms.ValidationError(self.fields["need"].error_messages["required"])
        return need

    def clean_countries(self):
        text = self.cleaned_data["countries"]
        codes = [c.strip() for c in re.split(r"[,;\s]+", text) if c.strip()]
        wrong = [c for c in codes if not _COUNTRY.fullmatch(c)]
        if wrong:
            raise forms.ValidationError(
                _("“%(code)s” is not a country code: use two letters such as DK, SE or DE."),
                params={"code": wrong[0]})
        return tuple(dict.fromkeys(c.upper() for c in codes))

    def profile_kinds(self) -> tuple[str, ...]:
        """The chosen registry kinds as the recommender's kinds."""
        return selectors.registry_kinds_to_profile(self.cleaned_data["kinds"])


class OrganisationSuggestionsForm(forms.Form):
    """The options of an organisation's suggestions: purpose, how many, CORDIS or not."""

    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=Purpose.choices)
    show = forms.TypedChoiceField(
        label=_("Show"), required=False, coerce=int, empty_value=SHOW_COUNTS[0],
        choices=[(n, n) for n in SHOW_COUNTS])
    external = forms.BooleanField(
        label=_("Include organisations known only from EU projects (CORDIS)"), required=False)

    def __init__(self, *args, purposes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = purposes
        self.purposes = purposes

    def options(self) -> tuple[str, int, bool]:
        """(purpose, how many, include CORDIS), falling back to the defaults on bad input."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        purpose = data.get("purpose") or self.purposes[0][0]
        show = data.get("show") or SHOW_COUNTS[0]
        return purpose, show, bool(data.get("external"))
