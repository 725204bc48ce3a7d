"""The OpenAPI schema generator of the API (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS).

drf-spectacular's AutoSchema documents the success answer; this one adds the error answers
every endpoint can give, with the JSON body of `klynge.core.api_errors.exception_handler`, so
the schema is complete for clients and for schemathesis' status-code conformance check:

- 401 and 403 on every operation of a non-public endpoint, 429 on every operation (throttling);
- 400 on writes, on lists (a filter, ordering or page size that does not parse) and on
  operations with declared query parameters;
- 404 on an operation with a path parameter, and on a paginated list (a page past the end);
- 409 on an update whose body carries `version` (optimistic locking).

It also lets an optional e-mail or URL field be blank in the schema, as it is in the models.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from klynge.core.api import ConflictSerializer, ErrorSerializer
from klynge.core.permissions import PUBLIC, declared_access

DESCRIPTIONS = {
    "400": "Invalid input: `detail` says what, `errors` names the fields.",
    "401": "Not authenticated: no, or an invalid, `Authorization: Token <key>` header.",
    "403": "The caller's role may not use this endpoint (or this method of it).",
    "404": "No such record, or none the caller may see (or a page past the end).",
    "409": "The record changed since the `version` given; nothing was saved.",
    "429": "Too many requests: wait the number of seconds in `Retry-After`.",
}


def _model_field_is_blank(field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return model._meta.get_field(field.source).blank
    except FieldDoesNotExist:
        return False


class AutoSchema(openapi.AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["429"]
        declared = declared_access(type(self.view)) or frozenset()
        if PUBLIC not in declared:
            codes += ["401", "403"]
        writes = self.method in ("POST", "PUT", "PATCH")
        is_list = self.method == "GET" and self._is_list_view()
        if writes or is_list or self.get_filter_backends() or self.get_override_parameters():
            codes.append("400")
        if "{" in self.path or (is_list and self._get_paginator() is not None):
            codes.append("404")
        if self.method in ("PUT", "PATCH") and self._takes_version():
            codes.append("409")
        return codes

    def _takes_version(self) -> bool:
        serializer = force_instance(self.get_request_serializer())
        fields = getattr(serializer, "fields", None)
        return fields is not None and "version" in fields

    def _is_list_view(self, serializer=None) -> bool:
        # A `list` answering one object (e.g. the KPI figures of a period) says so.
        if getattr(self.view, "answers_one_object", False):
            return False
        return super()._is_list_view(serializer)

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """An e-mail or URL field that may be blank (every optional one in the models: `""`
        means none) validates as that format OR the empty string; a read-only choice of a
        model field that may be blank may be `""` too (REST framework drops `allow_blank`
        from read-only fields)."""
        if (isinstance(field, serializers.ChoiceField) and field.read_only
                and not field.allow_blank and _model_field_is_blank(field)):
            field.allow_blank = True
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        may_be_blank = getattr(field, "allow_blank", False) or field.read_only
        if may_be_blank and schema.get("format") in ("email", "uri"):
            schema["anyOf"] = [{"format": schema.pop("format")}, {"maxLength": 0}]
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if "anyOf" in schema:  # a blank-able format (above): the validators re-add it
            schema.pop("format", None)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code in responses:
                continue
            body = ConflictSerializer if code == "409" else ErrorSerializer
            responses[code] = self._get_response_for_code(
                OpenApiResponse(body, description=DESCRIPTIONS[code]), code, direction=direction
            )
        return responses
