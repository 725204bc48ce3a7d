"""Enforce declared access and the MFA requirement on every request."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from klynge.core.permissions import PUBLIC, declared_access, is_api_view, user_may
from klynge.core.ratelimit import client_ip, consume, exceeded

# Views from packages that handle their own access (login pages, static files, language).
SELF_GUARDED_MODULES = (
    "allauth.",
    "django.views.i18n",
    "django.views.static",
    "django.contrib.staticfiles",
    "django.contrib.admin",
)


def _module_of(view) -> str:
    target = getattr(view, "view_class", None) or view
    return getattr(target, "__module__", "") or ""


def _is_admin(request) -> bool:
    # The admin guards every page itself (AdminSite.has_permission), including the ones whose
    # view lives outside django.contrib.admin: "view on site" and the object-URL redirects.
    match = getattr(request, "resolver_match", None)
    return match is not None and match.app_names[:1] == ["admin"]


class AccessMiddleware:
    """Refuse any view whose declaration does not include the user's role."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api_view(view_func):
            # A token is only known after DRF authenticates: klynge.core.api.DeclaredAccess
            # checks the same declaration there (and refuses an undeclared API view).
            return None
        declared = declared_access(view_func)
        if declared is None:
            if _module_of(view_func).startswith(SELF_GUARDED_MODULES) or _is_admin(request):
                return None
            return render(request, "core/403.html", {"reason": "undeclared"}, status=403)
        if user_may(request.user, declared):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(request, "core/403.html", {"reason": "role"}, status=403)


class MfaRequiredMiddleware:
    """Send administrators and management to set up TOTP before anything else.

    Pages redirect to the TOTP set-up; REST framework views answer 403 JSON instead, since a
    program cannot follow a set-up page. Token callers are only known once REST framework has
    authenticated them: klynge.core.api.DeclaredAccess applies the same rule there
    (`mfa_setup_missing`), so a token never gets round it.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.ALLOWED_PREFIXES) or not mfa_setup_missing(request.user):
            return None
        if is_api_view(view_func):
            return JsonResponse({"detail": mfa_refusal_message(), "code": "mfa_required"},
                                status=403)
        return redirect(reverse("mfa_activate_totp") + "?required=1")


def mfa_setup_missing(user) -> bool:
    """Whether a signed-in user's role requires TOTP and the user has not set it up."""
    return (
        user is not None
        and user.is_authenticated
        and getattr(user, "role", None) in settings.KLYNGE_MFA_REQUIRED_ROLES
        and not _has_totp(user)
    )


def mfa_refusal_message() -> str:
    return gettext(
        "Your role requires two-factor authentication. Set up an authenticator app under "
        "Security (/accounts/2fa/) before using the API."
    )


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_klynge_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._klynge_has_totp = cached
    return cached


class PublicRateLimitMiddleware:
    """Limit anonymous use of public pages that can serve for guessing (klynge.core.ratelimit).

    Counted, per visitor address: every POST to a page declared PUBLIC without a secret key in
    its URL (the public sign-up and other open forms; per page), and every *refused* request
    to a public link that carries a token (invitation, cancellation, survey, unsubscribe links
    answering 400, 404 or 410; per kind of link). Over the limit the page answers 429 until the
    window ends. Signed-in people, the REST framework (its own throttles) and the brokerage
    participants' pages (random UUID keys, too long to guess; a venue shares one address) are
    not counted; the login is django-axes' business.
    """

    REFUSED = frozenset({400, 404, 410})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        bucket = getattr(request, "_klynge_token_bucket", None)
        if bucket is not None and response.status_code in self.REFUSED:
            consume(bucket, limit=settings.KLYNGE_PUBLIC_RATE_LIMIT,
                    window=settings.KLYNGE_PUBLIC_RATE_WINDOW)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated or is_api_view(view_func):
            return None
        declared = declared_access(view_func)
        if declared is None or PUBLIC not in declared:
            return None
        limit, window = settings.KLYNGE_PUBLIC_RATE_LIMIT, settings.KLYNGE_PUBLIC_RATE_WINDOW
        address = client_ip(request)
        if "token" in view_kwargs:
            match = request.resolver_match
            request._klynge_token_bucket = f"token:{match.view_name}:{address}"
            retry_after = exceeded(request._klynge_token_bucket, limit=limit, window=window)
        elif request.method == "POST" and "key" not in view_kwargs:
            retry_after = consume(f"form:{request.path}:{address}", limit=limit, window=window)
        else:
            return None
        if retry_after is None:
            return None
        response = render(request, "core/429.html", {"retry_after": retry_after}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
