"""OAuth scopes on Shutter's own API, from the outside: a bearer token does what its scopes
allow and nothing else (one test per scope family), Shutter's own tokens keep full access, and
every API view says which scope it needs."""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts.oauth.permissions import ANY_SCOPE, OAuthScopes, view_scope
from accounts.oauth.scopes import SCOPES, scope_granted, scopes_expand
from accounts.tests.factories import UserFactory
from accounts.tests.oauth_helpers import oauth_app, oauth_client, oauth_token
from config.tests.clients import token_client
from posts.models import Like
from posts.tests.factories import PostFactory, image_upload
from social.graph.models import Block, Follow, Mute

pytestmark = pytest.mark.django_db

FEED = reverse("api:feed")
ME = reverse("api:me")
POSTS = reverse("api:post-create")
NOTIFICATIONS = reverse("api:notifications")


def like_url(post):
    return reverse("api:post-like", args=[post.pk])


def follow_url(user):
    return reverse("api:user-follow", args=[user.username])


def block_url(user):
    return reverse("api:user-block", args=[user.username])


def mute_url(user):
    return reverse("api:user-mute", args=[user.username])


def new_post(client):
    return client.post(POSTS, {"images": [image_upload()], "caption": "hi"}, format="multipart")


# --- The registry ----------------------------------------------------------------------------


def test_a_parent_scope_grants_its_children_and_not_the_other_way():
    assert scope_granted({"read"}, "read:statuses")
    assert scope_granted({"write"}, "write:favourites")
    assert scope_granted({"follow"}, "write:blocks")
    assert scope_granted({"follow"}, "read:follows")
    assert scope_granted({"read"}, "profile")
    assert not scope_granted({"read:statuses"}, "read")
    assert not scope_granted({"follow"}, "write:statuses")
    assert not scope_granted({"read"}, "write:favourites")
    assert not scope_granted({"profile"}, "read:accounts")


def test_expanding_read_gives_every_read_scope_and_profile():
    expanded = scopes_expand(["read"])

    assert {name for name in SCOPES if name.startswith("read:")} <= expanded
    assert "profile" in expanded
    assert not any(name.startswith("write") for name in expanded)


# --- read ------------------------------------------------------------------------------------


def test_a_read_token_reads_but_cannot_like_post_or_follow():
    me, author = UserFactory(), UserFactory()
    post = PostFactory(author=author)
    client = oauth_client(me, scopes="read")

    assert client.get(FEED).status_code == 200
    assert client.get(ME).json()["username"] == me.username

    liked = client.post(like_url(post))
    assert liked.status_code == 403
    assert "write:favourites" in liked.json()["detail"]
    assert not Like.objects.filter(user=me).exists()
    assert new_post(client).status_code == 403
    assert client.post(follow_url(author)).status_code == 403
    assert not Follow.objects.filter(follower=me).exists()


def test_a_token_without_read_cannot_read():
    me = UserFactory()
    client = oauth_client(me, scopes="write")

    response = client.get(FEED)

    assert response.status_code == 403
    assert "read:statuses" in response.json()["detail"]
    assert client.get(NOTIFICATIONS).status_code == 403


# --- write and its children ------------------------------------------------------------------


def test_write_favourites_can_like_but_not_post():
    me = UserFactory()
    post = PostFactory(author=UserFactory())
    client = oauth_client(me, scopes="write:favourites")

    assert client.post(like_url(post)).status_code in (200, 201)
    assert Like.objects.filter(user=me, post=post).exists()
    refused = new_post(client)
    assert refused.status_code == 403
    assert "write:statuses" in refused.json()["detail"]


def test_write_can_post_like_and_edit_the_profile():
    me = UserFactory()
    client = oauth_client(me, scopes="write read")

    assert new_post(client).status_code == 201
    assert client.patch(ME, {"bio": "from an app"}).status_code == 200
    me.refresh_from_db()
    assert me.bio == "from an app"


# --- follow ----------------------------------------------------------------------------------


def test_follow_can_follow_block_and_mute_but_not_like():
    me, other, pest, noisy = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    client = oauth_client(me, scopes="follow")

    assert client.post(follow_url(other)).status_code in (200, 201)
    assert client.post(block_url(pest)).status_code in (200, 201)
    assert client.post(mute_url(noisy)).status_code in (200, 201)
    assert Follow.objects.filter(follower=me, following=other).exists()
    assert Block.objects.filter(blocker=me, blocked=pest).exists()
    assert Mute.objects.filter(muter=me, muted=noisy).exists()
    assert client.post(like_url(PostFactory(author=other))).status_code == 403
    assert client.get(FEED).status_code == 403


# --- profile and push ------------------------------------------------------------------------


def test_profile_only_tells_who_i_am():
    me = UserFactory()
    client = oauth_client(me, scopes="profile")

    assert client.get(ME).json()["username"] == me.username
    assert client.get(FEED).status_code == 403
    assert client.patch(ME, {"bio": "x"}).status_code == 403


def test_push_alone_reads_and_writes_nothing():
    me = UserFactory()
    client = oauth_client(me, scopes="push")

    assert client.get(ME).status_code == 403
    assert client.get(FEED).status_code == 403


# --- Who keeps full access, who has none -----------------------------------------------------


def test_shutter_tokens_and_sessions_keep_full_access():
    me = UserFactory()
    post = PostFactory(author=UserFactory())

    assert token_client(me).post(like_url(post)).status_code in (200, 201)
    assert new_post(token_client(me)).status_code == 201


def test_an_app_only_token_cannot_act_for_a_person():
    app = oauth_app(scopes="read write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {oauth_token(None, 'read write', app)}")

    refused = client.get(FEED)
    assert refused.status_code == 403
    assert "app-only" in refused.json()["detail"]
    assert client.post(like_url(PostFactory())).status_code == 403
    # Public things stay readable, as they are without any token.
    assert client.get(reverse("api:explore")).status_code == 200


def test_a_made_up_bearer_token_is_refused_with_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = client.get(reverse("api:explore"))

    assert response.status_code == 401


# --- Every view declares its scope ------------------------------------------------------------


def _api_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _api_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "view_class", None) or getattr(
                entry.callback, "cls", None
            )
            if view is not None and hasattr(view, "permission_classes"):
                yield prefix + str(entry.pattern), view


def test_every_api_view_checks_oauth_scopes():
    """OAuthScopes is on every view (a view without it would let any token through), and a
    view that takes OAuth tokens names a scope for each of its methods."""
    views = list(_api_views())
    assert len(views) > 20
    for route, view in views:
        if route.startswith(("api/schema", "api/docs")):
            continue
        methods = [m.upper() for m in view.http_method_names if hasattr(view, m) and m != "options"]
        for method in methods:
            instance = view()
            instance.request = SimpleNamespace(method=method)
            instance.format_kwarg = None
            checks = [type(check) for check in instance.get_permissions()]
            assert checks[0] is OAuthScopes, f"{method} {route}: OAuthScopes must come first"
            scope = view_scope(instance, method)
            assert scope in (None, ANY_SCOPE) or scope in SCOPES, (
                f"{method} {route}: unknown scope {scope}"
            )
