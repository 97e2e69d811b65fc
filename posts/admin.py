"""Admin registrations for posts. Built for tables of millions of rows: foreign keys are raw ids,
changelists join what they show in one query, and none uses date_hierarchy (its year list is a
DISTINCT over the whole table)."""

from django.contrib import admin
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html

from posts.models import Comment, Hashtag, Like, Mention, Post, PostHashtag, PostImage, SavedPost


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


def thumbnail_html(name, size):
    if not name:
        return "—"
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" style="object-fit:cover">',
        default_storage.url(name),
        size,
        size,
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
class PostAdmin(admin.ModelAdmin):
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
    readonly_fields = ["like_count", "comment_count", "created_at", "edited_at"]
    fields = [
        "author",
        "caption",
        ("like_count", "comment_count"),
        ("created_at", "edited_at"),
        ("removed_at", "removed_by"),
        "removal_reason",
    ]
    inlines = [PostImageInline, PostHashtagInline]
    show_full_result_count = False

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


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "short_text", "author", "post", "created_at", "removed_at"]
    list_filter = [RemovedFilter, "created_at"]
    list_select_related = ["author", "post"]
    search_fields = ["=author__username", "text"]
    search_help_text = "Exact username, or words in the comment."
    raw_id_fields = ["post", "author", "removed_by"]
    readonly_fields = ["created_at"]
    show_full_result_count = False

    @admin.display(description="text")
    def short_text(self, obj):
        return truncatechars(obj.text, 80)


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "post", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["user", "post"]
    search_fields = ["=user__username"]
    search_help_text = "Exact username of the liker."
    raw_id_fields = ["user", "post"]
    readonly_fields = ["created_at"]
    show_full_result_count = False


@admin.register(SavedPost)
class SavedPostAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "post", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["user", "post"]
    search_fields = ["=user__username"]
    search_help_text = "Exact username of the person who saved."
    raw_id_fields = ["user", "post"]
    readonly_fields = ["created_at"]
    show_full_result_count = False


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
