"""Scaffolding, replaced by the real views.

participant: the personal pages opened by the link in their e-mail.
"""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from klynge.core.permissions import PUBLIC, access  # noqa: F401
from klynge.core.roles import CLUSTER_TEAM, SIGNED_IN  # noqa: F401


@access(SIGNED_IN)
def my_events(request, **kwargs):
    return HttpResponse("my_events", status=501)


@access(PUBLIC)
def me_home(request, **kwargs):
    return HttpResponse("me_home", status=501)


@access(PUBLIC)
def me_profile(request, **kwargs):
    return HttpResponse("me_profile", status=501)


@access(PUBLIC)
def me_marketplace(request, **kwargs):
    return HttpResponse("me_marketplace", status=501)


@access(PUBLIC)
def me_request(request, **kwargs):
    return HttpResponse("me_request", status=501)


@require_POST
@access(PUBLIC)
def me_answer(request, **kwargs):
    return HttpResponse("me_answer", status=501)


@require_POST
@access(PUBLIC)
def me_cancel(request, **kwargs):
    return HttpResponse("me_cancel", status=501)


urlpatterns = [
    path("mine/", my_events, name="my_events"),
    path("me/<uuid:key>/", me_home, name="me_home"),
    path("me/<uuid:key>/profile/", me_profile, name="me_profile"),
    path("me/<uuid:key>/marketplace/", me_marketplace, name="me_marketplace"),
    path("me/<uuid:key>/request/<int:participant>/", me_request, name="me_request"),
    path("me/<uuid:key>/meetings/<int:meeting>/answer/", me_answer, name="me_answer"),
    path("me/<uuid:key>/meetings/<int:meeting>/cancel/", me_cancel, name="me_cancel"),
]
