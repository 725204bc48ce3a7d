"""Forms of the event day: check-in of a meeting and what came of it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.brokerage.choices import Attendance
from klynge.ecosystem.forms import DateInput
from klynge.projects.choices import OutcomeKind


class CheckinForm(forms.Form):
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Outcome"), choices=OutcomeKind.choices,
        help_text=_("KPI 5 counts commercial use of research results and new companies."))
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Description"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
