"""How posts, their images, authors and comments look in JSON.

Output serializers are read-only: what a client may change is declared in the request
serializers at the bottom, so sending `author`, `like_count` or `id` changes nothing.
URLs are absolute when a request is in the context (API views always pass one).
"""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from posts.hydration import PostCard
from posts.models import Comment, Post, PostImage
from posts.services.posts import ALT_TEXT_MAX, CAPTION_MAX

URL_FIELD = {"type": "string", "format": "uri"}
NO_IMAGES = "Add at least one image."
NULLABLE_URL_FIELD = {**URL_FIELD, "nullable": True}


def absolute_url(context, file):
    """The file's URL, absolute when the serializer has a request to build it from."""
    url = file.url
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


def url_absolutizer(request):
    """A function making a URL absolute for `request`, as request.build_absolute_uri does, that
    works out the scheme and host once per request rather than once per URL."""
    if request is None:
        return lambda url: url
    found = getattr(request, "_shutter_absolutizer", None)
    if found is None:
        origin = request.build_absolute_uri("/")[:-1]

        def found(url):
            if url.startswith("/") and not url.startswith("//") and "/." not in url:
                return origin + url
            return request.build_absolute_uri(url)

        request._shutter_absolutizer = found
    return found


_DATETIME = serializers.DateTimeField()


def post_card_data(card, request):
    """A PostCard (posts.hydration) as PostSerializer shows a post, without a field object per
    value: a page of cards is most of what the feed endpoints spend their time on."""
    absolute = url_absolutizer(request)
    author = card.author
    return {
        "id": card.id,
        "author": {
            "username": author.username,
            "display_name": author.display_name,
            "avatar_url": absolute(author.avatar_url) if author.avatar_url else None,
        },
        "caption": card.caption,
        "images": [
            {
                "url": absolute(image.url),
                "display_url": absolute(image.display_url),
                "thumbnail_url": absolute(image.thumbnail_url),
                "width": image.width,
                "height": image.height,
                "alt_text": image.alt_text,
            }
            for image in card.images
        ],
        "like_count": card.like_count,
        "comment_count": card.comment_count,
        "liked": card.liked,
        "saved": card.saved,
        "author_follow": card.author_follow,
        "created_at": _DATETIME.to_representation(card.created_at),
        "edited_at": _DATETIME.to_representation(card.edited_at) if card.edited_at else None,
    }


class AuthorSerializer(serializers.ModelSerializer):
    """A person as shown next to their content: name, display name, avatar."""

    avatar_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("username", "display_name", "avatar_url")
        read_only_fields = fields

    @extend_schema_field(NULLABLE_URL_FIELD)
    def get_avatar_url(self, user):
        return absolute_url(self.context, user.avatar) if user.avatar else None


class PostImageSerializer(serializers.ModelSerializer):
    """One image of a post; display and thumbnail are the original until their variants exist."""

    url = serializers.SerializerMethodField()
    display_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = PostImage
        fields = ("url", "display_url", "thumbnail_url", "width", "height", "alt_text")
        read_only_fields = fields

    @extend_schema_field(URL_FIELD)
    def get_url(self, image):
        return absolute_url(self.context, image.image)

    @extend_schema_field(URL_FIELD)
    def get_display_url(self, image):
        return absolute_url(self.context, image.display or image.image)

    @extend_schema_field(URL_FIELD)
    def get_thumbnail_url(self, image):
        return absolute_url(self.context, image.thumbnail or image.image)


class PostSerializer(serializers.ModelSerializer):
    """A post as every list and detail endpoint returns it.

    Expects a post card from a list selector (posts.hydration), or a post from post_detail
    (`for_display`: author joined, images prefetched in order, `liked`/`saved` annotated).
    """

    author = AuthorSerializer(read_only=True)
    images = PostImageSerializer(many=True, read_only=True)
    liked = serializers.BooleanField(read_only=True, help_text="The caller likes this post.")
    saved = serializers.BooleanField(read_only=True, help_text="The caller saved this post.")
    author_follow = serializers.SerializerMethodField(
        help_text=(
            'The caller\'s follow of the author: "accepted", "pending" (asked, not answered) or '
            '"" (none, or the post is the caller\'s own): whether to offer Follow on the post.'
        )
    )

    class Meta:
        model = Post
        fields = (
            "id",
            "author",
            "caption",
            "images",
            "like_count",
            "comment_count",
            "liked",
            "saved",
            "author_follow",
            "created_at",
            "edited_at",
        )
        read_only_fields = fields

    def get_author_follow(self, post) -> str:
        # Annotated by for_display (Post.with_viewer_flags); a post just made has none.
        return getattr(post, "author_follow", "")

    def to_representation(self, instance):
        if isinstance(instance, PostCard):
            return post_card_data(instance, self.context.get("request"))
        return super().to_representation(instance)


