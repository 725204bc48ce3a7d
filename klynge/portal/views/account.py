"""Scaffolding: the owner replaces these views (names and routes are fixed)."""

from django.http import HttpResponse

from klynge.core.permissions import PUBLIC, access
from klynge.core.roles import CLUSTER_TEAM


@access(CLUSTER_TEAM)
def invitation_list(request, **kwargs):
    return HttpResponse(status=501)


@access(CLUSTER_TEAM)
def invitation_create(request, **kwargs):
    return HttpResponse(status=501)


@access(CLUSTER_TEAM)
def invitation_resend(request, **kwargs):
    return HttpResponse(status=501)


@access(CLUSTER_TEAM)
def invitation_revoke(request, **kwargs):
    return HttpResponse(status=501)


@access(PUBLIC)
def invitation_accept(request, **kwargs):
    return HttpResponse(status=501)

