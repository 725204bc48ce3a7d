"""Forms of the consortium builder: choosing lead and rules, and editing composition rules with
their roles (an inline formset)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klynge.ecosystem.forms import ORGANISATION_PICKER_ATTRS, OrganisationChoiceField
from klynge.matchmaking.choices import ProfileKind, SizeRequirement
from klynge.matchmaking.models import CompositionRules


class ConsortiumForm(forms.Form):
    """The builder's question (GET): which lead, which rules."""

    lead = OrganisationChoiceField(
        label=_("Lead organisation"),
        widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
        help_text=_("The coordinator: type part of the name or the CVR number and pick one."),
    )
    rules = forms.ModelChoiceField(
        label=_("Composition rules"), queryset=CompositionRules.objects.all(),
        empty_label=None,
    )


class RulesForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    min_partners = forms.IntegerField(label=_("At least this many organisations"),
                                      min_value=1, max_value=100, initial=3)
    max_partners = forms.IntegerField(label=_("At most this many organisations"),
                                      min_value=1, max_value=100, initial=8)
    min_countries = forms.IntegerField(label=_("From at least this many countries"),
                                       min_value=1, max_value=100, initial=3)
    eligible_countries = forms.CharField(
        label=_("Eligible countries"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two-letter country codes separated by spaces or commas (CORDIS writes "
                    "Greece EL and the United Kingdom UK; give both spellings). Only "
                    "organisations from these countries count towards the countries; empty: "
                    "every country. “Use EU member states and associated countries” fills "
                    "in Horizon Europe's list."),
    )
    is_default = forms.BooleanField(
        label=_("Default rules"), required=False,
        help_text=_("Preselected in the consortium builder. There is always one default."),
    )


class RoleForm(forms.Form):
    label = forms.CharField(label=_("Role"), max_length=120, required=False)
    min_count = forms.IntegerField(label=_("At least"), min_value=1, max_value=100, initial=1,
                                   required=False)
    kinds = forms.MultipleChoiceField(label=_("Kinds"), choices=ProfileKind.choices,
                                      widget=forms.CheckboxSelectMultiple, required=False)
    size = forms.ChoiceField(label=_("Size"), choices=SizeRequirement.choices,
                             initial=SizeRequirement.ANY,
                             help_text=_("Applies to companies only."))

    def clean(self):
        data = super().clean()
        if not self.has_changed() or data.get("DELETE"):
            return data
        if not (data.get("label") or "").strip():
            self.add_error("label", _("Give the role a name."))
        if not data.get("kinds"):
            self.add_error("kinds", _("Choose at least one kind of organisation."))
        if data.get("min_count") is None and "min_count" not in self.errors:
            self.add_error("min_count", _("Give a whole number of at least 1."))
        return data


RoleFormSet = forms.formset_factory(RoleForm, extra=2, can_delete=True)


def roles_from(formset) -> list[dict]:
    """The roles a valid formset describes, in order (blank extra rows and deleted rows left
    out; the existing roles are kept as they are)."""
    return [
        {"label": form.cleaned_data["label"], "min_count": form.cleaned_data["min_count"],
         "kinds": form.cleaned_data["kinds"], "size": form.cleaned_data["size"]}
        for number, form in enumerate(formset.forms)
        if (number < formset.initial_form_count() or form.has_changed())
        and not form.cleaned_data.get("DELETE")
    ]
