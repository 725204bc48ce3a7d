"""Forms of introductions: choosing the two organisations, the introduction itself (contacts,
purpose, message) and an outcome."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.ecosystem.forms import ORGANISATION_PICKER_ATTRS, DateInput, OrganisationChoiceField
from klynge.matchmaking.choices import Purpose
from klynge.matchmaking.selectors_introductions import eligible_contacts
from klynge.projects.choices import OutcomeKind
from klynge.projects.models import Project


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        parts = [person.full_name, person.email]
        if person.job_title:
            parts.insert(1, person.job_title)
        return " · ".join(parts)


class PairForm(forms.Form):
    """Step one when the page was not opened from a suggestion: which two organisations."""

    a = OrganisationChoiceField(
        label=_("Organisation"), widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
        help_text=_("Type part of the name and pick one."),
    )
    b = OrganisationChoiceField(
        label=_("Introduce it to"), widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
        help_text=_("Type part of the name and pick one."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices,
                                initial=Purpose.ANY)

    def clean(self):
        data = super().clean()
        a, b = data.get("a"), data.get("b")
        if a is not None and b is not None and a.pk == b.pk:
            self.add_error("b", _("Choose a different organisation: an introduction needs "
                                  "two."))
        return data


class IntroductionForm(forms.Form):
    """The introduction of two known organisations: a contact at each, purpose, message."""

    person_a = ContactChoiceField(label=_("Contact"), queryset=None, required=False)
    person_b = ContactChoiceField(label=_("Contact at the other side"), queryset=None,
                                  required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices,
                                initial=Purpose.ANY)
    message = forms.CharField(
        label=_("Personal message"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent to both sides below the reasons. Without reasons from the "
                    "recommender it is the explanation, so then it is required."),
    )

    def __init__(self, *args, organisation_a, organisation_b, **kwargs):
        super().__init__(*args, **kwargs)
        for name, organisation in (("person_a", organisation_a), ("person_b", organisation_b)):
            field = self.fields[name]
            field.queryset = eligible_contacts(organisation)
            field.label = _("Contact at %(name)s") % {"name": organisation.name}
            if field.queryset.exists():
                field.empty_label = _("Choose a contact")
                field.help_text = _("People affiliated with the organisation who have not "
                                    "withdrawn consent to matchmaking.")
            else:
                field.empty_label = _("Nobody can be e-mailed")
                field.help_text = _("Nobody at %(name)s can be e-mailed (no current "
                                    "affiliation with consent): the introduction can be "
                                    "saved as a draft, not sent.") % {"name": organisation.name}


class IntroductionOutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Outcome"), choices=OutcomeKind.choices,
        help_text=_("KPI 5 counts commercial use of research results and new companies; an "
                    "EU application without a project chosen below is created as one "
                    "(KPI 4)."),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    project = forms.ModelChoiceField(
        label=_("Project"), required=False, queryset=Project.objects.none(),
        empty_label=_("No project (an EU application outcome creates one)"),
        help_text=_("Optional: the project this outcome is, e.g. an EU application already "
                    "registered. Both organisations are added as partners if missing."),
    )

    def __init__(self, *args, projects=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (projects if projects is not None
                                           else Project.objects.all())
