"""/media/<name>: every photo file answers only to whoever may see its post, as a stranger finds.

Issue 9, finding 3: anyone with the URL got a private post's original, display and thumbnail,
also after a block or a moderator's removal. Each test fetches the files over HTTP, signed out,
with a session, or with an API token, as a browser or an app would.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from rest_framework.authtoken.models import Token

from accounts.services import user_profile_update
from accounts.tests.factories import UserFactory
from posts.services import post_create
from posts.tests.factories import image_upload, photo_upload
from social.graph.services import block_create
from social.moderation.services import post_remove, post_restore, user_suspend
from social.tests.factories import FollowFactory
from social.tests.moderation_helpers import moderator_make

pytestmark = pytest.mark.django_db

IMMUTABLE = "public, max-age=31536000, immutable"
PRIVATE = "private, max-age=3600"
FILES = ["image", "display", "thumbnail"]
ACCEL = "/_protected_media/"


@pytest.fixture
def owner():
    return UserFactory(username="owner", private=True)


@pytest.fixture
def follower(owner):
    user = UserFactory(username="follower")
    FollowFactory(follower=user, following=owner)
    return user


@pytest.fixture
def stranger():
    return UserFactory(username="stranger")


@pytest.fixture
def photo_of(committed):
    """photo_of(author): the first image of a new post by `author`, variants made."""

    def make(author):
        with committed():
            post = post_create(author=author, images=[photo_upload("p.jpg", seed=3)])
        image = post.images.get()
        assert image.display and image.thumbnail
        return image

    return make


@pytest.fixture
def image(owner, photo_of):
    return photo_of(owner)


def url_of(image, which):
    return getattr(image, which).url


def get(client, url, user=None, *, token=False):
    """GET `url` as `user`: signed out (None), with a session, or with their API token."""
    client.logout()
    headers = {}
    if user is not None and token:
        key = Token.objects.get_or_create(user=user)[0].key
        headers["Authorization"] = f"Token {key}"
    elif user is not None:
        client.force_login(user)
    return client.get(url, headers=headers)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def stored_bytes(field):
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


# --- Private accounts --------------------------------------------------------------------------


@pytest.mark.parametrize("which", FILES)
def test_a_private_posts_files_are_404_to_a_visitor_and_to_a_signed_in_stranger(
    client, image, stranger, which
):
    url = url_of(image, which)

    for response in (
        get(client, url),
        get(client, url, stranger),
        get(client, url, stranger, token=True),
    ):
        assert response.status_code == 404
        assert response["Cache-Control"] == "no-store"
        assert body(response) == b"Not found."


@pytest.mark.parametrize("which", FILES)
def test_the_owner_and_an_accepted_follower_get_a_private_posts_files_kept_private(
    client, image, owner, follower, which
):
    url = url_of(image, which)

    for user, token in ((owner, False), (follower, False), (follower, True)):
        response = get(client, url, user, token=token)
        assert response.status_code == 200, (user, token)
        assert body(response) == stored_bytes(getattr(image, which))
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == PRIVATE
        assert {"Cookie", "Authorization"} <= {v.strip() for v in response["Vary"].split(",")}


def test_a_pending_follow_request_does_not_open_the_files(client, image, owner):
    requester = UserFactory()
    FollowFactory(follower=requester, following=owner, status="pending")

    assert get(client, image.image.url, requester).status_code == 404


def test_a_follower_the_owner_blocks_loses_file_urls_they_loaded_before(
    client, image, owner, follower
):
    urls = [url_of(image, which) for which in FILES]
    assert [get(client, url, follower).status_code for url in urls] == [200, 200, 200]

    block_create(blocker=owner, blocked=follower)

    assert [get(client, url, follower).status_code for url in urls] == [404, 404, 404]
    assert [get(client, url, follower, token=True).status_code for url in urls] == [404] * 3


def test_blocking_the_author_hides_their_public_files_from_the_blocker_too(client, photo_of):
    author, reader = UserFactory(), UserFactory()
    image = photo_of(author)
    assert get(client, image.image.url, reader).status_code == 200

    block_create(blocker=reader, blocked=author)

    assert get(client, image.image.url, reader).status_code == 404
    assert get(client, image.image.url).status_code == 200  # still public to everyone else


def test_an_account_going_private_closes_its_files_to_strangers(client, photo_of):
    author, reader = UserFactory(), UserFactory()
    image = photo_of(author)
    assert get(client, image.thumbnail.url, reader).status_code == 200

    author.is_private = True
    author.save(update_fields=["is_private"])

    assert get(client, image.thumbnail.url, reader).status_code == 404
    assert get(client, image.thumbnail.url).status_code == 404


# --- Public posts ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", FILES)
def test_a_public_posts_files_load_for_everyone_and_are_cacheable_for_a_year(
    client, photo_of, stranger, which
):
    image = photo_of(UserFactory())
    url = url_of(image, which)

    for user, token in ((None, False), (stranger, False), (stranger, True)):
        response = get(client, url, user, token=token)
        assert response.status_code == 200
        assert body(response) == stored_bytes(getattr(image, which))
        assert response["Cache-Control"] == IMMUTABLE
        # The same bytes for everyone: nothing tells a shared cache to keep one per visitor.
        assert not response.has_header("Vary"), response["Vary"]
        assert not response.cookies


# --- Moderation --------------------------------------------------------------------------------


def test_a_post_a_moderator_removed_is_404_to_everyone_but_moderators(client, photo_of):
    author, reader, moderator = UserFactory(), UserFactory(), moderator_make()
    image = photo_of(author)
    urls = [url_of(image, which) for which in FILES]

    post_remove(moderator=moderator, post=image.post, reason="spam")

    for user in (None, reader, author):
        assert [get(client, url, user).status_code for url in urls] == [404] * 3, user
    # The moderators judge (and may restore) it by its pictures in the admin.
    response = get(client, urls[0], moderator)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE

    post_restore(moderator=moderator, post=image.post, reason="appeal")

    assert get(client, urls[0]).status_code == 200


def test_a_suspended_authors_files_and_avatar_are_404_until_a_moderator_looks(
    client, image, owner, follower
):
    moderator = moderator_make()
    user_profile_update(user=owner, avatar=image_upload("me.png", size=(400, 400)))
    urls = [url_of(image, which) for which in FILES] + [owner.avatar.url]

    user_suspend(moderator=moderator, user=owner, reason="spam")

    for user in (None, follower):
        assert [get(client, url, user).status_code for url in urls] == [404] * 4, user
    assert [get(client, url, moderator).status_code for url in urls] == [200] * 4


# --- Avatars -----------------------------------------------------------------------------------


def test_an_avatar_is_public_even_on_a_private_account(client, owner, stranger):
    user_profile_update(user=owner, avatar=image_upload("me.png", size=(400, 400)))

    for user in (None, stranger):
        response = get(client, owner.avatar.url, user)
        assert response.status_code == 200
        assert body(response) == stored_bytes(owner.avatar)
        assert response["Cache-Control"] == IMMUTABLE
        assert not response.has_header("Vary")


# --- Behind nginx (X-Accel-Redirect) -----------------------------------------------------------


def test_with_an_accel_prefix_an_allowed_file_is_handed_to_nginx_with_its_headers(
    client, settings, image, follower
):
    settings.SHUTTER_MEDIA_ACCEL_PREFIX = ACCEL

    response = get(client, image.display.url, follower)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"{ACCEL}{image.display.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == PRIVATE


def test_with_an_accel_prefix_a_public_file_keeps_its_year_long_cache(client, settings, photo_of):
    settings.SHUTTER_MEDIA_ACCEL_PREFIX = ACCEL
    image = photo_of(UserFactory())

    response = get(client, image.thumbnail.url)

    assert response["X-Accel-Redirect"] == f"{ACCEL}{image.thumbnail.name}"
    assert response["Cache-Control"] == IMMUTABLE


def test_with_an_accel_prefix_a_denied_file_is_a_404_that_names_no_path(
    client, settings, image, stranger
):
    settings.SHUTTER_MEDIA_ACCEL_PREFIX = ACCEL

    for user in (None, stranger):
        response = get(client, image.image.url, user)
        assert response.status_code == 404
        assert not response.has_header("X-Accel-Redirect")
        assert image.image.name.encode() not in response.content


# --- Names that lead nowhere -------------------------------------------------------------------


def test_a_hidden_file_and_a_missing_one_get_the_very_same_answer(client, image, stranger):
    hidden = get(client, image.image.url, stranger)
    missing = get(client, image.image.url.replace(image.image.name[-10:], "0123456789"), stranger)

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert sorted(hidden.headers.items()) == sorted(missing.headers.items())


def test_a_file_on_disk_that_no_post_or_avatar_holds_is_not_served(client):
    for name in ("posts/ab/stray.jpg", "demo/pool/sunset-0.jpg", "avatars/x/y.jpg"):
        stored = default_storage.save(name, ContentFile(b"\xff\xd8 bytes"))
        assert get(client, f"/media/{stored}").status_code == 404


def test_a_row_whose_file_storage_lost_is_a_404_not_a_500(client, photo_of):
    image = photo_of(UserFactory())
    default_storage.delete(image.display.name)

    assert get(client, image.display.url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/../config/settings/base.py",
        "/media/%2e%2e/config/settings/base.py",
        "/media/%2E%2E%2Fconfig%2Fsettings%2Fbase.py",
        "/media/posts/../../manage.py",
        "/media/posts/%2e%2e/%2e%2e/manage.py",
        "/media/..%5Cmanage.py",
        "/media//etc/passwd",
        "/media/posts/./ab/x.jpg",
        "/media/" + "a/" * 60 + "x.jpg",
    ],
)
def test_paths_that_climb_out_of_the_media_folder_are_404(client, image, path):
    response = get(client, path)

    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.content and b"django" not in response.content


def test_a_traversal_through_a_real_files_folder_is_404_too(client, photo_of):
    image = photo_of(UserFactory())
    folder = image.image.name.rsplit("/", 1)[0]

    response = get(client, f"/media/{folder}/../../../config/settings/base.py")

    assert response.status_code == 404


# --- Cost ---------------------------------------------------------------------------------------


def test_deciding_takes_one_indexed_query_and_reads_no_session_for_a_public_avatar(
    client, photo_of, owner, follower, django_assert_num_queries
):
    image = photo_of(UserFactory())
    user_profile_update(user=owner, avatar=image_upload("me.png", size=(400, 400)))
    private = photo_of(owner)
    key = Token.objects.get_or_create(user=follower)[0].key

    with django_assert_num_queries(1):  # the post, through its file's name, if visible
        assert client.get(image.image.url).status_code == 200
    with django_assert_num_queries(1):  # the avatar's account, if active
        assert client.get(owner.avatar.url).status_code == 200
    # An app: the token and its account, then the post as above.
    with django_assert_num_queries(2):
        response = client.get(private.image.url, headers={"Authorization": f"Token {key}"})
        assert response.status_code == 200


def test_head_answers_like_get_and_writes_are_refused(client, image, follower, stranger):
    client.force_login(follower)
    head = client.head(image.image.url)
    assert head.status_code == 200 and head["Cache-Control"] == PRIVATE
    assert client.post(image.image.url).status_code == 405

    client.force_login(stranger)
    assert client.head(image.image.url).status_code == 404
