"""The OpenAPI schema's shared parts: error bodies, and which errors each operation can return.

Every operation gets the error responses the plumbing can produce: 400 (bad input, a write a
service refuses, a NUL in the URL) and 401 (a bad token) everywhere, 403 for writes, 404 where
the path names an object, 413 and 415 where a body is read, 429 from the throttles. So the
schema lists what a client really receives. A view that looks up an object named in its body
lists "404" in `error_statuses`. A view's own @extend_schema entry for a status wins over
these defaults.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentIdentity, ResolvedComponent

from core.rest.pagination import KeysetListAPIView

ERROR_SCHEMAS = {
    "ErrorDetail": {
        "type": "object",
        "description": "An error that is not about one field.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": (
            "Messages per request field; `non_field_errors` holds those about the whole request."
        ),
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ShutterAutoSchema(AutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = {**self._error_responses(operation), **operation["responses"]}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _is_list_view(self, serializer=None):
        if self.method == "GET" and isinstance(self.view, KeysetListAPIView):
            return True
        return super()._is_list_view(serializer)

    def _error_responses(self, operation):
        writes = self.method not in SAFE_METHODS
        has_body = "requestBody" in operation
        extra = set(getattr(self.view, "error_statuses", ()))
        responses = {
            # Field errors mostly; a body that doesn't parse, or a NUL character in the URL
            # (core.middleware), is {"detail": ...}.
            "400": self._error(
                "Invalid fields, a body that doesn't parse, or a NUL character in the URL.",
                "FieldErrors",
                "ErrorDetail",
            ),
            "401": self._error("Missing, invalid or suspended credentials.", "ErrorDetail"),
        }
        # A view that takes OAuth tokens (accounts.oauth) refuses one without its scope.
        if writes or getattr(self.view, "oauth_scopes", None):
            responses["403"] = self._error(
                "Not allowed, a session request without its CSRF token, or an OAuth token "
                "without the scope this operation needs.",
                "ErrorDetail",
            )
        if "{" in self.path or "404" in extra:
            responses["404"] = self._error("No such object visible to the caller.", "ErrorDetail")
        if has_body:
            responses["413"] = self._error(
                "The body is larger than the server accepts.", "ErrorDetail"
            )
            responses["415"] = self._error(
                "A body in a media type this operation doesn't take.", "ErrorDetail"
            )
        responses["429"] = {
            **self._error("Too many requests; retry after the given seconds.", "ErrorDetail"),
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before the next request.",
                    "schema": {"type": "integer"},
                }
            },
        }
        return responses

    def _error(self, description, *names):
        refs = [self._component(name).ref for name in names]
        schema = refs[0] if len(refs) == 1 else {"anyOf": refs}
        return {
            "description": description,
            "content": {
                media_type: {"schema": schema} for media_type in self.map_renderers("media_type")
            },
        }

    def _component(self, name):
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            schema=ERROR_SCHEMAS[name],
            object=ComponentIdentity(f"shutter.{name}"),
        )
        self.registry.register_on_missing(component)
        return component
