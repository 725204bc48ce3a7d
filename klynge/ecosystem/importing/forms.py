"""The import's forms: the upload, the column mapping (one choice per column) and the mode."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from klynge.ecosystem.domain.importing import field_names
from klynge.ecosystem.importing.messages import field_label
from klynge.ecosystem.models import ImportBatch

ACCEPT = ".csv,.txt,.gz,.xlsx,text/csv,application/gzip," \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Import into"), choices=ImportBatch.Target.choices, widget=forms.RadioSelect,
        initial=ImportBatch.Target.ORGANISATIONS,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (semicolon or comma separated, also gzipped) or Excel (.xlsx), "
                    "with a header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class MappingForm(forms.Form):
    """One select per column of the file, preset to the guessed field."""

    def __init__(self, *args, target: str, header: list[str], mapping: dict[str, str],
                 sample: list[list[str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        choices = [("", _("— do not import —"))] + [
            (name, capfirst(field_label(name))) for name in field_names(target)
        ]
        sample = sample or []
        for index, column in enumerate(header):
            examples = [row[index] for row in sample if index < len(row) and row[index]]
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=column, choices=choices, required=False,
                initial=mapping.get(column, ""),
                help_text=" · ".join(examples),
            )

    def mapping(self) -> dict[str, str]:
        return {
            column: self.cleaned_data.get(f"col_{index}") or ""
            for index, column in enumerate(self.header)
        }


class CommitForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How to import"), choices=ImportBatch.Mode.choices, widget=forms.RadioSelect,
        initial=ImportBatch.Mode.ALL_OR_NOTHING,
    )
