"""Scaffolding: the owner replaces these views (names and routes are fixed)."""

from django.http import HttpResponse

from klynge.core.permissions import access
from klynge.core.roles import Role


@access({Role.MEMBER})
def organisation_edit(request, **kwargs):
    return HttpResponse(status=501)


@access({Role.MEMBER})
def person_edit(request, **kwargs):
    return HttpResponse(status=501)


@access({Role.MEMBER})
def consents(request, **kwargs):
    return HttpResponse(status=501)


@access({Role.MEMBER})
def data_download(request, **kwargs):
    return HttpResponse(status=501)

