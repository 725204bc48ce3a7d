"""Django admin for activities and focus networks, for administrators.

Everyday planning goes through the staff pages, where the services' rules (dates, funding
split, grant eligibility) and the audit log apply.
"""

from django.contrib import admin
from django.db import models

from klynge.activities.models import Activity, ActivityFunding, FocusNetwork, FocusNetworkMember


class ActivityFundingInline(admin.TabularInline):
    model = ActivityFunding
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "type", "format", "starts_at", "status", "hub", "is_public")
    list_filter = ("status", "type", "format", "is_public", "hub")
    search_fields = ("title", "description", "place")
    date_hierarchy = "starts_at"
    raw_id_fields = ("co_organisers", "responsible", "focus_network")
    filter_horizontal = ("focus_areas",)
    readonly_fields = ("held_at", "created_at", "updated_at")
    inlines = [ActivityFundingInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class FocusNetworkMemberInline(admin.TabularInline):
    model = FocusNetworkMember
    extra = 0
    raw_id_fields = ("person",)


@admin.register(FocusNetwork)
class FocusNetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "hub", "is_active")
    list_filter = ("is_active", "hub")
    search_fields = ("name", "description")
    filter_horizontal = ("focus_areas",)
    inlines = [FocusNetworkMemberInline]
