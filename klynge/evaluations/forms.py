"""Forms of evaluations: the answer form built from a survey's questions, and staff forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.evaluations.choices import Agreement, QuestionKind, YesNo
from klynge.evaluations.domain.answers import SCALE_MAX, SCALE_MIN
from klynge.evaluations.models import Question


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _field_for(question: Question) -> forms.Field:
    common = {"label": question.text, "required": question.required}
    if question.kind == QuestionKind.SCALE_0_10:
        return forms.TypedChoiceField(
            choices=[(n, str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)], coerce=int,
            empty_value=None, widget=forms.RadioSelect(attrs={"class": "scale"}), **common,
        )
    if question.kind == QuestionKind.AGREE_5:
        return forms.ChoiceField(choices=Agreement.choices, widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=YesNo.choices, widget=forms.RadioSelect, **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)


class AnswerForm(forms.Form):
    """One field per question of the survey (named q<question id>), with earlier answers."""

    def __init__(self, *args, questions, previous: dict[int, object] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        previous = previous or {}
        for question in self.questions:
            name = field_name(question)
            self.fields[name] = _field_for(question)
            if previous.get(question.pk) is not None:
                self.initial[name] = previous[question.pk]

    def values(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["kind", "text_da", "text_en", "required"]

    def clean(self):
        data = super().clean()
        if not (data.get("text_da") or "").strip() and not (data.get("text_en") or "").strip():
            raise forms.ValidationError(_("Write the question in Danish or English."))
        return data


class AnnualSurveyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    members_on = forms.DateField(
        label=_("Paying members on"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The survey goes to the primary contact persons of the organisations with "
                    "a paying membership on this day."),
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False,
                            help_text=_("Empty: “Annual member survey <year>”."))
    closes_on = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_closes_on(self):
        day = self.cleaned_data.get("closes_on")
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("The survey must close in the future."))
        return day


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, send the reminders now"), required=True)
