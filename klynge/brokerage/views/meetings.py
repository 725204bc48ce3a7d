"""Scaffolding, replaced by the real views.

organiser: every meeting request and meeting, and meetings the organiser arranges.
"""

from django.http import HttpResponse
from django.urls import path

from klynge.core.permissions import PUBLIC, access  # noqa: F401
from klynge.core.roles import CLUSTER_TEAM, SIGNED_IN  # noqa: F401


@access(CLUSTER_TEAM)
def meeting_list(request, **kwargs):
    return HttpResponse("meeting_list", status=501)


@access(CLUSTER_TEAM)
def meeting_create(request, **kwargs):
    return HttpResponse("meeting_create", status=501)


@access(CLUSTER_TEAM)
def meeting_detail(request, **kwargs):
    return HttpResponse("meeting_detail", status=501)


urlpatterns = [
    path("<int:pk>/meetings/", meeting_list, name="meeting_list"),
    path("<int:pk>/meetings/new/", meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
]
