"""Django admin for grant givers, grants and their rules' thresholds (data, not code), and a
view of action plans, time and costs for administrators.

Everyday time and costs are registered through the staff pages, where the services' rules
and the audit log apply.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from klynge.funding.choices import ActivityType
from klynge.funding.models import (
    ActionPlan,
    BudgetLine,
    Cost,
    Grant,
    GrantGiver,
    PlannedActivity,
    TimeRegistration,
)


@admin.register(GrantGiver)
class GrantGiverAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name")
    search_fields = ("short_name", "name")


class GrantForm(forms.ModelForm):
    eligible_types = forms.MultipleChoiceField(
        label=_("eligible activity types"), choices=ActivityType.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Grant
        fields = [
            "giver", "code", "name", "kind", "period_start", "period_end", "eligible_types",
            "min_actors", "min_companies", "min_knowledge_institutions",
            "min_knowledge_spend_share", "min_innovation_project_share", "min_green_share",
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        for name in ("min_knowledge_spend_share", "min_innovation_project_share",
                     "min_green_share"):
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, _("A share between 0 and 1 (0.5 is 50 %)."))
        return cleaned


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    form = GrantForm
    list_display = ("code", "name", "giver", "kind", "period_start", "period_end")
    list_filter = ("giver", "kind")
    search_fields = ("code", "name")
    fieldsets = (
        (None, {"fields": ("giver", "code", "name", "kind", "period_start", "period_end")}),
        (_("Rules per activity"), {"fields": (
            "eligible_types", "min_actors", "min_companies", "min_knowledge_institutions",
        )}),
        (_("Rules per year"), {"fields": (
            "min_knowledge_spend_share", "min_innovation_project_share", "min_green_share",
        )}),
    )


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class PlannedActivityInline(admin.TabularInline):
    model = PlannedActivity
    extra = 0
    raw_id_fields = ("activity",)


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ("grant", "year")
    list_filter = ("grant", "year")
    inlines = (BudgetLineInline, PlannedActivityInline)


@admin.register(TimeRegistration)
class TimeRegistrationAdmin(admin.ModelAdmin):
    list_display = ("date", "grant", "who", "organisation", "hours", "hourly_rate")
    list_filter = ("grant",)
    date_hierarchy = "date"
    raw_id_fields = ("activity", "organisation", "user", "budget_line")


@admin.register(Cost)
class CostAdmin(admin.ModelAdmin):
    list_display = ("date", "grant", "description", "amount", "organisation")
    list_filter = ("grant",)
    date_hierarchy = "date"
    raw_id_fields = ("activity", "organisation", "budget_line")
