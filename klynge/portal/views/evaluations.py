"""Scaffolding: the owner replaces these views (names and routes are fixed)."""

from django.http import HttpResponse

from klynge.core.permissions import access
from klynge.core.roles import Role


@access({Role.MEMBER})
def evaluation_list(request, **kwargs):
    return HttpResponse(status=501)

