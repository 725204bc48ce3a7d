"""The forms of the webhook pages (parsing only; the rules are in webhooks_services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klynge.api.models import DeliveryStatus, WebhookEvent


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120,
                           help_text=_("Who receives the events, e.g. “Member CRM sync”."))
    url = forms.CharField(label=_("URL"), max_length=500,
                          widget=forms.URLInput(attrs={"placeholder": "https://"}),
                          help_text=_("Klynge sends a signed JSON POST request here."))
    events = forms.MultipleChoiceField(label=_("Events"), choices=WebhookEvent.choices,
                                       widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *DeliveryStatus.choices])
    event = forms.ChoiceField(label=_("Event"), required=False,
                              choices=[("", _("Any event")), *WebhookEvent.choices,
                                       ("ping", _("Test event"))])
