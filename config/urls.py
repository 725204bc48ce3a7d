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
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

