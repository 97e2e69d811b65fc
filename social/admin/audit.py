"""The audit log of moderator actions, and the images moderators banned: read-only pages."""

from datetime import timedelta

from django.contrib import admin
from django.db.models.functions import Lower
from django.template.defaultfilters import truncatechars

from accounts.models import User
from core.admin_base import AgeFilter, ReadOnlyAdmin, admin_link
from social.moderation.admin_actions import thumbnail_html
from social.moderation.models import BannedImage, ModerationAction


class ModeratorFilter(admin.SimpleListFilter):
    """Who acted; only staff are listed (every moderator is staff), never every account."""

    title = "moderator"
    parameter_name = "moderator"

    def lookups(self, request, model_admin):
        staff = User.objects.filter(is_staff=True).order_by(Lower("username"))
        return [(str(pk), name) for pk, name in staff.values_list("pk", "username")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(moderator_id=int(self.value()))
        return queryset


class WhenFilter(AgeFilter):
    """date_hierarchy would run a DISTINCT over the whole log for its year list."""

    title = "when"
    parameter_name = "when"
    SPANS = {
        "day": ("In the last 24 hours", {"created_at__gte": timedelta(days=1)}),
        "week": ("In the last 7 days", {"created_at__gte": timedelta(days=7)}),
        "month": ("In the last 30 days", {"created_at__gte": timedelta(days=30)}),
        "month+": ("Older than 30 days", {"created_at__lt": timedelta(days=30)}),
    }


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    """The audit log: readable by those allowed to view it, writable by no one here."""

    list_display = ["created_at", "moderator", "action", "target", "short_reason", "report_link"]
    list_filter = ["action", ModeratorFilter, WhenFilter]
    list_select_related = ["moderator", "post", "comment", "user", "report"]
    search_fields = ["=moderator__username", "target_repr"]
    search_help_text = "Exact username of the moderator, or words of the target."
    raw_id_fields = ["moderator", "post", "comment", "user", "report"]
    ordering = ["-created_at", "-id"]

    @admin.display(description="target")
    def target(self, obj):
        live = obj.post or obj.comment or obj.user
        if live is None:
            return obj.target_repr
        return admin_link(live, obj.target_repr)

    @admin.display(description="reason")
    def short_reason(self, obj):
        return truncatechars(obj.reason, 80)

    @admin.display(description="report")
    def report_link(self, obj):
        return admin_link(obj.report, f"#{obj.report_id}") if obj.report_id else "—"


@admin.register(BannedImage)
class BannedImageAdmin(ReadOnlyAdmin):
    """Images moderators removed, by perceptual hash. A ban is lifted by restoring its post."""

    list_display = ["id", "preview", "post_link", "view", "hash_hex", "banned_by", "created_at"]
    list_filter = [("view", admin.EmptyFieldListFilter)]
    list_select_related = ["image", "post", "banned_by"]
    raw_id_fields = ["image", "post", "banned_by"]
    ordering = ["-created_at", "-id"]

    @admin.display(description="image")
    def preview(self, obj):
        if obj.image is None:
            return "—"
        return thumbnail_html((obj.image.thumbnail or obj.image.image).name, 48)

    @admin.display(description="post")
    def post_link(self, obj):
        return admin_link(obj.post, f"Post {obj.post_id}") if obj.post_id else "(deleted)"

    @admin.display(description="pHash")
    def hash_hex(self, obj):
        return f"{obj.phash & ((1 << 64) - 1):016x}"
