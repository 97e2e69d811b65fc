"""Admin registrations for posts. Built for tables of millions of rows: foreign keys are raw ids,
changelists join what they show in one query, unfiltered lists are counted from the planner's
estimate, and none uses date_hierarchy (its year list is a DISTINCT over the whole table).

Removal is a moderation action (remove / restore, with a reason and an audit row), never a
field edited by hand. Every other write goes through the posts services: a caption or alt text
edit is post_update, a delete is post_delete / comment_delete, a like or save goes through its
undo; hashtags and mentions follow captions and are read-only here.
"""

from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import truncatechars

from core.admin_base import ReadOnlyAdmin, ThroughServicesMixin, UndoOnlyAdmin
from core.admin_paginator import EstimatedCountPaginator
from posts.models import (
    Comment,
    CommentLike,
    Hashtag,
    Like,
    MediaUpload,
    Mention,
    Post,
    PostHashtag,
    PostImage,
    SavedPost,
)
from posts.services import (
    comment_delete,
    comment_like_remove,
    like_remove,
    post_delete,
    post_update,
    save_remove,
)
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
    """A post's images in order: only their alt texts can be edited (saved by post_update)."""

    model = PostImage
    extra = 0
    fields = ["preview", "position", "image", "display", "thumbnail", "alt_text", "size", "phash"]
    readonly_fields = ["preview", "position", "image", "display", "thumbnail", "size", "phash"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="preview")
    def preview(self, obj):
        return thumbnail_html((obj.thumbnail or obj.display or obj.image).name, 96)

    @admin.display(description="size")
    def size(self, obj):
        return f"{obj.width}x{obj.height}"


class PostHashtagInline(admin.TabularInline):
    """The caption's hashtags: they follow the caption, never edited by hand."""

    model = PostHashtag
    extra = 0
    raw_id_fields = ["hashtag"]
    verbose_name = "hashtag"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _alt_texts(post, formsets):
    """Every image's alt text in position order when one was edited inline, else None."""
    edited = {
        form.instance.pk: form.cleaned_data["alt_text"]
        for formset in formsets
        if formset.model is PostImage
        for form in formset.forms
        if "alt_text" in form.changed_data
    }
    if not edited:
        return None
    images = post.images.order_by("position")
    return [edited.get(image.pk, image.alt_text) for image in images]


@admin.register(Post)
class PostAdmin(ThroughServicesMixin, ModerationActionsMixin, admin.ModelAdmin):
    """Posts are made on the site (post_create needs the photos); here the caption and alt
    texts can be edited and a post deleted, as its author would."""

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
        "author",
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

    def has_add_permission(self, request):
        return False

    def service_save(self, request, obj, form, formsets, change):
        # As the author: the edit is theirs (edited_at), and so are the mentions it notifies.
        caption = form.cleaned_data["caption"] if "caption" in form.changed_data else None
        post_update(
            actor=obj.author, post=obj, caption=caption, alt_texts=_alt_texts(obj, formsets)
        )

    def service_delete(self, request, obj):
        post_delete(actor=obj.author, post=obj)

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
                    lambda reason, p=post, **extra: service(
                        moderator=request.user, post=p, reason=reason, **extra
                    ),
                )
            )
        title = "Remove posts" if remove else "Restore posts"
        return self.reason_step(request, title=title, steps=steps, skipped=skipped, category=remove)


@admin.register(Comment)
class CommentAdmin(ThroughServicesMixin, ModerationActionsMixin, admin.ModelAdmin):
    """Comments are written on the site and never edited; here one can be deleted, as its
    author would (the post's comment_count and the notifications follow)."""

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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def service_delete(self, request, obj):
        comment_delete(actor=obj.author, comment=obj)

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
                    lambda reason, c=comment, **extra: service(
                        moderator=request.user, comment=c, reason=reason, **extra
                    ),
                )
            )
        title = "Remove comments" if remove else "Restore comments"
        return self.reason_step(request, title=title, steps=steps, skipped=skipped, category=remove)


class UserPostAdmin(UndoOnlyAdmin):
    """A row from an account to a post (a like, a save), found by the account's exact username;
    deleted through the account's own undo (`undo`), which the post must still show them for."""

    list_display = ["id", "user", "post", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["user", "post"]
    search_fields = ["=user__username"]
    raw_id_fields = ["user", "post"]
    readonly_fields = ["created_at"]
    undo = None

    def service_delete(self, request, obj):
        try:
            type(self).undo(user=obj.user, post=obj.post)
        except Post.DoesNotExist:
            raise ValidationError(
                f"@{obj.user.username} can no longer see post {obj.post_id} (removed, private "
                "or a block), so they could not take this back either; it goes with the post."
            ) from None


@admin.register(Like)
class LikeAdmin(UserPostAdmin):
    search_help_text = "Exact username of the liker."
    undo = like_remove


@admin.register(SavedPost)
class SavedPostAdmin(UserPostAdmin):
    search_help_text = "Exact username of the person who saved."
    undo = save_remove


@admin.register(CommentLike)
class CommentLikeAdmin(UndoOnlyAdmin):
    """A like of a comment, found by the liker's exact username; deleted through the liker's own
    unlike, which the comment must still show them for."""

    list_display = ["id", "user", "comment", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["user", "comment"]
    search_fields = ["=user__username"]
    search_help_text = "Exact username of the liker."
    raw_id_fields = ["user", "comment"]
    readonly_fields = ["created_at"]

    def service_delete(self, request, obj):
        try:
            comment_like_remove(user=obj.user, comment=obj.comment)
        except Comment.DoesNotExist:
            raise ValidationError(
                f"@{obj.user.username} can no longer see comment {obj.comment_id}, so they "
                "could not take this back either; it goes with the comment."
            ) from None


@admin.register(Hashtag)
class HashtagAdmin(ReadOnlyAdmin):
    """Made by the captions that use them: read-only."""

    list_display = ["name", "created_at"]
    search_fields = ["^name"]
    ordering = ["name"]
    readonly_fields = ["created_at"]


@admin.register(Mention)
class MentionAdmin(ReadOnlyAdmin):
    """Made by the captions and comments that mention someone: read-only."""

    list_display = ["id", "user", "post", "comment", "created_at"]
    list_select_related = ["user", "post", "comment"]
    search_fields = ["=user__username"]
    search_help_text = "Exact username of the person mentioned."
    raw_id_fields = ["user", "post", "comment"]
    readonly_fields = ["created_at"]


@admin.register(MediaUpload)
class MediaUploadAdmin(ReadOnlyAdmin):
    """Images uploaded through the Mastodon API and not yet in a post: read-only; a status
    uses them, the hourly beat job deletes those left unused."""

    list_display = ["id", "owner", "width", "height", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["=owner__username"]
    search_help_text = "Exact username of the uploader."
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at"]
