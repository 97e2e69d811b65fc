"""Follows, blocks, mutes and notifications, searched by exact username.

A follow, block or mute is deleted here only through its undo service (unfollow, unblock,
unmute), so counters, cached headers and notifications move as when the person undoes it.
Notifications are written and removed by the services of what caused them: read-only here."""

from django.contrib import admin

from core.admin_base import ReadOnlyAdmin, UndoOnlyAdmin
from social.graph.models import Block, Follow, Mute
from social.graph.services import block_remove, follow_remove, mute_remove
from social.notifications.models import Notification, NotificationOptOut


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


class PairAdmin(UndoOnlyAdmin):
    """A row from one account to another; subclasses name the two sides in `sides`."""

    sides = ()
    search_help_text = "Exact username of either side."
    readonly_fields = ["created_at"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.list_select_related = cls.raw_id_fields = list(cls.sides)
        cls.search_fields = [f"={side}__username" for side in cls.sides]


@admin.register(Follow)
class FollowAdmin(PairAdmin):
    sides = ("follower", "following")
    list_display = ["id", *sides, "status", "created_at", "accepted_at"]
    list_filter = ["status", "created_at"]

    def service_delete(self, request, obj):
        follow_remove(follower=obj.follower, following=obj.following)


@admin.register(Block)
class BlockAdmin(PairAdmin):
    sides = ("blocker", "blocked")
    list_display = ["id", *sides, "created_at"]

    def service_delete(self, request, obj):
        block_remove(blocker=obj.blocker, blocked=obj.blocked)


@admin.register(Mute)
class MuteAdmin(PairAdmin):
    sides = ("muter", "muted")
    list_display = ["id", *sides, "created_at"]

    def service_delete(self, request, obj):
        mute_remove(muter=obj.muter, muted=obj.muted)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "recipient", "actor", "kind", "post", "created_at", "read_at"]
    list_filter = ["kind", ReadFilter, "created_at"]
    list_select_related = ["recipient", "actor", "post"]
    search_fields = ["=recipient__username", "=actor__username"]
    search_help_text = "Exact username of the recipient or the actor."
    raw_id_fields = ["recipient", "actor", "post", "comment"]
    readonly_fields = ["created_at"]


@admin.register(NotificationOptOut)
class NotificationOptOutAdmin(ReadOnlyAdmin):
    """The kinds of notification people turned off in their settings: theirs to change."""

    list_display = ["id", "user", "setting"]
    list_filter = ["setting"]
    list_select_related = ["user"]
    search_fields = ["=user__username"]
    search_help_text = "Exact username."
    raw_id_fields = ["user"]
