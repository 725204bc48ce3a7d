"""Scaffolding, replaced by the real views.

organiser: the scheduler, publishing, moving and locking meetings.
"""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from klynge.core.permissions import PUBLIC, access  # noqa: F401
from klynge.core.roles import CLUSTER_TEAM, SIGNED_IN  # noqa: F401


@access(CLUSTER_TEAM)
def schedule(request, **kwargs):
    return HttpResponse("schedule", status=501)


@require_POST
@access(CLUSTER_TEAM)
def schedule_run(request, **kwargs):
    return HttpResponse("schedule_run", status=501)


@require_POST
@access(CLUSTER_TEAM)
def schedule_publish(request, **kwargs):
    return HttpResponse("schedule_publish", status=501)


@require_POST
@access(CLUSTER_TEAM)
def meeting_move(request, **kwargs):
    return HttpResponse("meeting_move", status=501)


urlpatterns = [
    path("<int:pk>/schedule/", schedule, name="schedule"),
    path("<int:pk>/schedule/run/", schedule_run, name="schedule_run"),
    path("<int:pk>/schedule/publish/", schedule_publish, name="schedule_publish"),
    path("meetings/<int:pk>/move/", meeting_move, name="meeting_move"),
]
