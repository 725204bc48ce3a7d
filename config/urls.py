"""The URL conf. Every view declares who may use it (klynge.core.permissions)."""

from django.contrib import admin
from django.urls import include, path

from klynge.core.roles import Role


def _administrators_only(request) -> bool:
    user = request.user
    return user.is_active and user.is_authenticated and user.role == Role.ADMINISTRATOR


admin.site.has_permission = _administrators_only
admin.site.site_header = "Klynge"

urlpatterns = [
    path("", include("klynge.core.urls")),
    path("ecosystem/", include("klynge.ecosystem.urls")),
    path("activities/", include("klynge.activities.urls")),
    path("events/", include("klynge.activities.public_urls")),
    path("funding/", include("klynge.funding.urls")),
    path("evaluations/", include("klynge.evaluations.urls")),
    path("survey/", include("klynge.evaluations.public_urls")),
    path("outreach/", include("klynge.outreach.urls")),
    path("projects/", include("klynge.projects.urls")),
    path("matchmaking/", include("klynge.matchmaking.urls")),
    path("b2b/", include("klynge.brokerage.urls")),
    path("kpis/", include("klynge.kpis.urls")),
    path("reports/", include("klynge.reports.urls")),
    path("privacy/", include("klynge.privacy.urls")),
    path("portal/", include("klynge.portal.urls")),
    path("members/", include("klynge.portal.directory_urls")),
    path("api/", include("klynge.api.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

