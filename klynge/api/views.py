"""The API's schema and its interactive documentation (public: they describe, they hold no data)."""

from csp.constants import NONCE, UNSAFE_INLINE
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from klynge.core.permissions import PUBLIC, access

# The documentation pages relax the Content-Security-Policy on these views only (security,
# docs/operations.md): Swagger UI's start-up script and style carry a nonce; ReDoc injects
# styles at run time and builds its search index in a blob: worker.
SWAGGER_CSP = {"script-src": [NONCE], "style-src": [NONCE]}
REDOC_CSP = {"style-src": [UNSAFE_INLINE], "worker-src": ["'self'", "blob:"]}


class RelaxedCspMixin:
    """Add `csp_update` to the page's policy (what django-csp's csp_update decorator does; a
    method decorator would hide the class's @access declaration behind dispatch's wrapper)."""

    csp_update: dict = {}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response._csp_update = self.csp_update
        return response


@access(PUBLIC)
class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of /api/v1/."""


@access(PUBLIC)
class SwaggerView(RelaxedCspMixin, SpectacularSwaggerView):
    """Swagger UI over the schema (served from this server, no CDN)."""

    csp_update = SWAGGER_CSP


@access(PUBLIC)
class RedocView(RelaxedCspMixin, SpectacularRedocView):
    """ReDoc over the schema."""

    csp_update = REDOC_CSP
