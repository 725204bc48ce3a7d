"""The REST API's exception handler: every error a caller can cause answers 4xx with JSON.

(Apart from klynge.core.api because REST framework imports that module while its own views
module is still loading.)
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from klynge.core.errors import ApplicationError
from klynge.core.locking import StaleEdit


def _django_validation_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages]
                for field, errors in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    """Turn every error a caller can cause into a 4xx JSON answer."""
    if isinstance(exc, StaleEdit):
        body = {"detail": exc.message, **exc.extra}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ApplicationError):
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
            body["errors"] = {exc.field: [exc.message]}
        if exc.extra:
            body["extra"] = exc.extra
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        errors = _django_validation_errors(exc)
        first = next(iter(errors.values()), [""])
        return Response({"detail": first[0] if first else "", "errors": errors},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        data = response.data
        detail = _first_message(data)
        response.data = {"detail": detail, "errors": data}
    return response


def _first_message(data) -> str:
    if isinstance(data, dict):
        for value in data.values():
            return _first_message(value)
        return ""
    if isinstance(data, list):
        return _first_message(data[0]) if data else ""
    return str(data)
