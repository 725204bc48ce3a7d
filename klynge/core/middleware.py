"""Enforce declared access and the MFA requirement on every request."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse

from klynge.core.permissions import declared_access, is_api_view, user_may

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
    """Send administrators and management to set up TOTP before anything else."""

    ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.role in settings.KLYNGE_MFA_REQUIRED_ROLES
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not _has_totp(user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_klynge_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._klynge_has_totp = cached
    return cached
