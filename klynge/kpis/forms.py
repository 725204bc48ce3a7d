"""Forms of the KPI pages: the period chooser, freezing, programme periods and their targets."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.kpis.choices import Kpi
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period
from klynge.kpis.models import TargetPeriod

EARLIEST_YEAR = 2000
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@dataclass(frozen=True)
class ChosenPeriod:
    """The period the page shows, and whether it was cut at today (year or period to date)."""

    period: Period
    to_date: bool = False
    programme: TargetPeriod | None = None


class PeriodForm(forms.Form):
    """A calendar year, a whole programme period, or custom dates. A period that has not
    ended yet ends today (year to date), which the page says."""

    YEAR, PROGRAMME, CUSTOM = "year", "programme", "custom"

    kind = forms.ChoiceField(
        label=_("Period"), initial=YEAR,
        choices=[(YEAR, _("Calendar year")), (PROGRAMME, _("Programme period")),
                 (CUSTOM, _("Custom dates"))],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=EARLIEST_YEAR,
                              max_value=2100)
    programme = forms.ModelChoiceField(label=_("Programme period"), required=False,
                                       queryset=TargetPeriod.objects.all())
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)

    def __init__(self, data=None, *, today: date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        if data is not None:
            data = data.copy()
            if not data.get("kind"):
                data["kind"] = self._guess_kind(data)
            if data["kind"] == self.YEAR and not data.get("year"):
                data["year"] = str(self.today.year)
        super().__init__(data, **kwargs)
        self.fields["year"].initial = self.today.year

    def _guess_kind(self, data) -> str:
        if data.get("start") or data.get("end"):
            return self.CUSTOM
        if data.get("programme"):
            return self.PROGRAMME
        return self.YEAR

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == self.YEAR:
            self._clean_year(cleaned)
        elif kind == self.PROGRAMME:
            self._clean_programme(cleaned)
        elif kind == self.CUSTOM:
            self._clean_custom(cleaned)
        return cleaned

    def _clean_year(self, cleaned) -> None:
        year = cleaned.get("year")
        if year is None:
            if "year" not in self.errors:
                self.add_error("year", _("Choose a year."))
            return
        if year > self.today.year:
            self.add_error("year", _("%(year)s has not started yet: choose %(today)s or an "
                                     "earlier year.") % {"year": year, "today": self.today.year})
            return
        period = Period.year(year)
        self.chosen = self._cut(period.start, period.end)

    def _clean_programme(self, cleaned) -> None:
        programme = cleaned.get("programme")
        if programme is None:
            if "programme" not in self.errors:
                self.add_error("programme", _("Choose a programme period."))
            return
        if programme.start > self.today:
            self.add_error("programme", _("The programme period %(name)s has not started yet.")
                           % {"name": programme.name})
            return
        self.chosen = self._cut(programme.start, programme.end, programme)

    def _clean_custom(self, cleaned) -> None:
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Give the first day of the period."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Give the last day of the period."))
        if start is None or end is None:
            return
        if end < start:
            self.add_error("end", _("The last day must be on or after the first day."))
        elif start.year < EARLIEST_YEAR:
            self.add_error("start", _("Choose a period from %(year)s on.")
                           % {"year": EARLIEST_YEAR})
        elif start > self.today:
            self.add_error("start", _("The period has not started yet: choose a first day "
                                      "of today or earlier."))
        else:
            self.chosen = self._cut(start, end)

    def _cut(self, start: date, end: date, programme=None) -> ChosenPeriod:
        if end > self.today:
            return ChosenPeriod(Period(start, self.today), True, programme)
        return ChosenPeriod(Period(start, end), False, programme)

    def period_or_default(self) -> ChosenPeriod:
        """The chosen period when the form is valid, otherwise this year to date."""
        if self.is_bound and self.is_valid():
            return self.chosen
        year = self.today.year
        return ChosenPeriod(Period(date(year, 1, 1), self.today), True)


class FreezeForm(forms.Form):
    start = forms.DateField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=255, required=False,
                           help_text=_("For example: “as reported in the status report 2025”."))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The last day must be on or after the first day."))
            if end > timezone.localdate():
                raise forms.ValidationError(_("Only figures up to today can be frozen."))
            cleaned["period"] = Period(start, end)
        return cleaned


class TargetPeriodForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60,
                           help_text=_("For example “2029–2032”."))
    start = forms.DateField(label=_("Start"), widget=DATE_INPUT)
    end = forms.DateField(label=_("End"), widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return cleaned


TARGET_FIELD = {"max_digits": 10, "decimal_places": 1, "required": False, "min_value": 0}


def _target_field(label, initial, limit: dict) -> forms.DecimalField:
    widget = forms.NumberInput(attrs={"aria-label": label, "step": "0.1", "min": "0",
                                      "class": "target", **{k[:3]: v for k, v in limit.items()}})
    return forms.DecimalField(label=label, initial=initial, widget=widget, **TARGET_FIELD,
                              **limit)


class TargetGridForm(forms.Form):
    """Every indicator's target (and upper target) for every year of a programme period."""

    def __init__(self, *args, period: TargetPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        existing = {(t.kpi, t.year): t for t in period.targets.all()}
        self.grid = []
        for kpi in Kpi:
            cells = []
            for year in period.years:
                target = existing.get((kpi.value, year))
                value_name, high_name = f"{kpi.value}-{year}", f"{kpi.value}-{year}-high"
                limit = {"max_value": 100} if kpi.value in keys.SHARES else {}
                self.fields[value_name] = _target_field(
                    _("%(kpi)s, target %(year)s") % {"kpi": kpi.label, "year": year},
                    target.value if target else None, limit,
                )
                self.fields[high_name] = _target_field(
                    _("%(kpi)s, upper target %(year)s") % {"kpi": kpi.label, "year": year},
                    target.value_high if target else None, limit,
                )
                cells.append((year, value_name, high_name))
            self.grid.append((kpi, cells))

    def rows(self):
        """(indicator, [(year, value field, upper field)]) for the template."""
        return [(kpi, [(year, self[v], self[h]) for year, v, h in cells])
                for kpi, cells in self.grid]

    def clean(self):
        cleaned = super().clean()
        for _kpi, cells in self.grid:
            for _year, value_name, high_name in cells:
                value, high = cleaned.get(value_name), cleaned.get(high_name)
                if high is not None and value is None and value_name not in self.errors:
                    self.add_error(value_name, _("An upper target needs a target."))
                elif value is not None and high is not None and high < value:
                    self.add_error(high_name, _("The upper target must be at least the "
                                                "target."))
        return cleaned

    def targets(self) -> dict[tuple[str, int], tuple[Decimal | None, Decimal | None]]:
        return {
            (kpi.value, year): (self.cleaned_data.get(v), self.cleaned_data.get(h))
            for kpi, cells in self.grid for year, v, h in cells
        }
