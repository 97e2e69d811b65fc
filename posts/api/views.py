"""Posts endpoints: a thin face over posts.services (writes) and posts.selectors (reads).

Services and selectors raise Django's exceptions (ValidationError, PermissionDenied,
DoesNotExist); core.rest.exceptions turns them into 400, 403 and 404, so views don't catch.
Reads that a visitor may make use AllowAny; every write needs an account.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from accounts.oauth.permissions import OAuthScopes
from core.rest.pagination import KeysetListAPIView
from posts import selectors
from posts.api.serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    LikerSerializer,
    LikeStateSerializer,
    PostCreateSerializer,
    PostSerializer,
    PostUpdateSerializer,
    SaveStateSerializer,
)
from posts.models import Comment, Post
from posts.services import (
    comment_add,
    comment_delete,
    like_add,
    like_remove,
    post_create,
    post_delete,
    post_update,
    save_add,
    save_remove,
)

POSTS = "posts"
COMMENTS = "comments"
ENGAGEMENT = "likes and saves"
FEEDS = "feeds"


# --- Posts -------------------------------------------------------------------------------------


@extend_schema(tags=[POSTS])
class PostCreateView(GenericAPIView):
    serializer_class = PostCreateSerializer
    oauth_scopes = "write:statuses"
    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "post_create"

    @extend_schema(
        summary="Publish a post",
        description=(
            "multipart/form-data with 1 to 10 `images` parts, optional `alt_texts` parts (one per "
            "image, same order) and a `caption`. Every image is checked before anything is "
            "stored; errors name the file and the limit it broke."
        ),
        request={"multipart/form-data": PostCreateSerializer},
        responses={201: PostSerializer},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = post_create(author=request.user, **serializer.validated_data)
        post = selectors.post_detail(viewer=request.user, post_id=post.pk)
        data = PostSerializer(post, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[POSTS])
class PostDetailView(GenericAPIView):
    serializer_class = PostSerializer
    oauth_scopes = {"GET": "read:statuses", "PATCH": "write:statuses", "DELETE": "write:statuses"}
    oauth_app_token_allowed = True
    permission_classes = [OAuthScopes, IsAuthenticatedOrReadOnly]

    @extend_schema(summary="One post")
    def get(self, request, post_id):
        post = selectors.post_detail(viewer=request.user, post_id=post_id)
        return Response(self.get_serializer(post).data)

    @extend_schema(
        summary="Edit a post's caption or alt texts",
        description="The author only. Send only what changes.",
        request=PostUpdateSerializer,
    )
    def patch(self, request, post_id):
        serializer = PostUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # A post the caller can't see (a removed one included) is 404 here as on GET; the
        # service then tells the author from everyone else.
        post = selectors.post_detail(viewer=request.user, post_id=post_id)
        post_update(actor=request.user, post=post, **serializer.validated_data)
        post = selectors.post_detail(viewer=request.user, post_id=post_id)
        return Response(self.get_serializer(post).data)

    @extend_schema(summary="Delete a post", description="The author only.", responses={204: None})
    def delete(self, request, post_id):
        # The service, not a visibility lookup, decides: authors may delete their own post
        # even after moderators removed it.
        post_delete(actor=request.user, post=selectors.post_target_get(post_id=post_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Likes and saves ---------------------------------------------------------------------------


@extend_schema(tags=[ENGAGEMENT], request=None, responses={200: LikeStateSerializer})
class PostLikeView(GenericAPIView):
    serializer_class = LikeStateSerializer
    oauth_scopes = "write:favourites"

    @extend_schema(summary="Like a post", description="Liking twice is the same as once.")
    def post(self, request, post_id):
        like_add(user=request.user, post=selectors.post_target_get(post_id=post_id))
        return self._state(liked=True, post_id=post_id)

    @extend_schema(summary="Unlike a post", description="A no-op when not liked.")
    def delete(self, request, post_id):
        like_remove(user=request.user, post=selectors.post_target_get(post_id=post_id))
        return self._state(liked=False, post_id=post_id)

    def _state(self, *, liked, post_id):
        return Response(
            {"liked": liked, "like_count": selectors.post_counts(post_id=post_id)["like_count"]}
        )


@extend_schema(tags=[ENGAGEMENT], request=None, responses={200: SaveStateSerializer})
class PostSaveView(GenericAPIView):
    serializer_class = SaveStateSerializer
    oauth_scopes = "write:bookmarks"

    @extend_schema(summary="Save a post", description="Saving twice is the same as once.")
    def post(self, request, post_id):
        save_add(user=request.user, post=selectors.post_target_get(post_id=post_id))
        return self._state(saved=True, post_id=post_id)

    @extend_schema(summary="Unsave a post", description="A no-op when not saved.")
    def delete(self, request, post_id):
        save_remove(user=request.user, post=selectors.post_target_get(post_id=post_id))
        return self._state(saved=False, post_id=post_id)

    def _state(self, *, saved, post_id):
        return Response(
            {"saved": saved, "like_count": selectors.post_counts(post_id=post_id)["like_count"]}
        )


@extend_schema(tags=[ENGAGEMENT], summary="Who liked a post", description="Latest like first.")
class PostLikersView(KeysetListAPIView):
    serializer_class = LikerSerializer
    oauth_scopes = "read:accounts"
    oauth_app_token_allowed = True
    permission_classes = [OAuthScopes, AllowAny]

    def get_page(self, *, cursor, page_size):
        # The selector only needs the id; it checks the caller may see the post itself.
        post = Post(pk=self.kwargs["post_id"])
        return selectors.post_likers(
            viewer=self.request.user, post=post, cursor=cursor, page_size=page_size
        )


@extend_schema(tags=[ENGAGEMENT], summary="My saved posts", description="Latest save first.")
class SavedPostsView(KeysetListAPIView):
    serializer_class = PostSerializer
    oauth_scopes = "read:bookmarks"

    def get_page(self, *, cursor, page_size):
        return selectors.saved_posts(viewer=self.request.user, cursor=cursor, page_size=page_size)


# --- Comments ----------------------------------------------------------------------------------


@extend_schema(tags=[COMMENTS])
class PostCommentsView(KeysetListAPIView):
    serializer_class = CommentSerializer
    oauth_scopes = {"GET": "read:statuses", "POST": "write:statuses"}
    oauth_app_token_allowed = True
    permission_classes = [OAuthScopes, IsAuthenticatedOrReadOnly]
    throttle_scope = "comment"

    def get_page(self, *, cursor, page_size):
        self.post_row = Post.objects.only("pk", "author_id").get(pk=self.kwargs["post_id"])
        return selectors.post_comments(
            viewer=self.request.user, post=self.post_row, cursor=cursor, page_size=page_size
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "post_row"):
            context["post_author_id"] = self.post_row.author_id
        return context

    @extend_schema(summary="A post's comments", description="Oldest first.")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Comment on a post",
        request=CommentCreateSerializer,
        responses={201: CommentSerializer},
    )
    def post(self, request, post_id):
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.post_row = selectors.post_target_get(post_id=post_id)
        comment = comment_add(
            author=request.user, post=self.post_row, text=serializer.validated_data["text"]
        )
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[COMMENTS])
class CommentDetailView(GenericAPIView):
    serializer_class = CommentSerializer
    oauth_scopes = "write:statuses"

    @extend_schema(
        summary="Delete a comment",
        description="The comment's author or the post's author.",
        responses={204: None},
    )
    def delete(self, request, comment_id):
        comment_delete(actor=request.user, comment=Comment.objects.get(pk=comment_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Feeds -------------------------------------------------------------------------------------


@extend_schema(
    tags=[FEEDS],
    summary="My home feed",
    description="Posts of the accounts I follow and my own, newest first, without muted ones.",
)
class FeedView(KeysetListAPIView):
    serializer_class = PostSerializer
    oauth_scopes = "read:statuses"
    permission_classes = [OAuthScopes, IsAuthenticated]

    def get_page(self, *, cursor, page_size):
        return selectors.home_feed(viewer=self.request.user, cursor=cursor, page_size=page_size)


@extend_schema(
    tags=[FEEDS],
    summary="Explore",
    description="Recent posts of public accounts, most engaging first.",
)
class ExploreView(KeysetListAPIView):
    serializer_class = PostSerializer
    oauth_scopes = "read:statuses"
    oauth_app_token_allowed = True
    permission_classes = [OAuthScopes, AllowAny]

    def get_page(self, *, cursor, page_size):
        return selectors.explore(viewer=self.request.user, cursor=cursor, page_size=page_size)


@extend_schema(
    tags=[FEEDS],
    summary="Posts with a hashtag",
    description=(
        "Newest first. 404 when none of the tag's posts is visible to the caller, exactly as "
        "for a tag never used."
    ),
)
class TagPostsView(KeysetListAPIView):
    serializer_class = PostSerializer
    oauth_scopes = "read:statuses"
    oauth_app_token_allowed = True
    permission_classes = [OAuthScopes, AllowAny]

    def get_page(self, *, cursor, page_size):
        return selectors.tag_posts(
            viewer=self.request.user, name=self.kwargs["name"], cursor=cursor, page_size=page_size
        )
