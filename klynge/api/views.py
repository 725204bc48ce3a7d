"""The API's schema and its interactive documentation (public: they describe, they hold no data)."""

from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from klynge.core.permissions import PUBLIC, access


@access(PUBLIC)
class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of /api/v1/."""


@access(PUBLIC)
class SwaggerView(SpectacularSwaggerView):
    """Swagger UI over the schema (served from this server, no CDN)."""


@access(PUBLIC)
class RedocView(SpectacularRedocView):
    """ReDoc over the schema."""
