"""The REST API's endpoints of this app (registered on /api/v1/ by klynge.api.urls)."""


def register(router) -> None:
    """Add this app's viewsets to the API router."""
