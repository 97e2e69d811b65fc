"""Cursor pages for the API: a selector's KeysetPage as `{"next": url, "results": [...]}`.

The selectors do the paging (core/pagination.py); this module only reads `?cursor=` and
`?page_size=` from the request, renders the page, and describes both in the OpenAPI schema.
"""

from django.conf import settings
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.pagination import clamp_page_size


class KeysetPagination:
    """Reads the page request and renders a KeysetPage; spectacular reads its schema hooks."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def page_params(self, request):
        """(cursor, page_size) for the selector; page_size is clamped to 1..MAX_PAGE_SIZE."""
        cursor = request.query_params.get(self.cursor_query_param) or None
        return cursor, self._page_size(request)

    def get_paginated_response(self, request, page, results):
        return Response({"next": self.next_link(request, page), "results": results})

    def next_link(self, request, page):
        if not page.has_next:
            return None
        url = replace_query_param(
            request.build_absolute_uri(), self.cursor_query_param, page.next_cursor
        )
        return replace_query_param(url, self.page_size_query_param, self._page_size(request))

    def _page_size(self, request):
        return clamp_page_size(request.query_params.get(self.page_size_query_param))

    def get_schema_operation_parameters(self, view):
        limits = settings.SHUTTER
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Where the page starts: copy it from the previous page's `next`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": (
                    f"Items per page, {limits['PAGE_SIZE']} by default; "
                    f"values above {limits['MAX_PAGE_SIZE']} are capped."
                ),
                "schema": {"type": "integer", "default": limits["PAGE_SIZE"]},
            },
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last one.",
                },
                "results": schema,
            },
        }


class KeysetListAPIView(GenericAPIView):
    """A GET list paged by a selector: set `serializer_class` and write `get_page()`."""

    pagination_class = KeysetPagination

    def get_page(self, *, cursor, page_size):
        """Call the selector with these and return its KeysetPage."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        cursor, page_size = self.paginator.page_params(request)
        page = self.get_page(cursor=cursor, page_size=page_size)
        results = self.get_serializer(page.items, many=True).data
        return self.paginator.get_paginated_response(request, page, results)
