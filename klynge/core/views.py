"""The front page: what each role needs first."""

from django.shortcuts import redirect, render
from django.utils import timezone

from klynge.core.home import landing_for, panels_for
from klynge.core.permissions import PUBLIC, access


@access(PUBLIC)
def home(request):
    """Signed-out visitors go to the login; the team to their overview."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    landing = landing_for(request)
    if landing:
        return redirect(landing)
    context = {"today": timezone.localdate(), "panels": panels_for(request)}
    return render(request, "core/home.html", context)


@access(PUBLIC)
def health(request):
    """A load balancer's liveness probe: answers without touching the session."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