class PostPreviewSerializer(serializers.ModelSerializer):
    """A post reduced to what a notification shows: its id and its first image's thumbnail.

    Expects `cover_images` (a list of at most one image), as notifications_list loads it.
    """

    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ("id", "thumbnail_url")
        read_only_fields = fields

    @extend_schema_field(NULLABLE_URL_FIELD)
    def get_thumbnail_url(self, post):
        cover = next(iter(post.cover_images), None)
        if cover is None:
            return None
        return absolute_url(self.context, cover.thumbnail or cover.image)


class CommentSerializer(serializers.ModelSerializer):
    """A comment with its author; `can_delete` says whether the caller may delete it.

    Replies are one level deep: a reply's `parent_id` is a top-level comment's id, and a
    top-level comment has `parent_id` null and `reply_count` replies
    (GET /comments/{id}/replies/).
    """

    author = AuthorSerializer(read_only=True)
    post_id = serializers.IntegerField(read_only=True)
    parent_id = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The top-level comment this one replies to; null for a top-level comment.",
    )
    reply_count = serializers.IntegerField(
        read_only=True, help_text="Replies to this comment (always 0 on a reply)."
    )
    like_count = serializers.IntegerField(read_only=True)
    liked = serializers.SerializerMethodField(help_text="The caller likes this comment.")
    can_delete = serializers.SerializerMethodField(
        help_text="The caller wrote the comment or the post."
    )

    class Meta:
        model = Comment
        fields = (
            "id",
            "post_id",
            "parent_id",
            "author",
            "text",
            "created_at",
            "reply_count",
            "like_count",
            "liked",
            "can_delete",
        )
        read_only_fields = fields

    def get_liked(self, comment) -> bool:
        # Selectors annotate it; a comment just written is not liked yet.
        return bool(getattr(comment, "liked", False))

    def get_can_delete(self, comment) -> bool:
        user = self.context["request"].user
        if not user.is_authenticated:
            return False
        # The view passes the post's author so a page of comments costs no query per row.
        post_author_id = self.context.get("post_author_id")
        if post_author_id is None:
            post_author_id = comment.post.author_id
        return user.pk in (comment.author_id, post_author_id)


class LikerSerializer(AuthorSerializer):
    """Someone who liked a post, with how the caller relates to them."""

    class Meta(AuthorSerializer.Meta):
        fields = (
            *AuthorSerializer.Meta.fields,
            "is_following",
            "follow_requested",
            "is_followed_by",
        )
        read_only_fields = fields

    is_following = serializers.BooleanField(read_only=True)
    follow_requested = serializers.BooleanField(read_only=True)
    is_followed_by = serializers.BooleanField(read_only=True)


class LikeStateSerializer(serializers.Serializer):
    liked = serializers.BooleanField(read_only=True)
    like_count = serializers.IntegerField(read_only=True)


class CommentLikeStateSerializer(serializers.Serializer):
    liked = serializers.BooleanField(read_only=True)
    like_count = serializers.IntegerField(read_only=True)


class SaveStateSerializer(serializers.Serializer):
    saved = serializers.BooleanField(read_only=True)
    like_count = serializers.IntegerField(read_only=True)


# --- Requests: exactly the fields a client may set ----------------------------------------------


class PostCreateSerializer(serializers.Serializer):
    """A new post, sent as multipart/form-data. Limits are checked by the service, which names
    the file and the limit it broke."""

    images = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        # The service's own words, so a post without images reads the same everywhere.
        error_messages={"required": NO_IMAGES, "empty": NO_IMAGES},
        help_text=(
            f"1 to {settings.SHUTTER['MAX_IMAGES_PER_POST']} image files (JPEG, PNG, WebP or "
            "HEIC), each a repeated `images` part, in the order they are shown."
        ),
    )
    alt_texts = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        default=list,
        help_text=(
            f"One alt text per image, in the same order (at most {ALT_TEXT_MAX} characters "
            "each); fewer than the images leaves the rest without."
        ),
    )
    caption = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text=f"At most {CAPTION_MAX} characters; #hashtags and @mentions are linked.",
    )


class PostUpdateSerializer(serializers.Serializer):
    """What the author may change on a post; send only what changes."""

    caption = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"At most {CAPTION_MAX} characters.",
    )
    alt_texts = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        help_text="The alt texts in image order; images past the list keep theirs.",
    )


class CommentCreateSerializer(serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"1 to {Comment._meta.get_field('text').max_length} characters.",
    )
    reply_to = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text=(
            "Reply to this comment of the same post. A reply to a reply attaches to its "
            "top-level comment and starts with an @mention of the person replied to."
        ),
    )


class ReplyCreateSerializer(serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"1 to {Comment._meta.get_field('text').max_length} characters.",
    )
