"""The signed-in user's API token page: create, regenerate or revoke their own token."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klynge.api import tokens
from klynge.core.permissions import access
from klynge.core.roles import SIGNED_IN


def _page(request, *, new_key: str | None = None, status: int = 200):
    return render(request, "api/tokens.html", {
        "token": tokens.token_of(request.user),
        "new_key": new_key,
        "docs_url": reverse("api:docs"),
        "schema_url": reverse("api:schema"),
        "api_root": request.build_absolute_uri("/api/v1/"),
    }, status=status)


@access(SIGNED_IN)
def token_page(request):
    """Whether the user has a token (never its key again), and what they can do with it."""
    return _page(request)


@access(SIGNED_IN)
@require_POST
def token_create(request):
    """Make (or replace) the token and show its key, this once."""
    token = tokens.token_create(user=request.user)
    return _page(request, new_key=token.key)


@access(SIGNED_IN)
@require_POST
def token_revoke(request):
    if tokens.token_revoke(user=request.user):
        messages.success(request, _("Your API token was revoked: it no longer works."))
    else:
        messages.info(request, _("You had no API token."))
    return redirect("api:tokens")
