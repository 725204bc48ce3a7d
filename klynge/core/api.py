"""The REST API's shared parts: access declarations, errors, pagination.

Every API view declares who may use it with the same `@access(...)` as the pages (on the class);
`DeclaredAccess` enforces it for session and token callers alike (the page middleware leaves API
views to it, because a token is only known once DRF has authenticated the request). An
undeclared API view is refused, as an undeclared page is. A view whose writes are for fewer
roles than its reads names them in `write_access` (e.g. members read their own organisation,
only the cluster team writes).

Errors a caller can cause always answer 4xx with a JSON body:

    {"detail": "human message", "field": "cvr", "errors": {"cvr": ["..."]}}

`ApplicationError` from a service becomes 400 (409 for a stale edit), Django's
ValidationError 400, a missing record 404; nothing a caller sends may end in a 500
(`klynge.core.api_errors.exception_handler`).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission

from klynge.core.middleware import mfa_refusal_message, mfa_setup_missing
from klynge.core.permissions import declared_access, user_may


class DeclaredAccess(BasePermission):
    """Let in only the roles the view's class declared with `@access(...)` (fail closed)."""

    message = "You do not have permission to use this endpoint."

    def has_permission(self, request, view) -> bool:
        declared = declared_access(type(view))
        if declared is None:
            return False
        if mfa_setup_missing(request.user):
            # Security: a role that requires TOTP gets nothing, by session or token, without it.
            self.message = mfa_refusal_message()
            return False
        if not user_may(request.user, declared):
            return False
        writers = getattr(view, "write_access", None)
        if writers is not None and request.method not in SAFE_METHODS:
            return user_may(request.user, frozenset(str(role) for role in writers))
        return True


class Pagination(PageNumberPagination):
    """Pages of 50 by default; `?page_size=` up to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500



# --- serializers and schema helpers shared by the apps' api.py -----------------------------



class StrictSerializerMixin:
    """Refuse fields the serializer does not know (a typo must not be silently ignored)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in known)
            if unknown:
                raise serializers.ValidationError(
                    {key: [_("Unknown field.")] for key in unknown}
                )
        return super().to_internal_value(data)


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    detail = serializers.CharField(help_text=_("What went wrong, in words for a person."))
    field = serializers.CharField(
        required=False, help_text=_("The field the error is about, when there is one.")
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text=_("Messages per field."),
    )
    extra = serializers.DictField(required=False, help_text=_("Details, e.g. existing_id."))


class ConflictSerializer(serializers.Serializer):
    """The body of a 409: the record changed since the caller read it."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField(allow_null=True)
    changed = serializers.ListField(child=serializers.CharField())


def version_required(request) -> None:
    """Refuse an update that does not say which version of the record it was based on."""
    version = request.data.get("version") if isinstance(request.data, dict) else None
    if version is None:
        raise serializers.ValidationError({"version": [_(
            "Give the version of the record your change is based on (its `version` field), "
            "so a newer change is not overwritten."
        )]})


@extend_schema_field({"type": "integer", "minimum": 1})
class VersionField(serializers.IntegerField):
    """The optimistic-locking version an update is based on."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2_147_483_647)
        kwargs.setdefault("help_text", _(
            "The record's version your change is based on (required): a newer change since "
            "then refuses this one with 409."
        ))
        super().__init__(**kwargs)
