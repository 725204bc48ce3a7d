"""Forms of the registry pages. They parse and show errors; rules live in services."""

import re

from django import forms
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from klynge.ecosystem.models import (
    FocusArea,
    IndustryCode,
    Interaction,
    Membership,
    Organisation,
    Person,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionField(forms.IntegerField):
    """The version of the record the edit form was opened on (optimistic locking)."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, **kwargs)


def set_version(form) -> None:
    """Give the form's hidden version field the version of the record it edits."""
    if form.instance.pk:
        form.fields["version"].initial = form.instance.version
    else:
        form.fields.pop("version")


class OrganisationForm(forms.ModelForm):
    version = VersionField()
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas and themes"), required=False,
        queryset=FocusArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    industry = forms.ModelChoiceField(
        label=_("Industry (DB07)"), required=False,
        queryset=IndustryCode.objects.filter(level=4),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    confirm_duplicate = forms.BooleanField(
        label=_("Yes, this is a different organisation: create it anyway"), required=False
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "kind", "cvr", "country", "vat_number", "employee_band", "is_startup",
            "founded_year", "industry", "address", "postcode", "city", "municipality", "region",
            "hub", "website", "description", "focus_areas", "competences", "offers", "seeks",
        ]
        help_texts = {
            "cvr": _("8 digits; checked with the modulus-11 rule. Danish organisations only."),
            "country": _("Two-letter country code, e.g. DK, SE, DE."),
            "vat_number": _("For foreign organisations."),
            "region": _("Left empty, it follows from a Danish postcode."),
            "competences": _("Danish or English."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "competences": forms.Textarea(attrs={"rows": 3}),
            "offers": forms.Textarea(attrs={"rows": 3}),
            "seeks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_version(self)
        # The CVR rule (format, check digit, uniqueness) is the service's; the form only
        # parses, so its message is the same on every path (page, import, API).
        self.fields["cvr"].validators = []
        self.fields["cvr"].max_length = 20
        self.fields["cvr"].widget.attrs.update(maxlength=20, inputmode="numeric")
        self.fields["name"].widget.attrs.update(
            {
                "hx-get": reverse("ecosystem:organisation_duplicates_check"),
                "hx-trigger": "keyup changed delay:400ms",
                "hx-target": "#duplicate-hint",
                "hx-include": "[name=cvr]",
                "autocomplete": "off",
            }
        )

    def clean_country(self):
        country = (self.cleaned_data.get("country") or "DK").strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError(_("Use a two-letter country code such as DK or SE."))
        return country

    def _post_clean(self):
        # Skip the model's own unique/validators pass: the service checks and explains them.
        pass


#: A text input that asks the server for matching organisations while the user types.
ORGANISATION_PICKER_ATTRS = {
    "list": "organisation-options",
    "autocomplete": "off",
    "hx-get": reverse_lazy("ecosystem:organisation_lookup"),
    "hx-trigger": "keyup changed delay:300ms",
    "hx-target": "#organisation-options",
}


class OrganisationChoiceField(forms.CharField):
    """Pick an organisation by typing: "Name [#id]" (as the suggestions give), CVR or name."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        match = re.search(r"\[#(\d+)\]\s*$", text)
        if match:
            found = Organisation.objects.filter(pk=int(match.group(1))).first()
        elif re.fullmatch(r"\d{8}", text.strip()):
            found = Organisation.objects.filter(cvr=text.strip()).first()
        else:
            candidates = list(Organisation.objects.filter(name__iexact=text.strip())[:2])
            if len(candidates) > 1:
                raise forms.ValidationError(
                    _("Several organisations are called %(name)s; pick one from the list."),
                    params={"name": text},
                )
            found = candidates[0] if candidates else None
        if found is None:
            raise forms.ValidationError(
                _("No organisation matches “%(text)s”. Type part of the name and pick one "
                  "from the list, or give its CVR number."),
                params={"text": text},
            )
        return found


def organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name} [#{organisation.pk}]"


class PersonForm(forms.ModelForm):
    organisation = OrganisationChoiceField(
        label=_("Organisation"), required=False,
        widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
        help_text=_("Optional. Type part of the name and pick one."),
    )
    role = forms.CharField(label=_("Role at the organisation"), required=False, max_length=150)
    confirm_duplicate = forms.BooleanField(
        label=_("Yes, this is a different person: create them anyway"), required=False
    )

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email", "phone", "job_title", "language", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class PersonEditForm(PersonForm):
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_version(self)
        for name in ("organisation", "role", "confirm_duplicate"):
            self.fields.pop(name)


class AffiliationForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
    )
    role = forms.CharField(label=_("Role"), required=False, max_length=150)
    is_primary = forms.BooleanField(label=_("Primary affiliation"), required=False, initial=True)
    start_date = forms.DateField(label=_("From"), required=False, widget=DateInput())


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["tier", "annual_fee", "start_date", "end_date", "status", "notes"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {"annual_fee": _("Left at 0 for a new period, the tier's fee is used.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annual_fee"].required = False

    def _post_clean(self):
        pass


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["kind", "date", "subject", "people", "notes", "next_step", "follow_up_date"]
        widgets = {
            "date": DateInput(),
            "follow_up_date": DateInput(),
            "people": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.filter(
            affiliations__organisation=organisation
        ).distinct()
        self.fields["people"].required = False

    def _post_clean(self):
        pass


class MergeForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput)
    keep = forms.ChoiceField(
        label=_("Which record survives?"),
        choices=[("this", _("This one")), ("other", _("The other one"))],
        widget=forms.RadioSelect, initial="this",
    )
    confirm = forms.BooleanField(
        label=_("I understand that the other record is merged into the survivor and removed."),
    )
