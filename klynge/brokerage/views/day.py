"""Scaffolding, replaced by the real views.

organiser: the day itself: table plan, check-in, outcomes and statistics.
"""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from klynge.core.permissions import PUBLIC, access  # noqa: F401
from klynge.core.roles import CLUSTER_TEAM, SIGNED_IN  # noqa: F401


@access(CLUSTER_TEAM)
def table_plan(request, **kwargs):
    return HttpResponse("table_plan", status=501)


@access(CLUSTER_TEAM)
def checkin(request, **kwargs):
    return HttpResponse("checkin", status=501)


@require_POST
@access(CLUSTER_TEAM)
def meeting_checkin(request, **kwargs):
    return HttpResponse("meeting_checkin", status=501)


@access(CLUSTER_TEAM)
def meeting_outcome(request, **kwargs):
    return HttpResponse("meeting_outcome", status=501)


@access(CLUSTER_TEAM)
def statistics(request, **kwargs):
    return HttpResponse("statistics", status=501)


@access(CLUSTER_TEAM)
def agendas_pdf(request, **kwargs):
    return HttpResponse("agendas_pdf", status=501)


urlpatterns = [
    path("<int:pk>/plan/", table_plan, name="table_plan"),
    path("<int:pk>/checkin/", checkin, name="checkin"),
    path("meetings/<int:pk>/checkin/", meeting_checkin, name="meeting_checkin"),
    path("meetings/<int:pk>/outcome/", meeting_outcome, name="meeting_outcome"),
    path("<int:pk>/statistics/", statistics, name="statistics"),
    path("<int:pk>/agendas.pdf", agendas_pdf, name="agendas_pdf"),
]
