"""Forms and filters of the sign-up, registration and check-in pages. They parse; the rules
live in klynge.activities.registrations."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klynge.activities.choices import ParticipationRole, QuestionKind, RegistrationStatus
from klynge.activities.models import Registration, RegistrationQuestion
from klynge.activities.registrations import NO, YES, answer_key
from klynge.ecosystem.forms import ORGANISATION_PICKER_ATTRS, OrganisationChoiceField

HONEYPOT = "website"


def question_field(question: RegistrationQuestion, *, enforce_required: bool) -> forms.Field:
    required = question.required and enforce_required
    if question.kind == QuestionKind.CHOICE:
        choices = [("", "—"), *[(c, c) for c in question.choices]]
        return forms.ChoiceField(label=question.text, required=required, choices=choices)
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(
            label=question.text, required=required, widget=forms.RadioSelect,
            choices=[(YES, _("Yes")), (NO, _("No"))],
        )
    return forms.CharField(label=question.text, required=required, max_length=1000)


class QuestionsMixin:
    """Adds one field per activity question, named q_<id>; `answers()` keys them by id."""

    def add_questions(self, questions, *, enforce_required: bool) -> None:
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = question_field(
                question, enforce_required=enforce_required
            )

    def answers(self) -> dict[str, str]:
        return {
            answer_key(q): self.cleaned_data.get(f"q_{q.pk}") or "" for q in self.questions
        }


class PublicSignupForm(QuestionsMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    organisation_name = forms.CharField(label=_("Organisation"), required=False, max_length=255)
    cvr = forms.CharField(
        label=_("CVR number"), required=False, max_length=20,
        help_text=_("Optional: 8 digits, for Danish organisations."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    job_title = forms.CharField(label=_("Job title"), required=False, max_length=150)
    # A field people never see (hidden by the stylesheet); bots that fill every field do.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions, enforce_required=True)
        self.fields["consent"] = forms.BooleanField(
            label=_("I agree that the cluster stores my registration and the answers above to "
                    "organise this activity and to report on its activities to its funders."),
            error_messages={"required": _("Please agree so that we can register you.")},
        )
        self.fields[HONEYPOT].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "hp-input"}
        )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class StaffRegistrationForm(QuestionsMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("An existing person is found by e-mail address.")
    )
    first_name = forms.CharField(
        label=_("First name"), required=False, max_length=100,
        help_text=_("Only for a new person."),
    )
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    organisation = OrganisationChoiceField(
        label=_("Organisation"), required=False,
        widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
        help_text=_("Optional: the person's primary organisation when left empty."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ParticipationRole.choices, initial=ParticipationRole.PARTICIPANT
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions, enforce_required=False)


class WalkInForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    organisation = OrganisationChoiceField(
        label=_("Organisation"), required=False,
        widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ParticipationRole.choices)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For “one of several choices”: one choice a line."),
    )
    required = forms.BooleanField(label=_("Required"), required=False)

    def clean_choices(self):
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]

    @classmethod
    def initial_for(cls, question: RegistrationQuestion) -> dict:
        return {"text": question.text, "kind": question.kind,
                "choices": "\n".join(question.choices), "required": question.required}


ATTENDED, ABSENT, UNMARKED = "attended", "absent", "unmarked"


class RegistrationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RegistrationStatus.choices)
    role = django_filters.ChoiceFilter(label=_("Role"), choices=ParticipationRole.choices)
    attendance = django_filters.ChoiceFilter(
        label=_("Attendance"), method="by_attendance",
        choices=[(ATTENDED, _("Attended")), (ABSENT, _("No-show")), (UNMARKED, _("Not marked"))],
    )
    ordering = django_filters.OrderingFilter(
        fields=(("person__last_name", "name"), ("created_at", "registered"),
                ("organisation__name", "organisation")),
    )

    class Meta:
        model = Registration
        fields = ["status", "role"]

    def search(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(
                Q(person__first_name__icontains=term) | Q(person__last_name__icontains=term)
                | Q(person__email__icontains=term) | Q(organisation__name__icontains=term)
            )
        return queryset

    def by_attendance(self, queryset, name, value):
        registered = queryset.filter(status=RegistrationStatus.REGISTERED)
        if value == ATTENDED:
            return registered.filter(attended=True)
        if value == ABSENT:
            return registered.filter(attended=False)
        return registered.filter(attended__isnull=True)
