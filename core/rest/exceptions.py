"""Every API error as JSON with a 4xx: `{"detail": "..."}` or `{"field": ["message", ...]}`.

Services raise Django's exceptions (ValidationError, PermissionDenied, DoesNotExist) and the
guessing limits raise TooManyAttempts; this handler gives them the same shapes DRF gives its
own, so no service error becomes a 500.
"""

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from core.limits import TooManyAttempts


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request is too large."
    default_code = "payload_too_large"


def api_exception_handler(exc, context):
    """DRF's handler, after translating Django's exceptions and flattening error bodies."""
    response = exception_handler(_as_api_exception(exc), context)
    if response is not None and response.status_code == 400:
        response.data = _field_errors(response.data)
    return response


def _as_api_exception(exc):
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_django_messages(exc))
    # Not visible to the caller: answer exactly as for a row that doesn't exist.
    if isinstance(exc, ObjectDoesNotExist):
        return exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge(str(exc) or None)
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError()
    # A guessing limit (core.limits): 429 with Retry-After, as the pages answer it.
    if isinstance(exc, TooManyAttempts):
        return exceptions.Throttled(wait=exc.retry_after, detail=exc.detail)
    return exc  # DRF itself handles its own, Http404 and PermissionDenied


def _django_messages(exc):
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in exc.message_dict.items()
    }


def _field_errors(data):
    """`{"field": ["message"]}` at one level, whatever nesting a serializer produced.

    A list field reports its items by index, e.g. {"alt_texts": {"1": ["Too long."]}}; that
    becomes {"alt_texts": ["Item 2: Too long."]} so every client reads one shape.
    """
    if isinstance(data, list):
        return {api_settings.NON_FIELD_ERRORS_KEY: _flat_messages(data)}
    if isinstance(data, dict) and set(data) != {"detail"}:
        return {field: _flat_messages(value) for field, value in data.items()}
    return data


def _flat_messages(value, prefix=""):
    if isinstance(value, dict):
        return [
            message
            for key, nested in value.items()
            for message in _flat_messages(nested, prefix + _item_label(key))
        ]
    if isinstance(value, list):
        return [message for item in value for message in _flat_messages(item, prefix)]
    return [f"{prefix}{value}"]


def _item_label(key):
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return f"Item {int(key) + 1}: "
    return f"{key}: "
