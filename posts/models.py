from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Lower

from core.media import random_media_name
from social.graph.models import Block, Follow, Mute


def post_live_q(prefix=""):
    """A Q keeping posts not removed by moderators, by accounts neither suspended nor gone.

    `prefix` reaches the post from another model ("post__"), so a list of rows pointing at
    posts (notifications, hashtag links) filters through its join, not a subquery of every post.
    """
    return Q(
        **{
            f"{prefix}removed_at__isnull": True,
            f"{prefix}author__suspended_at__isnull": True,
            f"{prefix}author__is_active": True,
        }
    )


def post_visible_q(viewer, prefix=""):
    """A Q keeping the posts `viewer` may see now: live, and privacy and blocks (both ways)
    applied. `prefix` as for post_live_q. The one statement of who sees a post."""
    author = f"{prefix}author"
    live = post_live_q(prefix)
    if viewer is None or not viewer.is_authenticated:
        return live & Q(**{f"{author}__is_private": False})
    return (
        live
        & (
            Q(**{f"{author}__is_private": False})
            | Q(**{author: viewer})
            | Q(**{f"{author}__in": Follow.objects.following_ids(viewer)})
        )
        & Block.objects.unblocked_q(viewer, author)
    )


def post_audience_q(post_id):
    """A Q on accounts keeping those who may see post `post_id` now: post_visible_q read from
    the other side, for "who may be told about this post" (mentions, notifications).

    Subqueries on the post's row, so it holds for the post as it stands in the database.
    """
    post = Post.objects.filter(post_live_q(), pk=post_id)
    author = post.values("author_id")
    followers = Follow.objects.accepted().filter(following__in=author).values("follower_id")
    return (
        Q(is_active=True, suspended_at__isnull=True)
        & (
            Q(Exists(post.filter(author__is_private=False)))
            | Q(pk__in=author)
            | Q(pk__in=followers)
        )
        & ~Q(pk__in=Block.objects.filter(blocker__in=author).values("blocked_id"))
        & ~Q(pk__in=Block.objects.filter(blocked__in=author).values("blocker_id"))
    )


class PostQuerySet(models.QuerySet):
    def live(self):
        """Posts not removed by moderators, by accounts that are not suspended."""
        return self.filter(post_live_q())

    def visible_to(self, viewer):
        """What `viewer` may see: privacy, blocks (both ways), suspension and removal applied."""
        return self.filter(post_visible_q(viewer))

    def without_muted(self, viewer):
        """Drop posts by accounts `viewer` muted (the home feed only)."""
        if viewer is None or not viewer.is_authenticated:
            return self
        return self.exclude(author__in=Mute.objects.filter(muter=viewer).values("muted_id"))

    def with_viewer_flags(self, viewer):
        """Annotate `liked` and `saved` for `viewer`, and `author_follow`: the viewer's follow
        of the author ("accepted", "pending" or "" for none, the Follow button on the post's
        header), as subqueries (no query per post)."""
        if viewer is None or not viewer.is_authenticated:
            return self.annotate(
                liked=models.Value(False),
                saved=models.Value(False),
                author_follow=models.Value("", output_field=models.CharField()),
            )
        my_follow = Follow.objects.filter(follower=viewer, following=OuterRef("author_id"))
        return self.annotate(
            liked=Exists(Like.objects.filter(post=OuterRef("pk"), user=viewer)),
            saved=Exists(SavedPost.objects.filter(post=OuterRef("pk"), user=viewer)),
            author_follow=Coalesce(
                models.Subquery(my_follow.values("status")[:1]),
                models.Value(""),
                output_field=models.CharField(),
            ),
        )

    def for_display(self, viewer):
        """Everything a list item needs: author, ordered images, viewer flags."""
        return (
            self.select_related("author")
            .prefetch_related(
                models.Prefetch("images", queryset=PostImage.objects.order_by("position"))
            )
            .with_viewer_flags(viewer)
        )


class Hashtag(models.Model):
    # Stored lower-cased; the functional unique constraint keeps it case-insensitive anyway.
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), name="hashtag_name_ci_unique")]
        indexes = [models.Index(fields=["name"], name="hashtag_name_idx")]

    def __str__(self):
        return f"#{self.name}"


class Post(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    caption = models.TextField(max_length=2200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removal_reason = models.CharField(max_length=1000, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    hashtags = models.ManyToManyField(Hashtag, through="PostHashtag", related_name="posts")

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["author", "-created_at", "-id"], name="post_author_recent_idx"),
            models.Index(fields=["-created_at", "-id"], name="post_recent_idx"),
        ]

    def __str__(self):
        return f"Post {self.pk} by {self.author_id}"

    @property
    def is_removed(self):
        return self.removed_at is not None


class PostHashtag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="hashtag_links")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="post_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hashtag", "post"], name="post_hashtag_unique")
        ]

    def __str__(self):
        return f"#{self.hashtag_id} on post {self.post_id}"


MEDIA_FOLDER = "posts"


