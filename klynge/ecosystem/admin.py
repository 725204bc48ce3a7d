"""Django admin for the registry's reference data (taxonomy, DB07, tiers, hubs).

Everyday records are kept through the staff pages, where the services' rules and the audit
log apply; the admin shows them read-mostly for administrators.
"""

from django.contrib import admin
from django.db import models

from klynge.ecosystem.models import (
    FocusArea,
    Hub,
    ImportBatch,
    IndustryCode,
    MembershipTier,
    Organisation,
)


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "region", "email")
    search_fields = ("name", "city")


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ("name_da", "name_en", "kind", "parent", "position", "is_active")
    list_filter = ("kind", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("name_da", "name_en")


@admin.register(IndustryCode)
class IndustryCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "title")
    raw_id_fields = ("parent",)


@admin.register(MembershipTier)
class MembershipTierAdmin(admin.ModelAdmin):
    list_display = ("name", "annual_fee", "position", "description")
    list_editable = ("annual_fee", "position")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Read-only: changes go through the staff pages so they are validated and audited."""

    list_display = ("name", "kind", "cvr", "country", "region", "hub")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ("kind", "region", "hub")
    search_fields = ("name", "cvr")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("original_name", "target", "status", "mode", "created_by", "created_at")
    list_filter = ("target", "status")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False
