"""Forms of the organiser's participant pages. The rules live in
klynge.brokerage.services.participants."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.activities.models import Registration
from klynge.brokerage.models import Participant, ParticipationType, Slot


class RegistrationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, registration: Registration) -> str:
        person = registration.person
        where = f" · {registration.organisation.name}" if registration.organisation_id else ""
        return f"{person.full_name}{where} <{person.email}>"


class ParticipantAddForm(forms.Form):
    """One registered person of the activity (who is not a participant yet)."""

    registration = RegistrationChoiceField(
        label=_("Person"), queryset=Registration.objects.none(),
        empty_label=_("Choose a registered person"))
    participation_type = forms.ModelChoiceField(
        label=_("Participation type"), queryset=ParticipationType.objects.none(),
        required=False, empty_label=_("No type"))

    def __init__(self, *args, registrations, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations
        types = event.participation_types.all()
        self.fields["participation_type"].queryset = types
        if not types:
            del self.fields["participation_type"]


class SlotChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, slot: Slot) -> str:
        start = timezone.localtime(slot.starts_at)
        return f"{slot.session.name} {start:%H:%M}–{timezone.localtime(slot.ends_at):%H:%M}"


class ParticipantForm(forms.ModelForm):
    """The marketplace entry, type and cap, and the slots the participant cannot attend."""

    unavailable = SlotChoiceField(
        label=_("Slots not available"), queryset=Slot.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A scheduled meeting in a slot ticked now is unscheduled, so the scheduler "
                    "can place it again."))

    class Meta:
        model = Participant
        fields = ["headline", "offers", "seeks", "is_listed", "participation_type",
                  "meeting_cap"]
        widgets = {"headline": forms.TextInput(attrs={"size": 70}),
                   "offers": forms.Textarea(attrs={"rows": 4}),
                   "seeks": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance.event
        types = event.participation_types.all()
        self.fields["participation_type"].queryset = types
        self.fields["participation_type"].empty_label = _("No type")
        if not types:
            del self.fields["participation_type"]
        slots = event.slots.filter(is_break=False).select_related("session")
        self.fields["unavailable"].queryset = slots
        if not slots:
            del self.fields["unavailable"]
        else:
            self.initial["unavailable"] = list(
                self.instance.unavailable.values_list("pk", flat=True))

    def _save_m2m(self):
        """Unavailability goes through the service (it unschedules meetings)."""

    def validate_unique(self):
        """One participation per person is the service's rule."""
