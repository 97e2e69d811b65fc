"""Each Mastodon entity has the fields Mastodon documents, with their types: ids as strings,
times in ISO 8601, HTML text (https://docs.joinmastodon.org/entities/)."""

import re

import pytest
from django.conf import settings

from accounts.tests.factories import UserFactory
from posts.services.posts import ALT_TEXT_MAX, CAPTION_MAX
from social.mastodon.entities import COMMENT_ID_BASE, parse_status_id
from social.tests.factories import NotificationFactory
from social.tests.mastodon.helpers import (
    ACCOUNT_FIELDS,
    MEDIA_FIELDS,
    NOTIFICATION_FIELDS,
    RELATIONSHIP_FIELDS,
    STATUS_FIELDS,
    post_status,
    upload_media,
)

pytestmark = pytest.mark.django_db
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def assert_account(data):
    assert set(data) >= ACCOUNT_FIELDS
    assert isinstance(data["id"], str) and data["id"].isdigit()
    assert ISO.match(data["created_at"])
    for flag in ("locked", "bot", "discoverable", "group"):
        assert isinstance(data[flag], bool)
    for count in ("followers_count", "following_count", "statuses_count"):
        assert isinstance(data[count], int)
    assert data["emojis"] == [] and isinstance(data["fields"], list)
    assert data["avatar"].startswith("http") and data["header"].startswith("http")
    assert data["acct"] == data["username"]


def assert_media(data):
    assert set(data) >= MEDIA_FIELDS
    assert isinstance(data["id"], str)
    assert data["type"] == "image"
    assert data["remote_url"] is None
    original = data["meta"]["original"]
    assert {"width", "height", "size", "aspect"} <= set(original)
    assert original["size"] == f"{original['width']}x{original['height']}"
    assert {"width", "height"} <= set(data["meta"]["small"])


def assert_status(data):
    assert set(data) >= STATUS_FIELDS
    assert isinstance(data["id"], str) and data["id"].isdigit()
    assert ISO.match(data["created_at"])
    assert_account(data["account"])
    assert data["visibility"] in ("public", "private")
    assert data["reblog"] is None and data["poll"] is None and data["card"] is None
    assert data["reblogs_count"] == 0 and data["reblogged"] is False
    for media in data["media_attachments"]:
        assert_media(media)


def test_account_entity(api, me):
    me.bio = "Cats & <b>light</b>"
    me.save()

    data = api.get(f"/api/v1/accounts/{me.pk}").json()

    assert_account(data)
    assert data["username"] == "me"
    # The bio is text, shown as escaped HTML.
    assert data["note"] == "<p>Cats &amp; &lt;b&gt;light&lt;/b&gt;</p>"
    assert data["locked"] is False


def test_verify_credentials_adds_the_source(api):
    data = api.get("/api/v1/accounts/verify_credentials").json()

    assert_account(data)
    assert data["source"]["privacy"] == "public"
    assert data["source"]["note"] == ""


def test_status_entity_with_its_media(api, me, committed):
    media = upload_media(api, committed, description="A red square")

    with committed():
        data = api.post(
            "/api/v1/statuses",
            {"status": "Sunset <3 #Golden with @me", "media_ids[]": [media["id"]]},
        ).json()

    assert_status(data)
    assert data["account"]["id"] == str(me.pk)
    assert data["content"] == (
        '<p>Sunset &lt;3 <a href="http://testserver/tags/golden/" class="mention hashtag" '
        'rel="tag">#<span>Golden</span></a> with <span class="h-card">'
        '<a href="http://testserver/u/me/" class="u-url mention">@<span>me</span></a></span></p>'
    )
    assert data["tags"] == [{"name": "golden", "url": "http://testserver/tags/golden/"}]
    assert data["mentions"] == [
        {"id": str(me.pk), "username": "me", "url": "http://testserver/u/me/", "acct": "me"}
    ]
    [attachment] = data["media_attachments"]
    assert_media(attachment)
    assert attachment["description"] == "A red square"
    assert attachment["meta"]["original"]["width"] == 640
    assert attachment["meta"]["original"]["height"] == 480
    assert attachment["url"].startswith("http://testserver/media/posts/")
    assert data["favourites_count"] == 0 and data["replies_count"] == 0
    assert data["in_reply_to_id"] is None and data["edited_at"] is None


