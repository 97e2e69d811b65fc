"""Admin registrations for posts. Built for tables of millions of rows: foreign keys are raw ids,
changelists join what they show in one query, unfiltered lists are counted from the planner's
estimate, and none uses date_hierarchy (its year list is a DISTINCT over the whole table).

Removal is a moderation action (remove / restore, with a reason and an audit row), never a
field edited by hand.
"""

from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import truncatechars

from core.admin_paginator import EstimatedCountPaginator
from posts.models import Comment, Hashtag, Like, Mention, Post, PostHashtag, PostImage, SavedPost
from social.moderation import services as moderation
from social.moderation.admin_actions import (
    ModerationActionsMixin,
    comment_step,
    history_html,
    post_step,
    thumbnail_html,
)
from social.moderation.models import ModerationAction

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]
REMOVAL_FIELDS = ["removed_at", "removed_by", "removal_reason"]


class RemovedFilter(admin.SimpleListFilter):
    """Removed by a moderator or not (removal hides, it never deletes)."""

    title = "removed"
    parameter_name = "removed"

    def lookups(self, request, model_admin):
        return [("yes", "Removed"), ("no", "Live")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(removed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(removed_at__isnull=True)
        return queryset


def _history(**target):
    return list(
        ModerationAction.objects.filter(**target)
        .select_related("moderator")
        .order_by("-created_at", "-pk")[:20]
    )


class PostImageInline(admin.TabularInline):
    model = PostImage
    extra = 0
    fields = ["preview", "position", "image", "display", "thumbnail", "alt_text", "size", "phash"]
    readonly_fields = ["preview", "size", "phash"]

    @admin.display(description="preview")
    def preview(self, obj):
        return thumbnail_html((obj.thumbnail or obj.display or obj.image).name, 96)

    @admin.display(description="size")
    def size(self, obj):
        return f"{obj.width}x{obj.height}"


class PostHashtagInline(admin.TabularInline):
    model = PostHashtag
    extra = 0
    raw_id_fields = ["hashtag"]
    verbose_name = "hashtag"


@admin.register(Post)
class PostAdmin(ModerationActionsMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "preview",
        "author",
        "short_caption",
        "like_count",
        "comment_count",
        "created_at",
        "removed_at",
    ]
    list_display_links = ["id", "preview"]
    list_filter = [RemovedFilter, "created_at"]
    list_select_related = ["author"]
    search_fields = ["=author__username", "caption"]
    search_help_text = "Exact username, or words in the caption."
    raw_id_fields = ["author", "removed_by"]
    readonly_fields = [
        "like_count",
        "comment_count",
        "created_at",
        "edited_at",
        *REMOVAL_FIELDS,
        "moderation_history",
    ]
    fields = [
        "author",
        "caption",
        ("like_count", "comment_count"),
        ("created_at", "edited_at"),
        ("removed_at", "removed_by"),
        "removal_reason",
        "moderation_history",
    ]
    inlines = [PostImageInline, PostHashtagInline]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = ["remove_posts", "restore_posts"]

    def get_queryset(self, request):
        # The first image's thumbnail rides along as a subquery: one query for the whole page.
        first_thumbnail = PostImage.objects.filter(post=OuterRef("pk")).order_by("position")
        return (
            super()
            .get_queryset(request)
            .annotate(first_thumbnail=Subquery(first_thumbnail.values("thumbnail")[:1]))
        )

    @admin.display(description="image")
    def preview(self, obj):
        return thumbnail_html(getattr(obj, "first_thumbnail", None), 48)

    @admin.display(description="caption")
    def short_caption(self, obj):
        return truncatechars(obj.caption, 60)

    @admin.display(description="moderation history")
    def moderation_history(self, obj):
        return history_html(_history(post=obj)) if obj.pk else "—"

    @admin.action(description="Remove (hide) the posts", permissions=["moderate"], location=BOTH)
    def remove_posts(self, request, queryset):
        return self._posts_action(request, queryset, service=moderation.post_remove, remove=True)

    @admin.action(description="Restore the posts", permissions=["moderate"], location=BOTH)
    def restore_posts(self, request, queryset):
        return self._posts_action(request, queryset, service=moderation.post_restore, remove=False)

    def _posts_action(self, request, queryset, *, service, remove):
        posts = queryset.select_related("author").prefetch_related("images").order_by("pk")
        steps, skipped = [], []
        for post in posts:
            if (post.removed_at is None) != remove:
                skipped.append(f"Post {post.pk} is {'already' if remove else 'not'} removed.")
                continue
            steps.append(
                post_step(
                    post,
                    lambda reason, p=post: service(moderator=request.user, post=p, reason=reason),
                )
            )
        title = "Remove posts" if remove else "Restore posts"
        return self.reason_step(request, title=title, steps=steps, skipped=skipped)


@admin.register(Comment)
class CommentAdmin(ModerationActionsMixin, admin.ModelAdmin):
    list_display = ["id", "short_text", "author", "post", "created_at", "removed_at"]
    list_filter = [RemovedFilter, "created_at"]
    list_select_related = ["author", "post"]
    search_fields = ["=author__username", "text"]
    search_help_text = "Exact username, or words in the comment."
    raw_id_fields = ["post", "author", "removed_by"]
    readonly_fields = ["created_at", *REMOVAL_FIELDS, "moderation_history"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = ["remove_comments", "restore_comments"]

    @admin.display(description="text")
    def short_text(self, obj):
        return truncatechars(obj.text, 80)

    @admin.display(description="moderation history")
    def moderation_history(self, obj):
        return history_html(_history(comment=obj)) if obj.pk else "—"

    @admin.action(description="Remove (hide) the comments", permissions=["moderate"], location=BOTH)
    def remove_comments(self, request, queryset):
        return self._comments_action(
            request, queryset, service=moderation.comment_remove, remove=True
        )

    @admin.action(description="Restore the comments", permissions=["moderate"], location=BOTH)
    def restore_comments(self, request, queryset):
        return self._comments_action(
            request, queryset, service=moderation.comment_restore, remove=False
        )

    def _comments_action(self, request, queryset, *, service, remove):
        steps, skipped = [], []
        for comment in queryset.select_related("author").order_by("pk"):
            if (comment.removed_at is None) != remove:
                skipped.append(f"Comment {comment.pk} is {'already' if remove else 'not'} removed.")
                continue
            steps.append(
                comment_step(
                    comment,
                    lambda reason, c=comment: service(
                        moderator=request.user, comment=c, reason=reason
                    ),
                )
            )
        title = "Remove comments" if remove else "Restore comments"
        return self.reason_step(request, title=title, steps=steps, skipped=skipped)


class UserPostAdmin(admin.ModelAdmin):
    """A row from an account to a post (a like, a save), found by the account's exact username."""

    list_display = ["id", "user", "post", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["user", "post"]
    search_fields = ["=user__username"]
    raw_id_fields = ["user", "post"]
    readonly_fields = ["created_at"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(Like)
class LikeAdmin(UserPostAdmin):
    search_help_text = "Exact username of the liker."


@admin.register(SavedPost)
class SavedPostAdmin(UserPostAdmin):
    search_help_text = "Exact username of the person who saved."


@admin.register(Hashtag)
class HashtagAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["^name"]
    ordering = ["name"]
    readonly_fields = ["created_at"]
    show_full_result_count = False


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "post", "comment", "created_at"]
    list_select_related = ["user", "post", "comment"]
    search_fields = ["=user__username"]
    search_help_text = "Exact username of the person mentioned."
    raw_id_fields = ["user", "post", "comment"]
    readonly_fields = ["created_at"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
