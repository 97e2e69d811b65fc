"""The OpenAPI schema's shared parts: error bodies, and which errors each operation can return.

Every operation gets the error responses the plumbing can produce (401 for a bad token on any
path, 429 from the throttles, 404 where the path names an object, 400 and 403 for writes), so
the schema lists what a client really receives. A view's own @extend_schema entry for a status
wins over these defaults.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentIdentity, ResolvedComponent

from config.rest.pagination import KeysetListAPIView

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
        queried = any(p.get("in") == "query" for p in operation.get("parameters", ()))
        has_input = queried or "requestBody" in operation or self.method in {"POST", "PUT", "PATCH"}
        responses = {
            "401": self._error("Missing, invalid or suspended credentials.", "ErrorDetail")
        }
        if has_input:
            # Field errors mostly; a body that doesn't parse is {"detail": ...}.
            responses["400"] = self._error(
                "Invalid fields, or a body that doesn't parse.", "FieldErrors", "ErrorDetail"
            )
        if writes:
            responses["403"] = self._error(
                "Not allowed, or a session request without its CSRF token.", "ErrorDetail"
            )
        if "{" in self.path:
            responses["404"] = self._error("No such object visible to the caller.", "ErrorDetail")
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
