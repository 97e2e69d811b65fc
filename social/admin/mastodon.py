"""The Mastodon client API's own table: timeline markers, which apps save. Read-only."""

from django.contrib import admin

from core.admin_base import ReadOnlyAdmin
from social.mastodon.models import Marker


@admin.register(Marker)
class MarkerAdmin(ReadOnlyAdmin):
    list_display = ["user", "timeline", "last_read_id", "version", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["=user__username"]
    search_help_text = "Exact username."
    raw_id_fields = ["user"]
    readonly_fields = ["updated_at"]
