"""/api/: version 1 of the REST API, its OpenAPI schema and the interactive documentation.

The endpoints live in each app's api.py; each app's `register(router)` adds its viewsets.
"""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from klynge.activities import api as activities_api
from klynge.api.views import RedocView, SchemaView, SwaggerView
from klynge.brokerage import api as brokerage_api
from klynge.ecosystem import api as ecosystem_api
from klynge.kpis import api as kpis_api
from klynge.matchmaking import api as matchmaking_api
from klynge.projects import api as projects_api

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
for module in (ecosystem_api, activities_api, projects_api, matchmaking_api, brokerage_api,
               kpis_api):
    module.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
]
