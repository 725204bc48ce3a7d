"""Forms of meetings: the organiser arranges or cancels one; a participant requests one,
answers one, and edits their marketplace entry and the slots they cannot attend."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.brokerage.choices import Priority
from klynge.brokerage.models import Participant


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, participant: Participant) -> str:
        parts = [participant.person.full_name]
        if participant.organisation_id:
            parts.append(participant.organisation.name)
        if participant.participation_type_id:
            parts.append(str(participant.participation_type))
        return " · ".join(parts)


class MeetingArrangeForm(forms.Form):
    """The organiser's meeting between two participants of the event (accepted at once)."""

    requester = ParticipantChoiceField(label=_("Participant"), queryset=None,
                                       empty_label=_("Choose a participant"))
    recipient = ParticipantChoiceField(label=_("Meets"), queryset=None,
                                       empty_label=_("Choose a participant"))
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices,
                                      coerce=int, initial=Priority.HIGH,
                                      help_text=_("The scheduler places higher priorities "
                                                  "first."))
    message = forms.CharField(label=_("Message to both"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Why they should meet; sent to both by e-mail."))

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = participants
        self.fields["recipient"].queryset = participants

    def clean(self):
        data = super().clean()
        a, b = data.get("requester"), data.get("recipient")
        if a is not None and b is not None and a.pk == b.pk:
            self.add_error("recipient", _("Choose someone else: a meeting needs two "
                                          "participants."))
        return data


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (kept in the history)"), required=False,
                             max_length=500)


class MeetingRequestForm(forms.Form):
    """A participant's request: why, and how much it matters."""

    message = forms.CharField(
        label=_("Message"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say who you are and what you would like to talk about: it helps them "
                    "say yes."))
    priority = forms.TypedChoiceField(label=_("How much does it matter?"),
                                      choices=Priority.choices, coerce=int,
                                      initial=Priority.NORMAL,
                                      widget=forms.RadioSelect,
                                      help_text=_("The scheduler places your “must meet” "
                                                  "meetings first."))


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    message = forms.CharField(label=_("Message (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class SlotChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, slot) -> str:
        start = timezone.localtime(slot.starts_at)
        return f"{slot.session} · {start:%d.%m} {slot}"


class ProfileForm(forms.Form):
    """A participant's marketplace entry and the slots they cannot attend."""

    headline = forms.CharField(label=_("Headline"), max_length=200, required=False,
                               help_text=_("One line others see first, e.g. “AI for quality "
                                           "control in food production”."))
    offers = forms.CharField(label=_("What I offer"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    seeks = forms.CharField(label=_("What I am looking for"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))
    is_listed = forms.BooleanField(
        label=_("Show me in the marketplace"), required=False,
        help_text=_("Unticked: others cannot find or request you; meetings you request or "
                    "that the organiser arranges still happen."))
    unavailable = SlotChoiceField(
        label=_("Times I cannot meet"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the times you are not available; no meeting is placed there."))

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unavailable"].queryset = slots
        if not slots.exists():
            del self.fields["unavailable"]
