"""The REST API's shared parts: access declarations, errors, pagination.

Every API view declares who may use it with the same `@access(...)` as the pages (on the class);
`DeclaredAccess` enforces it for session and token callers alike (the page middleware leaves API
views to it, because a token is only known once DRF has authenticated the request). An
undeclared API view is refused, as an undeclared page is.

Errors a caller can cause always answer 4xx with a JSON body:

    {"detail": "human message", "field": "cvr", "errors": {"cvr": ["..."]}}

`ApplicationError` from a service becomes 400 (409 for a stale edit), Django's
ValidationError 400, a missing record 404; nothing a caller sends may end in a 500
(`klynge.core.api_errors.exception_handler`).
"""

from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission

from klynge.core.permissions import declared_access, user_may


class DeclaredAccess(BasePermission):
    """Let in only the roles the view's class declared with `@access(...)` (fail closed)."""

    message = "You do not have permission to use this endpoint."

    def has_permission(self, request, view) -> bool:
        declared = declared_access(type(view))
        if declared is None:
            return False
        return user_may(request.user, declared)


class Pagination(PageNumberPagination):
    """Pages of 50 by default; `?page_size=` up to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

