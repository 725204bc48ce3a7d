"""Forms of the activity pages. They parse and show errors; the rules live in services."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from klynge.activities.choices import ActivityStatus
from klynge.activities.models import Activity, FocusNetwork
from klynge.activities.services import EDITABLE_STATUSES
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.forms import (
    ORGANISATION_PICKER_ATTRS,
    OrganisationChoiceField,
    VersionField,
    organisation_label,
    set_version,
)
from klynge.ecosystem.models import FocusArea, Person
from klynge.funding.models import Grant

MIN_FUNDING_ROWS = 3
MIN_CO_ORGANISER_ROWS = 3


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ActivityForm(forms.ModelForm):
    """The activity with its funding split (rows of grant + share) and co-organisers (rows
    of the organisation picker). Rows left empty are ignored."""

    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas and themes"), required=False,
        queryset=FocusArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    version = VersionField()

    class Meta:
        model = Activity
        fields = [
            "title", "description", "type", "format", "status", "focus_areas", "focus_network",
            "hub", "place", "online_link", "starts_at", "ends_at", "registration_deadline",
            "capacity", "is_public", "green_focus", "innovation_project", "responsible",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_deadline": DateTimeInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_version(self)
        status = self.fields["status"]
        current = self.instance.status if self.instance.pk else None
        if current in (ActivityStatus.HELD, ActivityStatus.CANCELLED):
            self.fields.pop("status")
        else:
            status.choices = [(s.value, s.label) for s in EDITABLE_STATUSES]
        self.fields["capacity"].min_value = None  # the service explains "at least 1"
        self.fields["capacity"].validators = []
        self.fields["responsible"].queryset = get_user_model().objects.filter(
            role__in=list(CLUSTER_TEAM), is_active=True
        )
        self._add_funding_rows()
        self._add_co_organiser_rows()

    def _add_funding_rows(self):
        existing = (
            list(self.instance.fundings.select_related("grant")) if self.instance.pk else []
        )
        self.funding_count = max(MIN_FUNDING_ROWS, len(existing) + 1)
        for i in range(self.funding_count):
            self.fields[f"grant_{i}"] = forms.ModelChoiceField(
                label=_("Grant"), required=False, queryset=Grant.objects.all(),
            )
            self.fields[f"share_{i}"] = forms.DecimalField(
                label=_("Share (%)"), required=False, max_digits=5, decimal_places=2,
            )
            if i < len(existing):
                self.initial[f"grant_{i}"] = existing[i].grant_id
                self.initial[f"share_{i}"] = existing[i].share.normalize()

    def _add_co_organiser_rows(self):
        existing = list(self.instance.co_organisers.all()) if self.instance.pk else []
        self.co_organiser_count = max(MIN_CO_ORGANISER_ROWS, len(existing) + 1)
        for i in range(self.co_organiser_count):
            self.fields[f"co_organiser_{i}"] = OrganisationChoiceField(
                label=_("Co-organiser"), required=False,
                widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
            )
            if i < len(existing):
                self.initial[f"co_organiser_{i}"] = organisation_label(existing[i])

    # --- what the template shows in groups -------------------------------------------------

    def _is_row_field(self, name: str) -> bool:
        return name.startswith(("grant_", "share_", "co_organiser_"))

    def main_fields(self):
        return [
            self[name] for name in self.fields
            if not self._is_row_field(name) and name != "version"
        ]

    def funding_rows(self):
        return [(self[f"grant_{i}"], self[f"share_{i}"]) for i in range(self.funding_count)]

    def co_organiser_fields(self):
        return [self[f"co_organiser_{i}"] for i in range(self.co_organiser_count)]

    # --- parsed values ----------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        for i in range(getattr(self, "funding_count", 0)):
            if data.get(f"share_{i}") is not None and not data.get(f"grant_{i}"):
                self.add_error(f"grant_{i}", _("Choose the grant this share belongs to."))
        return data

    def fundings(self):
        rows = []
        for i in range(self.funding_count):
            grant = self.cleaned_data.get(f"grant_{i}")
            if grant:
                rows.append((grant, self.cleaned_data.get(f"share_{i}")))
        return rows

    def co_organisers(self):
        found = []
        for i in range(self.co_organiser_count):
            organisation = self.cleaned_data.get(f"co_organiser_{i}")
            if organisation and organisation not in found:
                found.append(organisation)
        return found

    def activity_data(self) -> dict:
        return {
            name: value for name, value in self.cleaned_data.items()
            if name in self._meta.fields and name != "focus_areas"
            and not self._is_row_field(name)
        }

    def _post_clean(self):
        # The model's own validation is the service's job: one message on every path.
        pass


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s.value, s.label) for s in EDITABLE_STATUSES]
    )


class CoOrganiserForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"), widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
        help_text=_("Another cluster, a business hub or an international partner."),
    )


class FocusNetworkForm(forms.ModelForm):
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas and themes"), required=False,
        queryset=FocusArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FocusNetwork
        fields = ["name", "description", "hub", "focus_areas", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class PersonChoiceField(forms.CharField):
    """Pick a person by e-mail address (exact) or "Name [#id]"."""

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        match = re.search(r"\[#(\d+)\]\s*$", text)
        found = (
            Person.objects.filter(pk=int(match.group(1))).first() if match
            else Person.objects.filter(email__iexact=text).first()
        )
        if found is None:
            raise forms.ValidationError(
                _("No person has the e-mail address “%(text)s”."), params={"text": text}
            )
        return found


class MemberForm(forms.Form):
    person = PersonChoiceField(
        label=_("Person"), help_text=_("Their e-mail address, as registered."),
    )
    joined_on = forms.DateField(
        label=_("Joined"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
