"""Admin registrations for the social graph and moderation records. Foreign keys are raw ids and
changelists join what they show, so pages stay fast on tables of millions of rows. The
moderation workflow (queue, bulk actions) is built on top of these in its own issue."""

from django.contrib import admin

from social.models import Block, Follow, ModerationAction, Mute, Notification, Report


class ReadFilter(admin.SimpleListFilter):
    title = "read"
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", "Unread"), ("yes", "Read")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        return queryset


class TargetKindFilter(admin.SimpleListFilter):
    title = "target"
    parameter_name = "target"

    def lookups(self, request, model_admin):
        return [("post", "Post"), ("comment", "Comment"), ("user", "Account")]

    def queryset(self, request, queryset):
        if self.value() in {"post", "comment", "user"}:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["id", "follower", "following", "status", "created_at", "accepted_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["follower", "following"]
    search_fields = ["=follower__username", "=following__username"]
    search_help_text = "Exact username of either side."
    raw_id_fields = ["follower", "following"]
    readonly_fields = ["created_at"]
    show_full_result_count = False


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["id", "blocker", "blocked", "created_at"]
    list_select_related = ["blocker", "blocked"]
    search_fields = ["=blocker__username", "=blocked__username"]
    search_help_text = "Exact username of either side."
    raw_id_fields = ["blocker", "blocked"]
    readonly_fields = ["created_at"]
    show_full_result_count = False


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    list_display = ["id", "muter", "muted", "created_at"]
    list_select_related = ["muter", "muted"]
    search_fields = ["=muter__username", "=muted__username"]
    search_help_text = "Exact username of either side."
    raw_id_fields = ["muter", "muted"]
    readonly_fields = ["created_at"]
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "recipient", "actor", "kind", "post", "created_at", "read_at"]
    list_filter = ["kind", ReadFilter, "created_at"]
    list_select_related = ["recipient", "actor", "post"]
    search_fields = ["=recipient__username", "=actor__username"]
    search_help_text = "Exact username of the recipient or the actor."
    raw_id_fields = ["recipient", "actor", "post", "comment"]
    readonly_fields = ["created_at"]
    show_full_result_count = False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "reason",
        "status",
        "target_kind",
        "target",
        "reporter",
        "created_at",
        "handled_by",
    ]
    list_filter = ["status", "reason", TargetKindFilter]
    list_select_related = ["reporter", "post", "comment", "user", "handled_by"]
    search_fields = ["=reporter__username", "=user__username", "text"]
    search_help_text = "Exact username of the reporter or the reported account, or report text."
    date_hierarchy = "created_at"
    raw_id_fields = ["reporter", "post", "comment", "user", "handled_by"]
    readonly_fields = ["created_at"]
    show_full_result_count = False

    @admin.display(description="kind")
    def target_kind(self, obj):
        return obj.target_kind

    @admin.display(description="target")
    def target(self, obj):
        return obj.target


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log: readable by those allowed to view it, writable by no one here."""

    list_display = ["created_at", "moderator", "action", "target_repr", "reason"]
    list_filter = ["action"]
    list_select_related = ["moderator"]
    search_fields = ["=moderator__username", "target_repr"]
    search_help_text = "Exact username of the moderator, or words of the target."
    date_hierarchy = "created_at"
    raw_id_fields = ["moderator", "post", "comment", "user", "report"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
