"""Forms of the organiser's set-up pages. They parse and show errors; the rules live in
klynge.brokerage.services.events."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klynge.activities.forms import DateTimeInput
from klynge.brokerage.models import BrokerageEvent, ParticipationType


class EventCreateForm(forms.Form):
    meeting_minutes = forms.IntegerField(
        label=_("Meeting length (minutes)"), min_value=5, max_value=240, initial=20)
    pause_minutes = forms.IntegerField(
        label=_("Changeover between meetings (minutes)"), min_value=0, max_value=120,
        initial=5, help_text=_("Time to find the next table."))
    meeting_cap = forms.IntegerField(
        label=_("Meetings per participant (at most)"), min_value=1, required=False,
        help_text=_("Empty: as many as there are slots."))
    requests_deadline = forms.DateTimeField(
        label=_("Meeting requests close"), required=False, widget=DateTimeInput(),
        help_text=_("Optional. After this, participants can no longer request meetings."))
    morning_session = forms.BooleanField(
        label=_("Create a morning session"), required=False, initial=True)

    def __init__(self, *args, morning_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if morning_label:
            self.fields["morning_session"].help_text = morning_label
        else:
            del self.fields["morning_session"]


class EventForm(forms.ModelForm):
    class Meta:
        model = BrokerageEvent
        fields = ["meeting_minutes", "pause_minutes", "meeting_cap", "requests_open",
                  "requests_deadline"]
        widgets = {"requests_deadline": DateTimeInput()}
        help_texts = {
            "meeting_minutes": _("Changing the length or changeover remakes the slots of every "
                                 "session (only before meetings are scheduled)."),
        }


class SessionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("Morning")}))
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())


class TablesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of tables"), min_value=0, max_value=500,
        help_text=_("Tables are numbered “Table 1”, “Table 2”…; fewer tables removes the last "
                    "ones (never one holding a meeting)."))


class TableNameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)


class TypeForm(forms.ModelForm):
    class Meta:
        model = ParticipationType
        fields = ["name", "capacity", "meeting_cap", "may_meet_same_type"]
        widgets = {"name": forms.TextInput(attrs={"placeholder": _("Buyer")})}

    def validate_unique(self):
        """The service checks the name (with a clearer message)."""
