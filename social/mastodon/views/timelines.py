"""Timelines: home (posts.selectors.home_feed), public (explore's public posts) and a hashtag,
paged by max_id/since_id/min_id/limit with a Link header."""

from rest_framework.response import Response

from core.pagination import empty_page
from posts.models import Hashtag
from posts.selectors import (
    BY_ENGAGEMENT,
    explore,
    home_feed,
    liked_posts,
    post_position,
    saved_posts,
    tag_posts,
)
from social.mastodon.pagination import Listing, paged_response
from social.mastodon.params import bool_param
from social.mastodon.views.accounts import post_listing, whole_posts
from social.mastodon.views.base import MastodonView

SAVED_ORDER = (("saved_at", "desc"), ("save_id", "desc"))
LIKED_ORDER = (("liked_at", "desc"), ("like_id", "desc"))


class HomeTimelineView(MastodonView):
    many = True
    oauth_scopes = "read:statuses"

    def get(self, request):
        def fetch(cursor, page_size):
            return home_feed(viewer=request.user, cursor=cursor, page_size=page_size)

        return paged_response(
            request, post_listing(whole_posts(fetch, request.user)), self.statuses
        )


def _explore_position(post_id):
    found = post_position(post_id=post_id)
    return None if found is None else [found["score"], found["created_at"], found["id"]]


class PublicTimelineView(MastodonView):
    many = True
    public = True
    oauth_scopes = "read:statuses"

    def get(self, request):
        # Everything here is local; a "remote only" timeline is empty.
        if bool_param(request.query_params, "remote"):
            return Response([])

        def fetch(cursor, page_size):
            return explore(viewer=request.user, cursor=cursor, page_size=page_size)

        listing = Listing(
            ordering=BY_ENGAGEMENT,
            fetch=whole_posts(fetch, request.user),
            position_of_id=_explore_position,
            item_id=lambda post: str(post.pk),
        )
        return paged_response(request, listing, self.statuses)


class TagTimelineView(MastodonView):
    many = True
    public = True
    oauth_scopes = "read:statuses"

    def get(self, request, hashtag):
        def fetch(cursor, page_size):
            try:
                return tag_posts(
                    viewer=request.user, name=hashtag, cursor=cursor, page_size=page_size
                )
            except Hashtag.DoesNotExist:
                # Mastodon answers an unknown (or, here, invisible) tag with an empty list.
                return empty_page()

        return paged_response(
            request, post_listing(whole_posts(fetch, request.user)), self.statuses
        )


class BookmarksView(MastodonView):
    many = True
    oauth_scopes = "read:bookmarks"

    def get(self, request):
        def fetch(cursor, page_size):
            return saved_posts(viewer=request.user, cursor=cursor, page_size=page_size)

        return paged_response(
            request, Listing(SAVED_ORDER, whole_posts(fetch, request.user)), self.statuses
        )


class FavouritesView(MastodonView):
    many = True
    oauth_scopes = "read:favourites"

    def get(self, request):
        def fetch(cursor, page_size):
            return liked_posts(viewer=request.user, cursor=cursor, page_size=page_size)

        return paged_response(request, Listing(LIKED_ORDER, fetch), self.statuses)
