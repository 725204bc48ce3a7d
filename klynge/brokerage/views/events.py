"""Scaffolding, replaced by the real views.

organiser: the event list, setting up an event (sessions, slots, tables, types).
"""

from django.http import HttpResponse
from django.urls import path

from klynge.core.permissions import PUBLIC, access  # noqa: F401
from klynge.core.roles import CLUSTER_TEAM, SIGNED_IN  # noqa: F401


@access(CLUSTER_TEAM)
def event_list(request, **kwargs):
    return HttpResponse("event_list", status=501)


@access(CLUSTER_TEAM)
def event_create(request, **kwargs):
    return HttpResponse("event_create", status=501)


@access(CLUSTER_TEAM)
def event_detail(request, **kwargs):
    return HttpResponse("event_detail", status=501)


@access(CLUSTER_TEAM)
def event_edit(request, **kwargs):
    return HttpResponse("event_edit", status=501)


@access(CLUSTER_TEAM)
def event_sessions(request, **kwargs):
    return HttpResponse("event_sessions", status=501)


@access(CLUSTER_TEAM)
def event_tables(request, **kwargs):
    return HttpResponse("event_tables", status=501)


@access(CLUSTER_TEAM)
def event_types(request, **kwargs):
    return HttpResponse("event_types", status=501)


urlpatterns = [
    path("", event_list, name="event_list"),
    path("new/", event_create, name="event_create"),
    path("<int:pk>/", event_detail, name="event_detail"),
    path("<int:pk>/edit/", event_edit, name="event_edit"),
    path("<int:pk>/sessions/", event_sessions, name="event_sessions"),
    path("<int:pk>/tables/", event_tables, name="event_tables"),
    path("<int:pk>/types/", event_types, name="event_types"),
]
