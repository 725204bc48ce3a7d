"""The choice of report on the status report page: the period (a year or a grant period),
optionally one hub, and the download format."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klynge.ecosystem.models import Hub
from klynge.reports.status.periods import PeriodOption


class StatusReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    hub = forms.ModelChoiceField(
        label=_("Hub"), queryset=Hub.objects.order_by("name"), required=False,
        empty_label=_("The whole cluster"),
        help_text=_("Narrows activities and participants to one hub."),
    )

    def __init__(self, *args, options: list[PeriodOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {option.value: option for option in options}
        self.fields["period"].choices = [(o.value, o.label) for o in options]
        self.fields["period"].error_messages["invalid_choice"] = _(
            "Choose a year or a grant period from the list."
        )

    @property
    def option(self) -> PeriodOption:
        return self.options[self.cleaned_data["period"]]
