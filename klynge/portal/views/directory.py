"""Scaffolding: the owner replaces these views (names and routes are fixed)."""

from django.http import HttpResponse

from klynge.core.permissions import PUBLIC, access


@access(PUBLIC)
def directory_list(request, **kwargs):
    return HttpResponse(status=501)


@access(PUBLIC)
def directory_detail(request, **kwargs):
    return HttpResponse(status=501)