def test_a_comment_is_a_status_replying_to_its_post(api, me, committed):
    post = post_status(api, committed)

    with committed():
        reply = api.post(
            "/api/v1/statuses", {"status": "Lovely", "in_reply_to_id": post["id"]}
        ).json()

    assert_status(reply)
    assert int(reply["id"]) > COMMENT_ID_BASE
    assert parse_status_id(reply["id"])[0] == "comment"
    assert reply["in_reply_to_id"] == post["id"]
    assert reply["in_reply_to_account_id"] == str(me.pk)
    assert reply["media_attachments"] == []
    assert reply["content"] == "<p>Lovely</p>"


def test_relationship_entity(api):
    other = UserFactory()

    data = api.get(f"/api/v1/accounts/relationships?id[]={other.pk}").json()

    assert len(data) == 1
    assert set(data[0]) >= RELATIONSHIP_FIELDS
    assert data[0]["id"] == str(other.pk)
    assert all(isinstance(data[0][key], bool) for key in ("following", "blocking", "requested"))


def test_notification_entity(api, me, committed):
    post = post_status(api, committed)
    fan = UserFactory()
    NotificationFactory(recipient=me, actor=fan, kind="like", post_id=int(post["id"]))

    [data] = api.get("/api/v1/notifications").json()

    assert set(data) >= NOTIFICATION_FIELDS
    assert data["type"] == "favourite"
    assert isinstance(data["id"], str) and ISO.match(data["created_at"])
    assert_account(data["account"])
    assert_status(data["status"])
    assert data["status"]["id"] == post["id"]


def test_media_attachment_entity_while_unattached(api, committed):
    data = upload_media(api, committed, focus="0.5,-0.25")

    assert_media(data)
    assert data["meta"]["focus"] == {"x": 0.5, "y": -0.25}


def test_instance_v2_entity(api):
    data = api.get("/api/v2/instance").json()

    assert {
        "domain", "title", "version", "source_url", "description", "usage", "thumbnail",
        "languages", "configuration", "registrations", "contact", "rules",
    } <= set(data)  # fmt: skip
    assert re.fullmatch(r"4\.3\.0 \(compatible; Shutter [\w.]+\)", data["version"])
    config = data["configuration"]
    assert config["urls"]["streaming"].startswith("ws")
    assert config["statuses"]["max_characters"] == CAPTION_MAX
    assert config["statuses"]["max_media_attachments"] == settings.SHUTTER["MAX_IMAGES_PER_POST"]
    media = config["media_attachments"]
    assert media["image_size_limit"] == settings.SHUTTER["MAX_IMAGE_BYTES"]
    assert media["description_limit"] == ALT_TEXT_MAX
    assert "image/jpeg" in media["supported_mime_types"]
    assert data["rules"] == []
    assert set(data["contact"]) == {"email", "account"}


def test_instance_v1_entity(anon):
    data = anon.get("/api/v1/instance").json()

    assert {
        "uri", "title", "short_description", "description", "email", "version", "urls",
        "stats", "thumbnail", "languages", "registrations", "approval_required",
        "configuration", "contact_account", "rules",
    } <= set(data)  # fmt: skip
    assert data["urls"]["streaming_api"].startswith("ws")
    assert data["version"].startswith("4.3.0 (compatible; Shutter ")
    assert data["configuration"]["statuses"]["max_characters"] == CAPTION_MAX
    assert set(data["stats"]) == {"user_count", "status_count", "domain_count"}


@pytest.mark.parametrize("path", ["/api/v1/instance/", "/api/v2/instance/"])
def test_the_instance_answers_with_a_trailing_slash_too(anon, path):
    response = anon.get(path)

    assert response.status_code == 200
    assert "version" in response.json()


def test_nodeinfo(anon):
    links = anon.get("/.well-known/nodeinfo").json()["links"]
    assert links[0]["href"] == "http://testserver/nodeinfo/2.0"

    data = anon.get("/nodeinfo/2.0").json()
    assert data["version"] == "2.0"
    assert data["software"]["name"] == "shutter"
    assert {"users", "localPosts"} <= set(data["usage"])
