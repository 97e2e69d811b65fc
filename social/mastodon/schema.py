"""How the Mastodon client API appears in the OpenAPI schema, beside Shutter's own.

Its entities are Mastodon's (https://docs.joinmastodon.org/entities/), described there field
by field; here each operation says whether it answers one entity or a list, which statuses it
can answer, and that every error is `{"error": "..."}`. Request bodies are forms or JSON with
Mastodon's parameters (docs.joinmastodon.org/methods/).
"""

import re

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentIdentity, ResolvedComponent

TAG = "Mastodon client API"
DOCS = "https://docs.joinmastodon.org/methods/"
ERROR = {
    "type": "object",
    "description": 'Mastodon\'s error: 404 is always "Record not found".',
    "properties": {"error": {"type": "string"}},
    "required": ["error"],
}
ERRORS = {
    "400": "A paging id or token that is not one of this list's.",
    "401": "Missing, invalid, expired or revoked credentials.",
    "403": "Not yours to change, or an OAuth token without the scope this operation needs.",
    "404": "No such record visible to the caller.",
    "413": "The body is larger than the server accepts.",
    "415": "A body in a media type this operation doesn't take.",
    "422": "Validation failed: the message says what to fix.",
    "429": "Too many requests; retry after the given seconds.",
}
BODY_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


class MastodonAutoSchema(AutoSchema):
    """Views set `many` (a list answer) and `success_statuses` ({method: ("200", ...)})."""

    def get_tags(self):
        return [TAG]

    def get_operation_id(self):
        """mastodon_v1_accounts_account_id_follow_post: unique beside Shutter's own ids."""
        words = re.findall(r"[a-z0-9]+", self.path.removeprefix("/api/").lower())
        return "_".join(["mastodon", *words, self.method.lower()])

    def get_description(self):
        return (self.view.__doc__ or "").strip() + f"\n\nMastodon's reference: {DOCS}"

    def get_request_serializer(self):
        return None

    def get_response_serializers(self):
        return None

    def _is_list_view(self, serializer=None):
        return bool(getattr(self.view, "many", False)) and self.method == "GET"

    def _get_request_body(self, direction="request"):
        if self.method not in ("PUT", "PATCH", "POST"):
            return None
        schema = {"type": "object", "additionalProperties": True}
        return {"content": {kind: {"schema": schema} for kind in BODY_TYPES}, "required": False}

    def _get_response_bodies(self, direction="response"):
        entity = {"type": "object", "additionalProperties": True}
        if getattr(self.view, "many", False):
            entity = {"type": "array", "items": entity}
        statuses = getattr(self.view, "success_statuses", {}).get(self.method, ("200",))
        responses = {
            status: {
                "description": "Mastodon's entity (or list of entities) for this method.",
                "content": {"application/json": {"schema": entity}},
            }
            for status in statuses
        }
        error = {"content": {"application/json": {"schema": self._error_ref()}}}
        for status, description in ERRORS.items():
            if status in ("413", "415") and self.method not in ("PUT", "PATCH", "POST"):
                continue
            responses[status] = {"description": description, **error}
        return dict(sorted(responses.items()))

    def _error_ref(self):
        component = ResolvedComponent(
            name="MastodonError",
            type=ResolvedComponent.SCHEMA,
            schema=ERROR,
            object=ComponentIdentity("shutter.MastodonError"),
        )
        self.registry.register_on_missing(component)
        return component.ref
