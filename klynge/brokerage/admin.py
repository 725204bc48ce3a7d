"""Django admin for brokerage events, for administrators: read mostly.

Everyday work goes through the organiser's pages, where the services' rules (whole slots, no
overlapping sessions, capacities, meetings never stranded) and the audit log apply; here the
records can be looked up, and only harmless fields changed.
"""

from django.contrib import admin

from klynge.brokerage.models import (
    BrokerageEvent,
    Meeting,
    Participant,
    ParticipationType,
    ScheduleRun,
    Session,
    Slot,
    Table,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class SessionInline(ReadOnlyInline):
    model = Session


class TableInline(ReadOnlyInline):
    model = Table


class TypeInline(ReadOnlyInline):
    model = ParticipationType


class ReadMostlyAdmin(admin.ModelAdmin):
    """No adding or deleting here: those go through the services."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BrokerageEvent)
class BrokerageEventAdmin(ReadMostlyAdmin):
    list_display = ("activity", "meeting_minutes", "pause_minutes", "meeting_cap",
                    "requests_open", "requests_deadline", "published_at")
    list_filter = ("requests_open",)
    search_fields = ("activity__title", "activity__place")
    list_select_related = ("activity",)
    readonly_fields = ("activity", "meeting_minutes", "pause_minutes", "published_at",
                       "created_at", "updated_at")
    inlines = [SessionInline, TableInline, TypeInline]


@admin.register(Session)
class SessionAdmin(ReadMostlyAdmin):
    list_display = ("name", "event", "starts_at", "ends_at")
    search_fields = ("name", "event__activity__title")
    list_select_related = ("event__activity",)
    readonly_fields = ("event", "starts_at", "ends_at")


@admin.register(Slot)
class SlotAdmin(ReadMostlyAdmin):
    list_display = ("__str__", "session", "event", "starts_at", "ends_at", "is_break")
    list_filter = ("is_break",)
    search_fields = ("session__name", "event__activity__title")
    list_select_related = ("session", "event__activity")
    readonly_fields = ("event", "session", "starts_at", "ends_at", "is_break")


@admin.register(Table)
class TableAdmin(ReadMostlyAdmin):
    list_display = ("name", "event", "position")
    search_fields = ("name", "event__activity__title")
    list_select_related = ("event__activity",)
    readonly_fields = ("event",)


@admin.register(ParticipationType)
class ParticipationTypeAdmin(ReadMostlyAdmin):
    list_display = ("name", "event", "capacity", "meeting_cap", "may_meet_same_type")
    search_fields = ("name", "event__activity__title")
    list_select_related = ("event__activity",)
    readonly_fields = ("event",)


@admin.register(Participant)
class ParticipantAdmin(ReadMostlyAdmin):
    list_display = ("person", "organisation", "event", "participation_type", "is_listed",
                    "withdrawn_at")
    list_filter = ("is_listed",)
    search_fields = ("person__first_name", "person__last_name", "person__email",
                     "organisation__name", "headline", "event__activity__title")
    list_select_related = ("person", "organisation", "event__activity", "participation_type")
    readonly_fields = ("event", "person", "organisation", "registration", "participation_type",
                       "meeting_cap", "unavailable", "key", "withdrawn_at", "created_at",
                       "updated_at")


@admin.register(Meeting)
class MeetingAdmin(ReadMostlyAdmin):
    list_display = ("__str__", "event", "status", "priority", "origin", "slot", "table",
                    "locked", "attendance")
    list_filter = ("status", "origin", "priority", "attendance", "locked")
    search_fields = ("requester__person__last_name", "recipient__person__last_name",
                     "requester__organisation__name", "recipient__organisation__name",
                     "event__activity__title")
    list_select_related = ("requester__person", "recipient__person", "event__activity",
                           "slot", "table")
    readonly_fields = [field.name for field in Meeting._meta.fields]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadMostlyAdmin):
    list_display = ("event", "mode", "created_at", "accepted", "scheduled", "bound_meetings",
                    "breaks", "seconds", "optimal", "violations")
    list_filter = ("mode", "optimal")
    search_fields = ("event__activity__title",)
    list_select_related = ("event__activity",)
    readonly_fields = [field.name for field in ScheduleRun._meta.fields]
