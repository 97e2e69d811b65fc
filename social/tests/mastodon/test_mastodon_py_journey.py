"""The whole thing with a real client: Mastodon.py (PyPI) against a live test server.

An app registers, a person authorises it on Shutter's consent page (driven with Django's test
client, signed in), and the app then does what a phone app does: who am I, upload a photo and
post it, read and page the home timeline, favourite, follow a private account whose owner
accepts, read notifications, and finally revoke its token.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from mastodon import Mastodon, MastodonUnauthorizedError

from accounts.tests.factories import UserFactory
from accounts.tests.oauth_helpers import oauth_token
from posts.tests.factories import PostFactory, photo_upload
from social.graph.models import Follow
from social.tests.mastodon.helpers import follow

pytestmark = pytest.mark.django_db(transaction=True)
OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow"]


def _consent(user, authorize_url):
    """Sign `user` in and press Authorise on the consent page; returns the code it shows."""
    browser = Client()
    browser.force_login(user)
    parts = urlsplit(authorize_url)
    page = browser.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200, page.content
    html = page.content.decode()
    assert "data-oauth-consent" in html
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    answer = browser.post(parts.path, {**fields, "allow": "Authorize"})
    assert answer.status_code == 200, answer.content
    return re.search(r"data-oauth-code>([^<]+)<", answer.content.decode()).group(1)


def _client(live_server, **kwargs):
    return Mastodon(api_base_url=live_server.url, version_check_mode="none", **kwargs)


def test_mastodon_py_journey(live_server):
    me = UserFactory(username="journey")
    friend = UserFactory(username="friend")
    locked = UserFactory(username="locked", is_private=True)
    follow(me, friend)
    friends_posts = [PostFactory(author=friend) for _ in range(3)]

    # Register an app and authorise it with a code.
    client_id, client_secret = Mastodon.create_app(
        "Journey", scopes=SCOPES, redirect_uris=OOB, api_base_url=live_server.url
    )
    app = _client(live_server, client_id=client_id, client_secret=client_secret)
    url = app.auth_request_url(scopes=SCOPES, redirect_uris=OOB, allow_http=True)
    code = _consent(me, url)
    app.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)

    # Who am I; what is this server.
    assert app.account_verify_credentials().username == "journey"
    assert "Shutter" in app.instance().version

    # Upload a photo and post it.
    media = app.media_post(photo_upload().read(), mime_type="image/jpeg", description="Red")
    status = app.status_post("My first #photo", media_ids=[media])
    assert status.media_attachments[0].description == "Red"
    assert status.account.username == "journey"

    # Read the home timeline and page through it.
    page = app.timeline_home(limit=2)
    seen = [str(s.id) for s in page]
    while (page := app.fetch_next(page)) is not None and len(page):
        seen.extend(str(s.id) for s in page)
    assert seen == [str(status.id), *[str(p.pk) for p in reversed(friends_posts)]]

    # Favourite a friend's post.
    liked = app.status_favourite(friends_posts[0].pk)
    assert liked.favourited is True and liked.favourites_count == 1
    assert [str(s.id) for s in app.favourites()] == [str(friends_posts[0].pk)]

    # Follow a private account; its owner (another app) accepts.
    assert app.account_follow(locked.pk).requested is True
    owner = _client(live_server, access_token=oauth_token(locked, "read write follow"))
    assert [a.username for a in owner.follow_requests()] == ["journey"]
    assert [n.type for n in owner.notifications()] == ["follow_request"]
    owner.follow_request_authorize(me.pk)
    assert Follow.objects.get(follower=me, following=locked).status == Follow.Status.ACCEPTED
    assert app.account_relationships(locked.pk)[0].following is True

    # The owner favourites my post: I am told.
    owner.status_favourite(status.id)
    notes = app.notifications()
    assert [(n.type, n.account.username) for n in notes] == [("favourite", "locked")]
    assert str(notes[0].status.id) == str(status.id)

    # Revoke: the token stops working.
    app.revoke_access_token(allow_http=True)
    with pytest.raises(MastodonUnauthorizedError):
        app.account_verify_credentials()
