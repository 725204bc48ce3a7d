"""Forms of the exports and the excellence pages. They parse input; the services and the
selectors hold the rules."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.funding.models import Grant
from klynge.reports.choices import ExcellenceArea

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def last_full_year() -> int:
    return timezone.localdate().year - 1


class GrantYearForm(forms.Form):
    """A grant and one of the years it runs in."""

    grant = forms.ModelChoiceField(
        label=_("Grant"), queryset=Grant.objects.select_related("giver").order_by(
            "-period_start", "code"),
        empty_label=None,
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def clean(self):
        data = super().clean()
        grant, year = data.get("grant"), data.get("year")
        if grant and year and year not in grant.years:
            self.add_error("year", _("%(code)s runs from %(start)s to %(end)s; choose a year "
                                     "in that period.") % {
                "code": grant.code, "start": grant.period_start.year,
                "end": grant.period_end.year})
        return data


class PeriodForm(forms.Form):
    """A period, both days included; the last full calendar year by default."""

    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("Until"), widget=DATE)

    @classmethod
    def initial_period(cls) -> dict:
        year = last_full_year()
        return {"start": date(year, 1, 1), "end": date(year, 12, 31)}

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period must end on or after its first day."))
        return data


class ExcellenceDocumentForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    area = forms.ChoiceField(label=_("Indicator area"), choices=ExcellenceArea.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(
        label=_("File"),
        help_text=_("At most 20 MB: PDF, Word, Excel, PowerPoint, PNG, JPG, text or "
                    "Markdown."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.txt,.md"}),
    )
