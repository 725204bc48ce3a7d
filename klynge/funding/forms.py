"""Forms of the funding pages. They parse input; the services hold the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.choices import KNOWLEDGE_INSTITUTION_KINDS
from klynge.ecosystem.models import Organisation
from klynge.funding.models import (
    ActionPlan,
    BudgetLine,
    Cost,
    PlannedActivity,
    TimeRegistration,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _limit_to_grant(form, grant) -> None:
    """Offer only the grant's budget lines and the activities it funds, and knowledge
    institutions as organisations (their hours and costs make up the UFS share)."""
    if "budget_line" in form.fields:
        form.fields["budget_line"].queryset = BudgetLine.objects.filter(
            plan__grant=grant
        ).select_related("plan").order_by("plan__year", "name")
    if "activity" in form.fields:
        form.fields["activity"].queryset = (
            form.fields["activity"].queryset.filter(fundings__grant=grant).order_by("-starts_at")
        )
    if "organisation" in form.fields:
        form.fields["organisation"].queryset = Organisation.objects.filter(
            kind__in=list(KNOWLEDGE_INSTITUTION_KINDS)
        ).order_by("name")


class ActionPlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["description"]


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["name", "category", "planned_amount"]

    def validate_unique(self):
        pass  # the service checks the name per plan, with a message that names the plan


class PlannedActivityForm(forms.ModelForm):
    class Meta:
        model = PlannedActivity
        fields = ["title", "type", "target_participants", "budget", "activity"]

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to_grant(self, grant)
        if grant.eligible_types and grant.rules.has_rules:
            self.fields["type"].choices = [
                (value, label) for value, label in self.fields["type"].choices
                if value in grant.eligible_types
            ]


class TimeRegistrationForm(forms.ModelForm):
    class Meta:
        model = TimeRegistration
        fields = ["date", "hours", "hourly_rate", "user", "person_name", "organisation",
                  "budget_line", "activity", "description"]
        widgets = {"date": DATE}
        help_texts = {
            "person_name": _("For a partner's hours: the person's name (and choose the "
                             "organisation)."),
        }

    def __init__(self, *args, grant, own_time_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to_grant(self, grant)
        if own_time_only:
            for name in ("user", "person_name", "organisation"):
                del self.fields[name]
        else:
            self.fields["user"].queryset = get_user_model().objects.filter(
                role__in=[str(role) for role in CLUSTER_TEAM], is_active=True
            ).order_by("first_name", "email")


class CostForm(forms.ModelForm):
    class Meta:
        model = Cost
        fields = ["date", "amount", "description", "organisation", "budget_line", "activity"]
        widgets = {"date": DATE}

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to_grant(self, grant)
