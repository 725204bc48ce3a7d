"""Forms of the schedule pages: a scheduler run, and moving or locking one meeting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klynge.brokerage.models import Meeting, Slot, Table


class RunForm(forms.Form):
    MODES = (
        ("optimise", _("Optimise")),
        ("exact", _("Optimise exactly (CP-SAT)")),
        ("late", _("Place new requests only")),
    )
    mode = forms.ChoiceField(label=_("Run"), choices=MODES, initial="optimise")
    time_limit = forms.FloatField(
        label=_("Time limit (seconds)"), required=False, min_value=1, max_value=120,
        help_text=_("Empty: the default (10 s exact, 3 s otherwise)."))


class MoveForm(forms.Form):
    """Where a meeting goes: a slot and table of its event (no slot: out of the schedule)."""

    slot = forms.ModelChoiceField(label=_("Slot"), queryset=Slot.objects.none(), required=False,
                                  empty_label=_("Not scheduled"))
    table = forms.ModelChoiceField(label=_("Table"), queryset=Table.objects.none(),
                                   required=False, empty_label=_("Any free table"))
    locked = forms.BooleanField(
        label=_("Lock here"), required=False,
        help_text=_("The scheduler keeps a locked meeting where it is."))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault("initial", {}).update(
            {"slot": meeting.slot_id, "table": meeting.table_id, "locked": meeting.locked})
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = (Slot.objects.filter(event=meeting.event_id,
                                                            is_break=False)
                                        .order_by("starts_at", "pk"))
        self.fields["table"].queryset = Table.objects.filter(
            event=meeting.event_id).order_by("position", "pk")
