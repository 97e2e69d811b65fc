"""Fixtures and helpers of the Mastodon client API's tests (social/tests/test_mastodon_*)."""

from rest_framework.test import APIClient

from posts.tests.factories import photo_upload
from social.graph.models import Follow
from social.tests.factories import FollowFactory

ACCOUNT_FIELDS = {
    "id", "username", "acct", "display_name", "locked", "bot", "discoverable", "indexable",
    "group", "noindex", "created_at", "note", "url", "uri", "avatar", "avatar_static", "header",
    "header_static", "followers_count", "following_count", "statuses_count", "last_status_at",
    "emojis", "fields",
}  # fmt: skip
STATUS_FIELDS = {
    "id", "uri", "url", "created_at", "account", "content", "visibility", "sensitive",
    "spoiler_text", "media_attachments", "application", "mentions", "tags", "emojis",
    "reblogs_count", "favourites_count", "replies_count", "in_reply_to_id",
    "in_reply_to_account_id", "reblog", "poll", "card", "language", "text", "edited_at",
    "favourited", "reblogged", "muted", "bookmarked", "pinned", "filtered",
}  # fmt: skip
MEDIA_FIELDS = {
    "id", "type", "url", "preview_url", "remote_url", "preview_remote_url", "text_url", "meta",
    "description", "blurhash",
}  # fmt: skip
RELATIONSHIP_FIELDS = {
    "id", "following", "showing_reblogs", "notifying", "languages", "followed_by", "blocking",
    "blocked_by", "muting", "muting_notifications", "requested", "requested_by",
    "domain_blocking", "endorsed", "note",
}  # fmt: skip
NOTIFICATION_FIELDS = {"id", "type", "created_at", "group_key", "account", "status"}
NOT_FOUND = {"error": "Record not found"}


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def upload_media(client, committed, **fields):
    with committed():
        response = client.post(
            "/api/v2/media", {"file": photo_upload(), **fields}, format="multipart"
        )
    assert response.status_code in (200, 202), response.content
    return response.json()


def post_status(client, committed, text="a photo", images=1):
    media_ids = [upload_media(client, committed)["id"] for _ in range(images)]
    with committed():
        response = client.post(
            "/api/v1/statuses", {"status": text, "media_ids": media_ids}, format="json"
        )
    assert response.status_code == 200, response.content
    return response.json()


def follow(follower, following):
    return FollowFactory(follower=follower, following=following, status=Follow.Status.ACCEPTED)
