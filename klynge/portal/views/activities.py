"""Scaffolding: the owner replaces these views (names and routes are fixed)."""

from django.http import HttpResponse

from klynge.core.permissions import access
from klynge.core.roles import Role


@access({Role.MEMBER})
def activity_list(request, **kwargs):
    return HttpResponse(status=501)


@access({Role.MEMBER})
def activity_detail(request, **kwargs):
    return HttpResponse(status=501)


@access({Role.MEMBER})
def activity_signup(request, **kwargs):
    return HttpResponse(status=501)

