"""Scaffolding, replaced by the real views.

participant: the personal agenda as a page, .ics and PDF.
"""

from django.http import HttpResponse
from django.urls import path

from klynge.core.permissions import PUBLIC, access  # noqa: F401
from klynge.core.roles import CLUSTER_TEAM, SIGNED_IN  # noqa: F401


@access(PUBLIC)
def me_agenda(request, **kwargs):
    return HttpResponse("me_agenda", status=501)


@access(PUBLIC)
def me_agenda_ics(request, **kwargs):
    return HttpResponse("me_agenda_ics", status=501)


@access(PUBLIC)
def me_agenda_pdf(request, **kwargs):
    return HttpResponse("me_agenda_pdf", status=501)


urlpatterns = [
    path("me/<uuid:key>/agenda/", me_agenda, name="me_agenda"),
    path("me/<uuid:key>/agenda.ics", me_agenda_ics, name="me_agenda_ics"),
    path("me/<uuid:key>/agenda.pdf", me_agenda_pdf, name="me_agenda_pdf"),
]
