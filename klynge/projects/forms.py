"""Forms of the project pages. They parse and show errors; the rules live in services."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.forms import ORGANISATION_PICKER_ATTRS, DateInput, OrganisationChoiceField
from klynge.ecosystem.models import FocusArea
from klynge.projects.choices import OutcomeKind, PartnerRole
from klynge.projects.models import Project


class ProjectForm(forms.ModelForm):
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas and themes"), required=False,
        queryset=FocusArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = [
            "title", "acronym", "kind", "status", "programme", "call_identifier",
            "submitted_on", "start_date", "end_date", "budget", "hub", "responsible",
            "focus_areas", "description",
        ]
        help_texts = {
            "submitted_on": _("For applications: the day it was sent in. KPI 4 counts its "
                              "company partners in that year."),
            "start_date": _("KPI 2 counts a joint project with another cluster in the year "
                            "it starts."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "submitted_on": DateInput(),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = get_user_model().objects.filter(
            role__in=list(CLUSTER_TEAM), is_active=True
        ).order_by("first_name", "last_name", "email")
        # The budget rule (not negative) is the service's, so its message is the same on
        # every path; the form only parses the number.
        self.fields["budget"].widget.attrs.update(step="0.01")

    def _post_clean(self):
        # Skip the model's own constraint pass: the service checks and explains the rules.
        pass


class PartnerForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
        help_text=_("Type part of the name or the CVR number and pick one."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=PartnerRole.choices,
                             initial=PartnerRole.PARTNER)
    budget = forms.DecimalField(
        label=_("Budget (DKK)"), required=False, max_digits=14, decimal_places=2,
        help_text=_("Optional: the partner's share of the budget."),
    )


class PartnerEditForm(PartnerForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("organisation")


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Outcome"), choices=OutcomeKind.choices,
        help_text=_("KPI 5 counts commercial use of research results and new companies."),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
