"""Other people: a profile, its posts and follow lists, and finding accounts and hashtags.

Privacy and blocks are the selectors' business: a profile hidden by a block or a suspension is
a 404, a private account's lists are empty pages for those who may not see them, as on the pages.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.oauth.permissions import OAuthScopes
from accounts.selectors import profile_get, user_followers, user_following, user_search
from core.rest.pagination import KeysetListAPIView
from posts.api.serializers import AuthorSerializer, PostSerializer
from posts.selectors import hashtag_search, profile_posts

USERS = "users"
SEARCH_QUERY_MAX = 100


class RelationshipSerializer(AuthorSerializer):
    """An account with how the caller relates to it (all false for a visitor)."""

    # Annotations from the selectors (with_relationship_flags); the model has no such fields.
    is_following = serializers.BooleanField(read_only=True, help_text="I follow them.")
    follow_requested = serializers.BooleanField(
        read_only=True, help_text="I asked to follow them and they haven't answered."
    )
    is_followed_by = serializers.BooleanField(read_only=True, help_text="They follow me.")
    is_muting = serializers.BooleanField(read_only=True, help_text="I muted them.")

    class Meta(AuthorSerializer.Meta):
        fields = (
            *AuthorSerializer.Meta.fields,
            "is_private",
            "is_following",
            "follow_requested",
            "is_followed_by",
            "is_muting",
        )
        read_only_fields = fields


class UserListItemSerializer(RelationshipSerializer):
    """One account in a list (followers, following, search results)."""


class ProfileSerializer(RelationshipSerializer):
    """Someone's profile: name, bio and counts are public to everyone who may open it."""

    # A plain string: an account may have no website, and "" is no valid URI.
    website = serializers.CharField(read_only=True)
    can_see_content = serializers.BooleanField(
        read_only=True,
        help_text=(
            "The caller may see the posts and follow lists: the owner, anyone for a public "
            "account, accepted followers for a private one. When false, those lists are empty."
        ),
    )

    class Meta(RelationshipSerializer.Meta):
        fields = (
            "id",
            *RelationshipSerializer.Meta.fields,
            "bio",
            "website",
            "post_count",
            "follower_count",
            "following_count",
            "can_see_content",
        )
        read_only_fields = fields


class HashtagResultSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    post_count = serializers.IntegerField(read_only=True)


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=SEARCH_QUERY_MAX,
        help_text="The start of a username, display name or hashtag; '@' and '#' are optional.",
    )


class SearchResultSerializer(serializers.Serializer):
    users = UserListItemSerializer(many=True, read_only=True, help_text="Most followed first.")
    hashtags = HashtagResultSerializer(many=True, read_only=True, help_text="Most used first.")


class ProfileView(GenericAPIView):
    serializer_class = ProfileSerializer
    oauth_scopes = "read:accounts"
    oauth_app_token_allowed = True
    permission_classes = [OAuthScopes, AllowAny]

    @extend_schema(
        tags=[USERS],
        summary="A profile",
        description="404 for suspended accounts and when a block stands between us either way.",
    )
    def get(self, request, username):
        profile = profile_get(viewer=request.user, username=username)
        return Response(self.get_serializer(profile).data)


class UserListView(KeysetListAPIView):
    """A list belonging to the account in the path; empty when the caller may not see it."""

    permission_classes = [OAuthScopes, AllowAny]
    oauth_scopes = "read:accounts"
    oauth_app_token_allowed = True

    def get_page(self, *, cursor, page_size):
        owner = profile_get(viewer=self.request.user, username=self.kwargs["username"])
        return self.list_page(owner=owner, cursor=cursor, page_size=page_size)

    def list_page(self, *, owner, cursor, page_size):
        raise NotImplementedError


PRIVATE_LIST_NOTE = (
    " A private account's list is an empty page unless the caller is the owner or an accepted "
    "follower (the profile's `can_see_content` says which)."
)


@extend_schema(
    tags=[USERS], summary="Someone's posts", description="Newest first." + PRIVATE_LIST_NOTE
)
class UserPostsView(UserListView):
    serializer_class = PostSerializer
    oauth_scopes = "read:statuses"

    def list_page(self, *, owner, cursor, page_size):
        return profile_posts(
            viewer=self.request.user, user=owner, cursor=cursor, page_size=page_size
        )


@extend_schema(
    tags=[USERS],
    summary="Someone's followers",
    description="Latest follow first." + PRIVATE_LIST_NOTE,
)
class FollowersView(UserListView):
    serializer_class = UserListItemSerializer

    def list_page(self, *, owner, cursor, page_size):
        return user_followers(
            viewer=self.request.user, user=owner, cursor=cursor, page_size=page_size
        )


@extend_schema(
    tags=[USERS],
    summary="Whom someone follows",
    description="Latest follow first." + PRIVATE_LIST_NOTE,
)
class FollowingView(UserListView):
    serializer_class = UserListItemSerializer

    def list_page(self, *, owner, cursor, page_size):
        return user_following(
            viewer=self.request.user, user=owner, cursor=cursor, page_size=page_size
        )


class SearchView(GenericAPIView):
    serializer_class = SearchResultSerializer
    oauth_scopes = "read:search"
    oauth_app_token_allowed = True
    permission_classes = [OAuthScopes, AllowAny]

    @extend_schema(
        tags=["search"],
        summary="Find accounts and hashtags by prefix",
        description=(
            "Accounts whose username or display name starts with `q`, and hashtags that start "
            "with it; the best matches only (not paged). An empty `q` finds nothing."
        ),
        parameters=[SearchQuerySerializer],
    )
    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        prefix = query.validated_data["q"]
        results = {
            "users": user_search(viewer=request.user, prefix=prefix),
            "hashtags": hashtag_search(viewer=request.user, prefix=prefix),
        }
        return Response(self.get_serializer(results).data)


urlpatterns = [
    path("users/<str:username>/", ProfileView.as_view(), name="user-detail"),
    path("users/<str:username>/posts/", UserPostsView.as_view(), name="user-posts"),
    path("users/<str:username>/followers/", FollowersView.as_view(), name="user-followers"),
    path("users/<str:username>/following/", FollowingView.as_view(), name="user-following"),
    path("search/", SearchView.as_view(), name="search"),
]
