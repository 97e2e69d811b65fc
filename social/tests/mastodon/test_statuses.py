"""Statuses and media through the Mastodon API: posting with uploaded media, replies as
comments, reading, editing, deleting, favourites, bookmarks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from posts.models import Comment, Like, MediaUpload, Post, PostImage, SavedPost
from posts.services.uploads import media_upload_variants_create, media_uploads_prune
from posts.tests.factories import (
    CommentFactory,
    PostFactory,
    media_files,
    photo_upload,
    upload,
)
from social.mastodon.entities import status_id_of_comment
from social.tests.mastodon.helpers import NOT_FOUND, client_for, post_status, upload_media

pytestmark = pytest.mark.django_db


# --- Media -------------------------------------------------------------------------------------


def test_v2_media_is_202_while_its_variants_are_being_made_then_200(api):
    # Without `committed`, the worker's job waits: the variants are not made yet.
    response = api.post("/api/v2/media", {"file": photo_upload()}, format="multipart")

    assert response.status_code == 202
    data = response.json()
    assert data["url"] is None and data["type"] == "image"
    pending = api.get(f"/api/v1/media/{data['id']}")
    assert pending.status_code == 206

    # The worker runs.
    media_upload_variants_create(upload_id=int(data["id"]))
    done = api.get(f"/api/v1/media/{data['id']}")
    assert done.status_code == 200
    assert done.json()["url"].startswith("http://testserver/media/posts/")
    assert done.json()["preview_url"] != done.json()["url"]


def test_v1_media_answers_200(api):
    response = api.post("/api/v1/media", {"file": photo_upload()}, format="multipart")

    assert response.status_code == 200


def test_media_that_is_no_image_is_422_and_stores_nothing(api):
    response = api.post(
        "/api/v2/media", {"file": upload("notes.jpg", b"not an image")}, format="multipart"
    )

    assert response.status_code == 422
    assert "error" in response.json()
    assert not MediaUpload.objects.exists()
    assert media_files() == []


def test_media_without_a_file_is_422(api):
    assert api.post("/api/v2/media", {}, format="multipart").status_code == 422


def test_put_media_sets_description_and_focus(api, committed):
    media = upload_media(api, committed)

    response = api.put(
        f"/api/v1/media/{media['id']}", {"description": "A cat", "focus": "-0.5,0.5"}
    )

    assert response.status_code == 200
    assert response.json()["description"] == "A cat"
    assert response.json()["meta"]["focus"] == {"x": -0.5, "y": 0.5}
    assert api.put(f"/api/v1/media/{media['id']}", {"focus": "9,9"}).status_code == 422


def test_someone_elses_upload_is_not_found(api, committed):
    media = upload_media(client_for(UserFactory()), committed)

    assert api.get(f"/api/v1/media/{media['id']}").json() == NOT_FOUND
    assert api.put(f"/api/v1/media/{media['id']}", {"description": "x"}).status_code == 404
    with committed():
        response = api.post("/api/v1/statuses", {"status": "mine?", "media_ids[]": [media["id"]]})
    assert response.status_code == 422
    assert not Post.objects.exists()


def test_an_unused_upload_file_is_only_its_owners(api, me, committed, client):
    media = api.get(f"/api/v1/media/{upload_media(api, committed)['id']}").json()
    paths = [media[key].removeprefix("http://testserver") for key in ("url", "preview_url")]

    for path in paths:
        assert client.get(path).status_code == 404
        client.force_login(UserFactory())
        assert client.get(path).status_code == 404
        client.force_login(me)
        assert client.get(path).status_code == 200
        client.logout()


def test_unused_uploads_are_pruned_with_their_files(api, committed):
    upload_media(api, committed)
    assert media_files()
    MediaUpload.objects.update(created_at=timezone.now() - timedelta(days=2))

    with committed():
        assert media_uploads_prune() == 1

    assert not MediaUpload.objects.exists()
    assert media_files() == []


# --- Creating ----------------------------------------------------------------------------------


def test_a_status_with_media_becomes_a_post(api, me, committed):
    first = upload_media(api, committed, description="one")
    second = upload_media(api, committed)

    with committed():
        response = api.post(
            "/api/v1/statuses",
            {"status": "Two #photos", "media_ids": [second["id"], first["id"]]},
            format="json",
        )

    assert response.status_code == 200
    post = Post.objects.get(author=me)
    assert post.caption == "Two #photos"
    images = list(post.images.order_by("position"))
    assert [i.alt_text for i in images] == ["", "one"]
    assert all(i.display and i.thumbnail for i in images)
    # The uploads became the post's images: no upload and no file left behind.
    assert not MediaUpload.objects.exists()
    stored = set(media_files())
    names = {f.name for i in images for f in (i.image, i.display, i.thumbnail)}
    assert stored == names
    me.refresh_from_db()
    assert me.post_count == 1


def test_a_status_without_media_is_422_in_mastodons_shape(api):
    response = api.post("/api/v1/statuses", {"status": "Just words"})

    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Add at least one image."}
    assert not Post.objects.exists()


def test_an_upload_can_go_into_one_status_only(api, committed):
    media = upload_media(api, committed)
    with committed():
        api.post("/api/v1/statuses", {"status": "one", "media_ids[]": [media["id"]]})

    response = api.post("/api/v1/statuses", {"status": "two", "media_ids[]": [media["id"]]})

    assert response.status_code == 422
    assert Post.objects.count() == 1


def test_too_long_a_status_is_422(api, committed):
    media = upload_media(api, committed)

    response = api.post("/api/v1/statuses", {"status": "x" * 3000, "media_ids[]": [media["id"]]})

    assert response.status_code == 422
    assert MediaUpload.objects.count() == 1


def test_a_reply_comments_on_the_post(api, me, committed):
    author = UserFactory()
    post = PostFactory(author=author)

    with committed():
        response = api.post(
            "/api/v1/statuses", {"status": "Nice @me", "in_reply_to_id": str(post.pk)}
        )

    assert response.status_code == 200
    comment = Comment.objects.get()
    assert (comment.post_id, comment.author_id, comment.text) == (post.pk, me.pk, "Nice @me")
    assert response.json()["id"] == status_id_of_comment(comment.pk)


def test_a_reply_to_a_comment_comments_on_its_post(api, committed):
    comment = CommentFactory()

    with committed():
        response = api.post(
            "/api/v1/statuses",
            {"status": "Agreed", "in_reply_to_id": status_id_of_comment(comment.pk)},
        )

    assert response.status_code == 200
    assert response.json()["in_reply_to_id"] == str(comment.post_id)
    assert Comment.objects.filter(post=comment.post, text="Agreed").exists()


def test_a_reply_cannot_carry_media(api, committed):
    media = upload_media(api, committed)
    post = PostFactory()

    response = api.post(
        "/api/v1/statuses",
        {"status": "x", "in_reply_to_id": str(post.pk), "media_ids[]": [media["id"]]},
    )

    assert response.status_code == 422
    assert not Comment.objects.exists()


def test_a_reply_to_a_hidden_post_is_not_found(api):
    post = PostFactory(author=UserFactory(is_private=True))

    response = api.post("/api/v1/statuses", {"status": "hi", "in_reply_to_id": str(post.pk)})

    assert response.json() == NOT_FOUND
    assert not Comment.objects.exists()


# --- Reading, editing, deleting ------------------------------------------------------------------


def test_get_a_post_and_a_comment(anon):
    comment = CommentFactory()

    assert anon.get(f"/api/v1/statuses/{comment.post_id}").json()["id"] == str(comment.post_id)
    data = anon.get(f"/api/v1/statuses/{status_id_of_comment(comment.pk)}").json()
    assert data["content"] == f"<p>{comment.text}</p>"


@pytest.mark.parametrize("status_id", ["999999", "x1", "-3", status_id_of_comment(999)])
def test_unknown_statuses_are_record_not_found(anon, status_id):
    response = anon.get(f"/api/v1/statuses/{status_id}")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_context_lists_a_posts_comments_and_a_comments_post(anon):
    post = PostFactory()
    comments = [CommentFactory(post=post) for _ in range(2)]

    context = anon.get(f"/api/v1/statuses/{post.pk}/context").json()
    assert context["ancestors"] == []
    assert [d["id"] for d in context["descendants"]] == [
        status_id_of_comment(c.pk) for c in comments
    ]

    context = anon.get(f"/api/v1/statuses/{status_id_of_comment(comments[0].pk)}/context").json()
    assert [a["id"] for a in context["ancestors"]] == [str(post.pk)]
    assert context["descendants"] == []


def test_edit_a_post_caption_and_alt_text(api, me, committed):
    status = post_status(api, committed, "Before")
    image_id = status["media_attachments"][0]["id"]

    response = api.put(
        f"/api/v1/statuses/{status['id']}",
        {"status": "After #edit", "media_attributes": [{"id": image_id, "description": "Alt"}]},
        format="json",
    )

    assert response.status_code == 200
    data = response.json()
    assert data["content"].startswith("<p>After")
    assert data["edited_at"] is not None
    assert data["media_attachments"][0]["description"] == "Alt"
    assert api.get(f"/api/v1/statuses/{status['id']}/source").json() == {
        "id": status["id"],
        "text": "After #edit",
        "spoiler_text": "",
    }


def test_someone_else_cannot_edit_or_delete_a_post(committed):
    post = PostFactory()
    stranger = client_for(UserFactory())

    assert stranger.put(f"/api/v1/statuses/{post.pk}", {"status": "mine"}).status_code == 403
    assert stranger.delete(f"/api/v1/statuses/{post.pk}").status_code == 403
    assert Post.objects.filter(pk=post.pk, caption=post.caption).exists()


def test_delete_a_post_returns_it_with_its_text(api, me, committed):
    status = post_status(api, committed, "Bye")

    with committed():
        response = api.delete(f"/api/v1/statuses/{status['id']}")

    assert response.status_code == 200
    assert response.json()["text"] == "Bye"
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()
    assert media_files() == []


def test_delete_my_comment(api, me):
    comment = CommentFactory(author=me)

    response = api.delete(f"/api/v1/statuses/{status_id_of_comment(comment.pk)}")

    assert response.status_code == 200
    assert not Comment.objects.exists()


# --- Favourites and bookmarks ------------------------------------------------------------------


def test_favourite_and_unfavourite(api, me):
    post = PostFactory()

    data = api.post(f"/api/v1/statuses/{post.pk}/favourite").json()
    assert data["favourited"] is True and data["favourites_count"] == 1
    assert Like.objects.filter(user=me, post=post).exists()
    likers = api.get(f"/api/v1/statuses/{post.pk}/favourited_by").json()
    assert [a["id"] for a in likers] == [str(me.pk)]
    assert [s["id"] for s in api.get("/api/v1/favourites").json()] == [str(post.pk)]

    data = api.post(f"/api/v1/statuses/{post.pk}/unfavourite").json()
    assert data["favourited"] is False and data["favourites_count"] == 0
    assert api.get("/api/v1/favourites").json() == []


def test_a_comment_cannot_be_favourited(api):
    comment = CommentFactory()

    response = api.post(f"/api/v1/statuses/{status_id_of_comment(comment.pk)}/favourite")

    assert response.status_code == 422


def test_bookmark_and_unbookmark(api, me):
    post = PostFactory()

    assert api.post(f"/api/v1/statuses/{post.pk}/bookmark").json()["bookmarked"] is True
    assert SavedPost.objects.filter(user=me, post=post).exists()
    assert [s["id"] for s in api.get("/api/v1/bookmarks").json()] == [str(post.pk)]
    assert api.post(f"/api/v1/statuses/{post.pk}/unbookmark").json()["bookmarked"] is False
    assert api.get("/api/v1/bookmarks").json() == []


def test_reblogs_are_not_supported_and_say_so(api):
    post = PostFactory()

    response = api.post(f"/api/v1/statuses/{post.pk}/reblog")

    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Shutter has no reblogs."}
