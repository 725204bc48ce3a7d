"""Forms of the call pages: the upload of F&T exports and the "organisations for this call"
options."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klynge.ecosystem.forms import ORGANISATION_PICKER_ATTRS, OrganisationChoiceField
from klynge.matchmaking.choices import ProfileKind

#: The largest file the upload page takes (the real exports are well under 5 MB).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_FILES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.gz"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else single(data, initial)


class CallImportForm(forms.Form):
    files = MultipleFileField(
        label=_("CSV files"),
        help_text=_("One or more call-topic exports of the EU Funding & Tenders portal "
                    "(.csv or .csv.gz, at most 20 MB each)."),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("At most %(count)s files at a time."), params={"count": MAX_FILES})
        for upload in files:
            name = upload.name.lower()
            if not (name.endswith(".csv") or name.endswith(".csv.gz")):
                raise forms.ValidationError(
                    _("%(name)s is not a .csv or .csv.gz file."), params={"name": upload.name})
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is larger than 20 MB."), params={"name": upload.name})
        return files


class CallSuggestionsForm(forms.Form):
    lead = OrganisationChoiceField(
        label=_("Lead organisation"), required=False,
        widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
        help_text=_("Optional: the registry organisation that would lead. Type part of the "
                    "name and pick one."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"), required=False, choices=ProfileKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only these kinds of organisation (none ticked: every kind)."),
    )
    external = forms.ChoiceField(
        label=_("Organisations known only from CORDIS"), required=False,
        choices=[("yes", _("Include them")), ("no", _("Only the registry"))],
        initial="yes",
    )

    def options(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"lead": data.get("lead"), "kinds": tuple(data.get("kinds") or ()),
                "include_external": (data.get("external") or "yes") != "no"}


class CordisSearchForm(forms.Form):
    q = forms.CharField(label=_("Search CORDIS organisations"), required=False, max_length=100,
                        help_text=_("Part of the name, or the VAT number."))
