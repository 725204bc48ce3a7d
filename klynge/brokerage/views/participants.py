"""Scaffolding, replaced by the real views.

organiser: the participants and their marketplace entries.
"""

from django.http import HttpResponse
from django.urls import path

from klynge.core.permissions import PUBLIC, access  # noqa: F401
from klynge.core.roles import CLUSTER_TEAM, SIGNED_IN  # noqa: F401


@access(CLUSTER_TEAM)
def participant_list(request, **kwargs):
    return HttpResponse("participant_list", status=501)


@access(CLUSTER_TEAM)
def participant_add(request, **kwargs):
    return HttpResponse("participant_add", status=501)


@access(CLUSTER_TEAM)
def participant_edit(request, **kwargs):
    return HttpResponse("participant_edit", status=501)


urlpatterns = [
    path("<int:pk>/participants/", participant_list, name="participant_list"),
    path("<int:pk>/participants/add/", participant_add, name="participant_add"),
    path("participants/<int:pk>/edit/", participant_edit, name="participant_edit"),
]
