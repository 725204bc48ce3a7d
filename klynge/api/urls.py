"""/api/: version 1 of the REST API, its OpenAPI schema and the interactive documentation.

The endpoints live in each app's api.py; each app's `register(router)` adds its viewsets.
"""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from klynge.activities import api as activities_api
from klynge.api import views_health, views_tokens, views_webhooks
from klynge.api.views import RedocView, SchemaView, SwaggerView
from klynge.brokerage import api as brokerage_api
from klynge.ecosystem import api as ecosystem_api
from klynge.kpis import api as kpis_api
from klynge.matchmaking import api as matchmaking_api
from klynge.projects import api as projects_api

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False  # JSON only: no ".json" twins of every URL
for module in (ecosystem_api, activities_api, projects_api, matchmaking_api, brokerage_api,
               kpis_api):
    module.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    # the signed-in user's API token (H1)
    path("tokens/", views_tokens.token_page, name="tokens"),
    path("tokens/create/", views_tokens.token_create, name="token_create"),
    path("tokens/revoke/", views_tokens.token_revoke, name="token_revoke"),
    # webhooks and the health probe (H7)
    path("health/", views_health.health, name="health"),
    path("webhooks/", views_webhooks.webhook_list, name="webhook_list"),
    path("webhooks/new/", views_webhooks.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/", views_webhooks.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/edit/", views_webhooks.webhook_edit, name="webhook_edit"),
    path("webhooks/<int:pk>/toggle/", views_webhooks.webhook_toggle, name="webhook_toggle"),
    path("webhooks/<int:pk>/secret/", views_webhooks.webhook_rotate_secret,
         name="webhook_rotate_secret"),
    path("webhooks/<int:pk>/delete/", views_webhooks.webhook_delete, name="webhook_delete"),
    path("webhooks/<int:pk>/test/", views_webhooks.webhook_send_test, name="webhook_send_test"),
    path("webhooks/<int:pk>/deliveries/<int:delivery_pk>/", views_webhooks.webhook_delivery,
         name="webhook_delivery"),
    path("webhooks/<int:pk>/deliveries/<int:delivery_pk>/resend/",
         views_webhooks.webhook_delivery_resend, name="webhook_delivery_resend"),
]
