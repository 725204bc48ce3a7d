"""Forms of the outreach pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klynge.activities.models import FocusNetwork
from klynge.ecosystem.choices import Language, OrganisationKind, Region
from klynge.ecosystem.models import FocusArea, Hub
from klynge.outreach.choices import MEMBERSHIP_CHOICES
from klynge.outreach.domain.segments import SegmentFilters
from klynge.outreach.models import Segment


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    organisation_kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"), choices=OrganisationKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every kind."),
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas and themes"), queryset=FocusArea.objects.filter(is_active=True),
        required=False, help_text=_("Organisations with any of these. None chosen: any."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"), choices=Region.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hubs = forms.ModelMultipleChoiceField(
        label=_("Hubs"), queryset=Hub.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    membership = forms.ChoiceField(
        label=_("Membership"), choices=MEMBERSHIP_CHOICES, required=False
    )
    focus_network = forms.ModelChoiceField(
        label=_("Focus network"), queryset=FocusNetwork.objects.filter(is_active=True),
        required=False, empty_label=_("Any or none"),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=[("", _("Any language")), *Language.choices],
        required=False,
    )

    @classmethod
    def for_segment(cls, segment: Segment, data=None) -> "SegmentForm":
        filters = segment.parsed_filters
        initial = {"name": segment.name, "description": segment.description,
                   **filters.to_json()}
        return cls(data, initial=initial)

    def filters(self) -> SegmentFilters:
        data = self.cleaned_data
        return SegmentFilters.from_json({
            "organisation_kinds": data["organisation_kinds"],
            "focus_areas": [area.pk for area in data["focus_areas"]],
            "regions": data["regions"],
            "hubs": [hub.pk for hub in data["hubs"]],
            "membership": data["membership"],
            "focus_network": data["focus_network"].pk if data["focus_network"] else None,
            "language": data["language"],
        })


class InvitationForm(forms.Form):
    segment = forms.ModelChoiceField(
        label=_("Segment"), queryset=Segment.objects.all(), empty_label=_("Choose a segment")
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The e-mail adds a greeting, the activity's time and place, the sign-up "
                    "link and an unsubscribe link."),
    )
