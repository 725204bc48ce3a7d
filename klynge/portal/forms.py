"""Forms of the member portal. They parse and show errors; the rules live in the services."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from klynge.ecosystem.choices import DirectoryField
from klynge.ecosystem.forms import VersionField
from klynge.ecosystem.models import FocusArea, Organisation, Person


class InvitationForm(forms.Form):
    """Which of the person's member organisations the invitation is for, and a note."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects
                                          .none(), empty_label=None)
    message = forms.CharField(
        label=_("Personal message (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to the e-mail, above the link."),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]).order_by("name")


class AcceptForm(forms.Form):
    """Choose a password, twice; Django's validators are applied by the service too."""

    password1 = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and (
                data["password1"] != data["password2"]):
            self.add_error("password2", _("The two passwords differ; type the same one twice."))
        return data


class OrganisationProfileForm(forms.ModelForm):
    """What a member may change of their organisation's public profile."""

    version = VersionField()
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas and themes"), required=False,
        queryset=FocusArea.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple,
    )
    directory_fields = forms.MultipleChoiceField(
        label=_("Shown in the member directory"), required=False,
        choices=DirectoryField.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Your organisation's name is always shown when it is listed."),
    )

    class Meta:
        model = Organisation
        fields = ["description", "website", "competences", "offers", "seeks", "focus_areas",
                  "directory_listed", "directory_fields"]
        widgets = {name: forms.Textarea(attrs={"rows": 4})
                   for name in ("description", "competences", "offers", "seeks")}
        help_texts = {
            "competences": _("What your organisation is good at; Danish or English."),
            "offers": _("What you can offer other members: expertise, equipment, test beds…"),
            "seeks": _("What you are looking for: partners, competences, customers…"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["directory_fields"].initial = list(self.instance.directory_fields or [])

    def _post_clean(self):
        pass  # the service validates and saves


class ProfileForm(forms.ModelForm):
    """What a member may change of their own person record (not the e-mail address)."""

    version = VersionField()

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "phone", "job_title", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        pass  # the service validates and saves

