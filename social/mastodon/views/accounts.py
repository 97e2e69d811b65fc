"""Accounts: the caller's own, anyone's by id, their statuses and follow lists, and the
follow, block and mute actions answering a Relationship. Who may see whom is accounts.selectors'
and social.graph's to say, as for Shutter's own API."""

from rest_framework.response import Response

from accounts.models import User
from accounts.selectors import (
    account_username_get,
    profile_get,
    profile_get_by_id,
    user_followers,
    user_following,
    user_search,
)
from posts.selectors import NEWEST_FIRST, post_position, posts_of_cards, profile_posts
from social.graph.selectors import (
    EDGE_NEWEST_FIRST,
    block_target_get,
    blocked_accounts,
    muted_accounts,
    relationships_get,
)
from social.graph.services import (
    account_settings_update,
    block_create,
    block_remove,
    follow_create,
    follow_remove,
    mute_create,
    mute_remove,
)
from social.mastodon import entities
from social.mastodon.pagination import Listing, paged_response
from social.mastodon.params import bool_param, id_param, list_param
from social.mastodon.views.base import MastodonView

FOLLOW_LIST_ORDER = (("followed_at", "desc"), ("follow_id", "desc"))


def whole_posts(fetch, viewer):
    """`fetch` (a list selector giving cards) giving whole posts, as statuses need."""

    def fetch_posts(cursor, page_size):
        return posts_of_cards(fetch(cursor=cursor, page_size=page_size), viewer=viewer)

    return fetch_posts


def post_listing(fetch):
    """A list of posts newest first, paged by status id as well as by token."""

    def position_of_id(post_id):
        found = post_position(post_id=post_id)
        return None if found is None else [found["created_at"], found["id"]]

    return Listing(
        ordering=NEWEST_FIRST,
        fetch=fetch,
        position_of_id=position_of_id,
        item_id=lambda post: str(post.pk),
    )


def _relationship(viewer, user_id):
    found = relationships_get(viewer=viewer, user_ids=[user_id]).get(user_id)
    if found is None:
        raise User.DoesNotExist("No such account.")
    return entities.relationship(found)


class VerifyCredentialsView(MastodonView):
    oauth_scopes = "read:accounts"

    def get(self, request):
        me = profile_get(viewer=request.user, username=request.user.username)
        return Response(entities.account(request, me, source=True))


class UpdateCredentialsView(MastodonView):
    oauth_scopes = "write:accounts"

    def patch(self, request):
        data = self.data
        profile = {}
        if "display_name" in data:
            profile["display_name"] = str(data["display_name"])
        if "note" in data:
            profile["bio"] = str(data["note"])
        if request.FILES.get("avatar") is not None:
            profile["avatar"] = request.FILES["avatar"]
        locked = bool_param(data, "locked")
        account_settings_update(user=request.user, is_private=locked, **profile)
        me = profile_get(viewer=request.user, username=request.user.username)
        return Response(entities.account(request, me, source=True))

    put = patch


class AccountDetailView(MastodonView):
    public = True
    oauth_scopes = "read:accounts"

    def get(self, request, account_id):
        user = profile_get_by_id(viewer=request.user, user_id=id_param(account_id))
        return Response(entities.account(request, user))


class AccountStatusesView(MastodonView):
    many = True
    public = True
    oauth_scopes = "read:statuses"

    def get(self, request, account_id):
        user = profile_get_by_id(viewer=request.user, user_id=id_param(account_id))
        if bool_param(request.query_params, "pinned") or bool_param(
            request.query_params, "only_reblogs"
        ):
            return Response([])

        def fetch(cursor, page_size):
            return profile_posts(viewer=request.user, user=user, cursor=cursor, page_size=page_size)

        return paged_response(
            request, post_listing(whole_posts(fetch, request.user)), self.statuses
        )


class _FollowListView(MastodonView):
    many = True
    public = True
    oauth_scopes = "read:accounts"
    selector = None

    def get(self, request, account_id):
        user = profile_get_by_id(viewer=request.user, user_id=id_param(account_id))

        def fetch(cursor, page_size):
            return type(self).selector(
                viewer=request.user, user=user, cursor=cursor, page_size=page_size
            )

        return paged_response(request, Listing(FOLLOW_LIST_ORDER, fetch), self.accounts)