def image_path(instance, filename):
    # Random, never the author's or the post's id: a name must not lead to other people's files.
    return random_media_name(MEDIA_FOLDER, filename)


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField(default=0)
    image = models.ImageField(upload_to=image_path, width_field="width", height_field="height")
    display = models.ImageField(upload_to=image_path, blank=True)
    thumbnail = models.ImageField(upload_to=image_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(max_length=1000, blank=True)
    # 64-bit perceptual hash (DCT pHash) as a signed integer, for banned-image matching.
    phash = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["post", "position"], name="post_image_unique_position")
        ]
        # The media view finds a file's post by its stored name (core/media.py).
        indexes = [
            models.Index(fields=["image"], name="post_image_file_idx"),
            models.Index(fields=["display"], name="post_image_display_idx"),
            models.Index(fields=["thumbnail"], name="post_image_thumbnail_idx"),
        ]

    def __str__(self):
        return f"Image {self.position} of post {self.post_id}"


class CommentQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Comments not removed, by active authors with no block with `viewer`, nor with the
        post's author: someone blocked (or blocking) no longer shows on that author's posts,
        to anyone; the rows stay, so undoing the block brings the comments back."""
        across_block = Block.objects.filter(
            Q(blocker=OuterRef("author"), blocked=OuterRef("post__author"))
            | Q(blocker=OuterRef("post__author"), blocked=OuterRef("author"))
        )
        qs = self.filter(
            ~Exists(across_block),
            # A reply goes with its comment: removed by a moderator, the thread goes too.
            Q(parent__isnull=True) | Q(parent__removed_at__isnull=True),
            removed_at__isnull=True,
            author__suspended_at__isnull=True,
            author__is_active=True,
        )
        if viewer is None or not viewer.is_authenticated:
            return qs
        return qs.filter(Block.objects.unblocked_q(viewer, "author"))

    def with_viewer_flags(self, viewer):
        """Annotate `liked`: whether `viewer` likes the comment (a subquery, no query per row)."""
        if viewer is None or not viewer.is_authenticated:
            return self.annotate(liked=models.Value(False))
        return self.annotate(
            liked=Exists(CommentLike.objects.filter(comment=OuterRef("pk"), user=viewer))
        )


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(max_length=2200)
    # One level of replies, as on Instagram: a reply's parent is always a top-level comment
    # (posts.services.comments keeps it so). Deleting a comment deletes its replies.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # Replies not removed by moderators; likes. Moved with F() beside the rows they count.
    reply_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removal_reason = models.CharField(max_length=1000, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["post", "created_at", "id"], name="comment_thread_idx"),
            models.Index(fields=["parent", "created_at", "id"], name="comment_replies_idx"),
        ]

    def __str__(self):
        return f"Comment {self.pk} on post {self.post_id}"

    @property
    def is_removed(self):
        return self.removed_at is not None


class CommentLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="comment_like_unique")
        ]
        indexes = [models.Index(fields=["comment", "-created_at"], name="comment_like_recent_idx")]

    def __str__(self):
        return f"{self.user_id} likes comment {self.comment_id}"


class Like(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="like_unique")]
        indexes = [models.Index(fields=["post", "-created_at", "-id"], name="like_post_recent_idx")]

    def __str__(self):
        return f"{self.user_id} likes post {self.post_id}"


class SavedPost(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="saved_post_unique")]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="saved_user_recent_idx")
        ]

    def __str__(self):
        return f"{self.user_id} saved post {self.post_id}"


class Mention(models.Model):
    """An @mention of `user` in a post's caption or in a comment (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True)
                | Q(post__isnull=True, comment__isnull=False),
                name="mention_exactly_one_source",
            ),
            models.UniqueConstraint(
                fields=["user", "post"], condition=Q(post__isnull=False), name="mention_post_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="mention_comment_unique",
            ),
        ]

    def __str__(self):
        source = f"post {self.post_id}" if self.post_id else f"comment {self.comment_id}"
        return f"@{self.user_id} in {source}"


class MediaUpload(models.Model):
    """An image uploaded on its own, before the post it will go into exists (the Mastodon API
    uploads media first, then names it in the new status). Only its uploader sees it; creating
    a post from it moves its files onto a PostImage and deletes this row; a beat job deletes
    the ones never used (posts.services.uploads)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media_uploads"
    )
    # The same folder and names as a post's files: attaching moves no file.
    image = models.ImageField(upload_to=image_path, width_field="width", height_field="height")
    display = models.ImageField(upload_to=image_path, blank=True)
    thumbnail = models.ImageField(upload_to=image_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    phash = models.BigIntegerField(null=True, blank=True)
    alt_text = models.CharField(max_length=1000, blank=True)
    # Mastodon's focal point, each in -1.0..1.0 (0, 0 is the centre).
    focus_x = models.FloatField(default=0.0)
    focus_y = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "created_at"], name="media_upload_owner_idx"),
            models.Index(fields=["created_at"], name="media_upload_created_idx"),
            models.Index(fields=["image"], name="media_upload_file_idx"),
            models.Index(fields=["display"], name="media_upload_display_idx"),
            models.Index(fields=["thumbnail"], name="media_upload_thumbnail_idx"),
        ]

    def __str__(self):
        return f"Upload {self.pk} by {self.owner_id}"
