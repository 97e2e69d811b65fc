"""POST /api/v1/posts/ and GET, PATCH, DELETE /api/v1/posts/<id>/ as an API client sees them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client as api
from posts.models import Post, PostImage
from posts.tests.factories import media_files, photo_upload, upload
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("api:post-create")


def detail(post):
    return reverse("api:post-detail", args=[post.pk])


def create(user, **data):
    return api(user).post(CREATE, data, format="multipart")


def photos(count):
    return [photo_upload(f"photo{i}.jpg", seed=i, size=(120, 90)) for i in range(count)]


def nothing_stored():
    return not Post.objects.exists() and not PostImage.objects.exists() and media_files() == []


@pytest.fixture
def author():
    return UserFactory(username="ada", display_name="Ada L.")


def published(author, count=1, **data):
    response = create(author, images=photos(count), **data)
    assert response.status_code == 201, response.content
    return Post.objects.get(pk=response.json()["id"])


# --- Create ------------------------------------------------------------------------------------


def test_creating_a_post_answers_201_with_the_post_as_everyone_will_see_it(author):
    response = create(author, images=photos(2), alt_texts=["A red sofa", ""], caption="Moving day")

    assert response.status_code == 201
    body = response.json()
    post = Post.objects.get()
    assert body["id"] == post.pk
    assert body["author"] == {"username": "ada", "display_name": "Ada L.", "avatar_url": None}
    assert body["caption"] == "Moving day"
    assert [image["alt_text"] for image in body["images"]] == ["A red sofa", ""]
    assert [(image["width"], image["height"]) for image in body["images"]] == [(120, 90)] * 2
    assert body["like_count"] == 0
    assert body["comment_count"] == 0
    assert body["liked"] is False
    assert body["saved"] is False
    assert body["created_at"]
    assert body["edited_at"] is None
    assert author.posts.count() == 1


def test_image_urls_are_absolute_and_fall_back_to_the_original_until_variants_exist(author):
    body = create(author, images=photos(1)).json()

    image = body["images"][0]
    original = PostImage.objects.get().image.url
    assert image["url"] == f"http://testserver{original}"
    assert image["display_url"] == image["url"]
    assert image["thumbnail_url"] == image["url"]


def test_images_get_their_own_display_and_thumbnail_urls_once_variants_are_made(
    author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_id = create(author, images=photos(1)).json()["id"]

    image = api(author).get(reverse("api:post-detail", args=[post_id])).json()["images"][0]
    stored = PostImage.objects.get()
    assert image["display_url"] == f"http://testserver{stored.display.url}"
    assert image["thumbnail_url"] == f"http://testserver{stored.thumbnail.url}"
    assert len({image["url"], image["display_url"], image["thumbnail_url"]}) == 3


def test_creating_a_post_ignores_the_read_only_fields_a_client_sends(author):
    someone_else = UserFactory()

    response = create(
        author,
        images=photos(1),
        caption="Mine",
        author=someone_else.username,
        id=999,
        like_count=50,
        comment_count=7,
        liked="true",
        created_at="2001-01-01T00:00:00Z",
    )

    assert response.status_code == 201
    body = response.json()
    post = Post.objects.get()
    assert (post.author, post.like_count, post.comment_count) == (author, 0, 0)
    assert body["id"] == post.pk != 999
    assert body["author"]["username"] == "ada"
    assert (body["like_count"], body["liked"]) == (0, False)
    assert post.created_at.year == timezone.now().year


def test_creating_a_post_needs_an_account():
    response = api().post(CREATE, {"images": photos(1)}, format="multipart")

    assert response.status_code == 401
    assert nothing_stored()


def test_creating_a_post_from_json_is_refused_as_unsupported(author):
    response = api(author).post(CREATE, {"caption": "no files"}, format="json")

    assert response.status_code == 415
    assert nothing_stored()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"caption": "No photo"}, "images", "Add at least one image."),
        ({"images": [upload("notes.jpg", b"just some text")]}, "images", "notes.jpg is not an"),
        ({"images": [upload("empty.png", b"")]}, "images", "empty.png is not an"),
        ({"images": "photo.jpg"}, "images", "not a file"),
        ({"caption": "x" * 2201}, "caption", "at most 2200 characters; this one has 2201"),
        ({"alt_texts": ["y" * 1001]}, "alt_texts", "photo0.jpg has 1001 characters"),
        ({"alt_texts": ["a", "b"]}, "alt_texts", "2 alt texts for 1 images"),
    ],
    ids=[
        "no-images",
        "not-an-image",
        "empty-file",
        "not-a-file",
        "overlong-caption",
        "overlong-alt",
        "extra-alt",
    ],
)
def test_each_invalid_post_names_the_field_and_stores_nothing(author, data, field, message):
    if field != "images":
        data = {"images": photos(1), **data}

    response = create(author, **data)

    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert message in " ".join(body[field])
    assert nothing_stored()


def test_a_too_big_image_is_named_with_its_size_and_the_limit(author, settings):
    settings.SHUTTER = {**settings.SHUTTER, "MAX_IMAGE_BYTES": 15 * 1024}
    big = upload("huge.jpg", photo_upload(size=(400, 300)).read() + b"\0" * 20_000)

    response = create(author, images=[photos(1)[0], big])

    assert response.status_code == 400
    (message,) = response.json()["images"]
    assert message.startswith("huge.jpg is ")
    assert message.endswith("MB; the limit is 0.0146484 MB per image.")
    assert nothing_stored()


def test_eleven_images_are_refused_saying_the_limit(author):
    response = create(author, images=photos(11))

    assert response.status_code == 400
    assert response.json() == {"images": ["A post can have at most 10 images; you chose 11."]}
    assert nothing_stored()


def test_every_bad_file_is_named_at_once(author):
    response = create(
        author, images=[upload("a.gif", b"GIF89a..."), photos(1)[0], upload("b.txt", b"hello")]
    )

    assert response.status_code == 400
    messages = response.json()["images"]
    assert len(messages) == 2
    assert messages[0].startswith("a.gif ") and messages[1].startswith("b.txt ")
    assert nothing_stored()


def test_post_creation_is_throttled_with_retry_after(author, tight_rate):
    tight_rate("post_create", "2/hour")
    statuses = [create(author, images=photos(1)).status_code for _ in range(3)]
    # Reading is not posting: the post_create rate is for writes only.
    post = Post.objects.first()
    read = api(author).get(detail(post))

    assert statuses == [201, 201, 429]
    assert read.status_code == 200
    assert Post.objects.count() == 2


# --- Read --------------------------------------------------------------------------------------


def test_anyone_may_read_a_public_post(author):
    post = published(author, caption="Hello")

    response = api().get(detail(post))

    assert response.status_code == 200
    assert response.json()["caption"] == "Hello"


def test_the_caller_sees_whether_they_liked_and_saved_the_post(author):
    post = published(author)
    reader = UserFactory()
    api(reader).post(reverse("api:post-like", args=[post.pk]))
    api(reader).post(reverse("api:post-save", args=[post.pk]))

    mine = api(reader).get(detail(post)).json()
    anonymous = api().get(detail(post)).json()

    assert (mine["liked"], mine["saved"], mine["like_count"]) == (True, True, 1)
    assert (anonymous["liked"], anonymous["saved"], anonymous["like_count"]) == (False, False, 1)


@pytest.mark.parametrize(
    ("reader", "status"),
    [("owner", 200), ("follower", 200), ("stranger", 404), ("anonymous", 404)],
)
def test_a_private_post_is_only_readable_by_its_owner_and_followers(reader, status):
    owner = UserFactory(private=True)
    post = published(owner)
    readers = {"owner": owner, "follower": UserFactory(), "stranger": UserFactory()}
    FollowFactory(follower=readers["follower"], following=owner)

    response = api(readers.get(reader)).get(detail(post))

    assert response.status_code == status


@pytest.mark.parametrize("direction", ["author-blocked-reader", "reader-blocked-author"])
def test_a_post_across_a_block_is_not_found(author, direction):
    post = published(author)
    reader = UserFactory()
    if direction == "author-blocked-reader":
        BlockFactory(blocker=author, blocked=reader)
    else:
        BlockFactory(blocker=reader, blocked=author)

    response = api(reader).get(detail(post))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_removed_post_or_a_suspended_authors_post_is_not_found(author):
    removed = published(author)
    Post.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    other = UserFactory()
    suspended = published(other)
    type(other).objects.filter(pk=other.pk).update(suspended_at=timezone.now())

    assert api(author).get(detail(removed)).status_code == 404
    assert api().get(detail(suspended)).status_code == 404


def test_an_unknown_post_is_not_found_in_json():
    response = api().get(reverse("api:post-detail", args=[987654]))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- Edit --------------------------------------------------------------------------------------


def test_the_author_edits_caption_and_alt_texts_and_gets_the_post_back(author):
    post = published(author, count=2, caption="Before")

    response = api(author).patch(
        detail(post), {"caption": "After #sunset", "alt_texts": ["Sea", "Sky"]}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["caption"] == "After #sunset"
    assert [image["alt_text"] for image in body["images"]] == ["Sea", "Sky"]
    assert body["edited_at"] is not None
    post.refresh_from_db()
    assert post.caption == "After #sunset"
    assert list(post.hashtags.values_list("name", flat=True)) == ["sunset"]


def test_editing_only_the_caption_keeps_the_alt_texts(author):
    post = published(author, alt_texts=["Sea"], caption="Before")

    response = api(author).patch(detail(post), {"caption": "After"}, format="json")

    assert response.json()["images"][0]["alt_text"] == "Sea"


def test_editing_ignores_the_read_only_fields_a_client_sends(author):
    post = published(author, caption="Before")
    someone_else = UserFactory()

    response = api(author).patch(
        detail(post),
        {"id": 999, "author": someone_else.pk, "like_count": 40, "caption": "After"},
        format="json",
    )

    assert response.status_code == 200
    post.refresh_from_db()
    assert (post.pk, post.author, post.like_count, post.caption) == (
        response.json()["id"],
        author,
        0,
        "After",
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"caption": "x" * 2201}, "caption"),
        ({"alt_texts": ["y" * 1001]}, "alt_texts"),
        ({"alt_texts": ["a", "b"]}, "alt_texts"),
        ({"caption": None}, "caption"),
    ],
    ids=["overlong-caption", "overlong-alt", "extra-alt", "null-caption"],
)
def test_an_invalid_edit_names_the_field_and_changes_nothing(author, data, field):
    post = published(author, caption="Before")

    response = api(author).patch(detail(post), data, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    post.refresh_from_db()
    assert (post.caption, post.edited_at) == ("Before", None)


@pytest.mark.parametrize(
    ("reader", "status"),
    [("follower", 403), ("stranger", 404), ("blocked", 404), ("anonymous", 401)],
)
def test_only_the_author_may_edit_a_post(reader, status):
    owner = UserFactory(private=True)
    post = published(owner, caption="Before")
    readers = {"follower": UserFactory(), "stranger": UserFactory(), "blocked": UserFactory()}
    FollowFactory(follower=readers["follower"], following=owner)
    FollowFactory(follower=readers["blocked"], following=owner)
    BlockFactory(blocker=owner, blocked=readers["blocked"])

    response = api(readers.get(reader)).patch(detail(post), {"caption": "Hacked"}, format="json")

    assert response.status_code == status
    post.refresh_from_db()
    assert post.caption == "Before"


def test_a_stranger_who_can_see_a_public_post_is_refused_with_403(author):
    post = published(author, caption="Before")

    response = api(UserFactory()).patch(detail(post), {"caption": "Hacked"}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the author can change this post."}


# --- Delete ------------------------------------------------------------------------------------


def test_the_author_deletes_a_post_and_it_is_gone(author):
    post = published(author)

    response = api(author).delete(detail(post))

    assert response.status_code == 204
    assert not Post.objects.exists()
    assert api(author).get(detail(post)).status_code == 404
    author.refresh_from_db()
    assert author.post_count == 0


def test_the_author_may_delete_a_post_that_moderators_removed(author):
    post = published(author)
    Post.objects.filter(pk=post.pk).update(removed_at=timezone.now())

    assert api(author).delete(detail(post)).status_code == 204
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("follower", 403),
        ("public-stranger", 403),
        ("stranger", 404),
        ("blocked", 404),
        ("anonymous", 401),
    ],
)
def test_only_the_author_may_delete_a_post(reader, status):
    owner = UserFactory(private=reader != "public-stranger")
    post = published(owner)
    readers = {
        "follower": UserFactory(),
        "public-stranger": UserFactory(),
        "stranger": UserFactory(),
        "blocked": UserFactory(),
    }
    FollowFactory(follower=readers["follower"], following=owner)
    BlockFactory(blocker=readers["blocked"], blocked=owner)

    response = api(readers.get(reader)).delete(detail(post))

    assert response.status_code == status
    assert Post.objects.filter(pk=post.pk).exists()
