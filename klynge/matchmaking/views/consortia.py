"""Pages of matchmaking (being built)."""

from django.http import Http404
from django.urls import path

from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM


@access(CLUSTER_TEAM)
def not_built_yet(request, *args, **kwargs):
    """Scaffolding: replaced by the real view (so other pages can link here already)."""
    raise Http404


urlpatterns: list = [
    path("calls/<int:pk>/consortium/", not_built_yet, name="consortium"),
]