class AccountFollowersView(_FollowListView):
    selector = staticmethod(user_followers)


class AccountFollowingView(_FollowListView):
    selector = staticmethod(user_following)


class _RelationshipActionView(MastodonView):
    """POST does the action on an account the caller may see, answers the Relationship."""

    def post(self, request, account_id):
        user_id = id_param(account_id)
        self.act(request.user, user_id)
        return Response(_relationship(request.user, user_id))


class FollowView(_RelationshipActionView):
    oauth_scopes = "write:follows"
    throttle_scope = "follow"

    def act(self, viewer, user_id):
        follow_create(follower=viewer, following=profile_get_by_id(viewer=viewer, user_id=user_id))


class UnfollowView(_RelationshipActionView):
    oauth_scopes = "write:follows"
    throttle_scope = "follow"  # as Shutter's own unfollow: one allowance for both

    def act(self, viewer, user_id):
        follow_remove(follower=viewer, following=profile_get_by_id(viewer=viewer, user_id=user_id))


def _block_target(viewer, user_id):
    return block_target_get(viewer=viewer, username=account_username_get(user_id=user_id))


class BlockView(_RelationshipActionView):
    oauth_scopes = "write:blocks"

    def act(self, viewer, user_id):
        block_create(blocker=viewer, blocked=_block_target(viewer, user_id))


class UnblockView(_RelationshipActionView):
    oauth_scopes = "write:blocks"

    def act(self, viewer, user_id):
        block_remove(blocker=viewer, blocked=_block_target(viewer, user_id))


class MuteView(_RelationshipActionView):
    oauth_scopes = "write:mutes"

    def act(self, viewer, user_id):
        mute_create(muter=viewer, muted=profile_get_by_id(viewer=viewer, user_id=user_id))


class UnmuteView(_RelationshipActionView):
    oauth_scopes = "write:mutes"

    def act(self, viewer, user_id):
        mute_remove(muter=viewer, muted=profile_get_by_id(viewer=viewer, user_id=user_id))


class LookupView(MastodonView):
    public = True
    oauth_scopes = "read:accounts"

    def get(self, request):
        acct = str(request.query_params.get("acct", "")).strip().lstrip("@")
        username, _, domain = acct.partition("@")
        if not username or (domain and domain.lower() != request.get_host().lower()):
            raise User.DoesNotExist("No such account.")
        user = profile_get(viewer=request.user, username=username)
        return Response(entities.account(request, user))


class RelationshipsView(MastodonView):
    many = True
    oauth_scopes = "read:follows"

    def get(self, request):
        ids = [id_param(value, strict=False) for value in list_param(request.query_params, "id")]
        ids = [value for value in ids if value is not None][:100]
        found = relationships_get(viewer=request.user, user_ids=ids)
        return Response([entities.relationship(found[pk]) for pk in ids if pk in found])


class AccountSearchView(MastodonView):
    many = True
    oauth_scopes = "read:accounts"

    def get(self, request):
        limit = _small_limit(request.query_params)
        users = user_search(
            viewer=request.user, prefix=request.query_params.get("q", ""), limit=limit
        )
        return Response(self.accounts(users))


def _small_limit(params, default=40):
    try:
        return max(1, min(int(params.get("limit", default)), 80))
    except (TypeError, ValueError):
        return default


class BlocksView(MastodonView):
    many = True
    oauth_scopes = "read:blocks"

    def get(self, request):
        def fetch(cursor, page_size):
            return blocked_accounts(viewer=request.user, cursor=cursor, page_size=page_size)

        return paged_response(request, Listing(EDGE_NEWEST_FIRST, fetch), self.accounts)


class MutesView(MastodonView):
    many = True
    oauth_scopes = "read:mutes"

    def get(self, request):
        def fetch(cursor, page_size):
            return muted_accounts(viewer=request.user, cursor=cursor, page_size=page_size)

        return paged_response(request, Listing(EDGE_NEWEST_FIRST, fetch), self.accounts)
