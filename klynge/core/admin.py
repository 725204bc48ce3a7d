"""Admin for logins (roles, hubs, organisations) and a read-only view of the audit log."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from klynge.core.models import AuditEntry, Job, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "role", "hub", "organisation", "is_active")
    list_filter = ("role", "hub", "is_active")
    search_fields = ("email", "first_name", "last_name")
    raw_id_fields = ("organisation", "person")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "person")}),
        (_("Role"), {"fields": ("role", "hub", "organisation", "is_active", "is_staff",
                                "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "role", "hub", "organisation",
                                                  "password1", "password2")}),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("timestamp", "action", "object_repr", "actor")
    list_filter = ("action",)
    search_fields = ("object_repr", "action", "object_id")
    date_hierarchy = "timestamp"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("kind", "status", "done", "total", "created_at", "finished_at")
    list_filter = ("kind", "status")
