"""post_create, post_update and post_delete: what a person posting, editing and deleting gets."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

import posts.services.posts as post_services
from accounts.tests.factories import UserFactory
from posts.models import Hashtag, Mention, Post, PostHashtag, PostImage
from posts.services import post_create, post_delete, post_update
from posts.tests.factories import (
    HashtagFactory,
    image_bytes,
    media_files,
    photo_upload,
    png_of_zeros,
    structured_image,
    upload,
)
from social.notifications.models import Notification
from social.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def stored(image_field):
    with image_field.open("rb") as f:
        img = Image.open(io.BytesIO(f.read()))
        img.load()
    return img


def photos(count):
    return [photo_upload(f"photo{i}.jpg", seed=i) for i in range(count)]


def mentions_notified(user):
    return Notification.objects.filter(recipient=user, kind=Notification.Kind.MENTION)


# --- Creating ------------------------------------------------------------------------------------


def test_post_create_stores_each_image_in_order_with_size_hash_and_alt_text():
    author = UserFactory()

    post = post_create(
        author=author,
        images=[
            photo_upload("a.jpg", seed=1, size=(300, 200)),
            photo_upload("b.png", seed=2, fmt="PNG"),
        ],
        alt_texts=["  A red sofa  "],
        caption="  Moving day  ",
    )

    images = list(post.images.order_by("position"))
    assert post.caption == "Moving day"
    assert [(i.position, i.width, i.height, i.alt_text) for i in images] == [
        (0, 300, 200, "A red sofa"),
        (1, 640, 480, ""),
    ]
    assert all(i.phash is not None for i in images)
    # Random names (posts/tests/test_media_names.py), with the stored format's extension.
    assert images[0].image.name.startswith("posts/") and images[0].image.name.endswith(".jpg")
    assert images[1].image.name.endswith(".png")
    assert stored(images[1].image).format == "PNG"


def test_post_create_counts_the_post_on_the_author():
    author = UserFactory()

    post_create(author=author, images=photos(1))
    post_create(author=author, images=photos(2))

    author.refresh_from_db()
    assert author.post_count == 2


def test_post_create_stores_the_photo_without_exif_or_gps():
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 22.0, 1.5)})
    data = image_bytes(structured_image(), "JPEG", exif=exif)

    post = post_create(author=UserFactory(), images=[upload("home.jpg", data, "image/jpeg")])

    image = post.images.get()
    with image.image.open("rb") as f:
        assert b"Exif" not in f.read()
    assert not stored(image.image).getexif()


def test_post_create_stores_the_photo_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # shot with the phone turned
    data = image_bytes(structured_image(size=(640, 480)), "JPEG", exif=exif)

    image = post_create(author=UserFactory(), images=[upload("turned.jpg", data)]).images.get()

    assert (image.width, image.height) == (480, 640)
    assert stored(image.image).size == (480, 640)


@pytest.mark.parametrize(("fmt", "stored_as"), [("WEBP", "WEBP"), ("HEIF", "JPEG")])
def test_post_create_accepts_webp_and_heic(fmt, stored_as):
    post = post_create(author=UserFactory(), images=[photo_upload("x", fmt=fmt)])

    assert stored(post.images.get().image).format == stored_as


def test_post_create_makes_display_and_thumbnail_once_committed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=UserFactory(), images=[photo_upload(size=(2000, 1500))])
        assert not post.images.get().display  # not before the commit

    image = post.images.get()
    assert stored(image.display).size == (1080, 810)
    assert stored(image.thumbnail).size == (320, 320)


# --- Refusing, and leaving nothing behind --------------------------------------------------------


REFUSED = {
    "pdf-renamed": lambda: [upload("notes.jpg", b"%PDF-1.7\n%%EOF\n", "image/jpeg")],
    "text-renamed": lambda: [upload("readme.jpg", b"just words\n" * 50, "image/jpeg")],
    "over-15-mb": lambda: [
        upload("huge.jpg", image_bytes(structured_image()) + b"\0" * 16_000_000)
    ],
    "over-40-mp": lambda: [upload("pano.png", png_of_zeros(9000, 5000))],
    "bomb": lambda: [upload("bomb.png", png_of_zeros(20000, 20000))],
    "one-bad-among-good": lambda: [*photos(3), upload("notes.jpg", b"%PDF-1.7\n")],
    "none": lambda: [],
    "eleven": lambda: photos(11),
}


@pytest.mark.parametrize("make_images", REFUSED.values(), ids=REFUSED.keys())
def test_post_create_refuses_bad_images_and_stores_nothing(make_images):
    author = UserFactory()

    with pytest.raises(ValidationError) as caught:
        post_create(author=author, images=make_images(), caption="#nope @nobody")

    assert "images" in caught.value.message_dict
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()
    assert not Hashtag.objects.exists()
    assert media_files() == []
    author.refresh_from_db()
    assert author.post_count == 0


def test_post_create_names_the_file_and_the_limit():
    with pytest.raises(ValidationError) as caught:
        post_create(author=UserFactory(), images=[upload("pano.png", png_of_zeros(9000, 5000))])

    assert caught.value.message_dict["images"] == [
        "pano.png is 45.0 megapixels (9000 x 5000); the limit is 40 megapixels per image."
    ]


def test_post_create_lists_every_bad_file_at_once():
    images = [upload("a.jpg", b"nope"), *photos(1), upload("b.jpg", b"nope either")]

    with pytest.raises(ValidationError) as caught:
        post_create(author=UserFactory(), images=images)

    assert [m.split(" ")[0] for m in caught.value.message_dict["images"]] == ["a.jpg", "b.jpg"]


def test_post_create_refuses_eleven_images_saying_the_limit():
    with pytest.raises(ValidationError) as caught:
        post_create(author=UserFactory(), images=photos(11))

    assert caught.value.message_dict["images"] == [
        "A post can have at most 10 images; you chose 11."
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"caption": "x" * 2201}, "caption"),
        ({"alt_texts": ["fine", "y" * 1001]}, "alt_texts"),
        ({"alt_texts": ["one", "two", "three"]}, "alt_texts"),
    ],
    ids=["caption-2201", "alt-text-1001", "more-alt-texts-than-images"],
)
def test_post_create_refuses_overlong_text_and_stores_nothing(fields, field):
    with pytest.raises(ValidationError) as caught:
        post_create(author=UserFactory(), images=photos(2), **fields)

    assert list(caught.value.message_dict) == [field]
    assert not Post.objects.exists()
    assert media_files() == []


def test_post_create_accepts_the_longest_caption_and_alt_text():
    post = post_create(
        author=UserFactory(), images=photos(1), caption="x" * 2200, alt_texts=["y" * 1000]
    )

    assert len(post.caption) == 2200


def test_post_create_removes_written_files_when_the_transaction_fails(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(post_services, "post_hashtags_sync", broken)

    with pytest.raises(RuntimeError):
        post_create(author=UserFactory(), images=photos(3), caption="#cats")

    assert not Post.objects.exists()
    assert media_files() == []


# --- Hashtags and mentions -----------------------------------------------------------------------


def test_post_create_links_hashtags_case_insensitively_stored_lower_case():
    first = post_create(author=UserFactory(), images=photos(1), caption="#Sunset #sunset #BEACH")
    second = post_create(author=UserFactory(), images=photos(1), caption="more #SunSet")

    assert sorted(Hashtag.objects.values_list("name", flat=True)) == ["beach", "sunset"]
    assert sorted(first.hashtags.values_list("name", flat=True)) == ["beach", "sunset"]
    assert list(second.hashtags.values_list("name", flat=True)) == ["sunset"]


def test_post_create_reuses_a_hashtag_typed_with_capitals_elsewhere():
    cats = HashtagFactory(name="Cats")  # e.g. typed in the admin

    post = post_create(author=UserFactory(), images=photos(1), caption="#cats")

    assert list(post.hashtags.all()) == [cats]
    assert Hashtag.objects.count() == 1


def test_post_create_notifies_mentioned_users_once_each(committed):
    author = UserFactory()
    alice = UserFactory(username="Alice")

    with committed():
        post = post_create(author=author, images=photos(1), caption="with @alice and @ALICE.")

    assert list(Mention.objects.values_list("user", "post")) == [(alice.pk, post.pk)]
    assert list(mentions_notified(alice).values_list("actor", "post")) == [(author.pk, post.pk)]


def test_post_create_ignores_unknown_inactive_suspended_and_blocked_users(committed):
    author = UserFactory()
    UserFactory(username="gone", is_active=False)
    UserFactory(username="banned", suspended_at=timezone.now())
    BlockFactory(blocker=UserFactory(username="blocker"), blocked=author)
    UserFactory(username="example.com")

    with committed():
        post_create(
            author=author,
            images=photos(1),
            caption="@nobody @gone @banned @blocker mail me at me@example.com",
        )

    assert not Mention.objects.exists()
    assert not Notification.objects.exists()


def test_post_create_does_not_notify_the_author_of_their_own_mention(committed):
    author = UserFactory(username="me")

    with committed():
        post_create(author=author, images=photos(1), caption="selfie by @me")

    assert not mentions_notified(author).exists()


# --- Editing -------------------------------------------------------------------------------------


@pytest.fixture
def post(bob, committed):
    with committed():
        return post_create(
            author=UserFactory(username="author"),
            images=photos(2),
            alt_texts=["first", "second"],
            caption="hello @bob #old",
        )


@pytest.fixture
def bob():
    return UserFactory(username="bob")


def test_post_update_changes_caption_and_marks_it_edited(post):
    updated = post_update(actor=post.author, post=post, caption="  new words  ")

    post.refresh_from_db()
    assert post.caption == updated.caption == "new words"
    assert post.edited_at is not None


def test_post_update_moves_hashtags_with_the_caption(post):
    post_update(actor=post.author, post=post, caption="now #New and #fresh")

    assert sorted(post.hashtags.values_list("name", flat=True)) == ["fresh", "new"]
    assert Hashtag.objects.filter(name="old").exists()  # the tag stays, without this post
    assert not PostHashtag.objects.filter(hashtag__name="old").exists()


def test_post_update_notifies_new_mentions_and_withdraws_dropped_ones(bob, committed):
    author = UserFactory()
    carol = UserFactory(username="carol")
    with committed():
        post = post_create(author=author, images=photos(1), caption="hi @bob")
    assert mentions_notified(bob).count() == 1

    with committed():
        post_update(actor=author, post=post, caption="hi @carol")

    assert not mentions_notified(bob).exists()
    assert not Mention.objects.filter(user=bob).exists()
    assert mentions_notified(carol).count() == 1


def test_post_update_does_not_notify_a_kept_mention_again(post, bob, committed):
    assert mentions_notified(bob).count() == 1

    with committed():
        post_update(actor=post.author, post=post, caption="still @bob, now #new")

    assert mentions_notified(bob).count() == 1


def test_post_update_changes_alt_texts_in_image_order(post):
    post_update(actor=post.author, post=post, alt_texts=["one", "two"])

    assert list(post.images.values_list("alt_text", flat=True)) == ["one", "two"]
    post.refresh_from_db()
    assert post.caption == "hello @bob #old"
    assert post.edited_at is not None


def test_post_update_without_changes_is_not_an_edit(post):
    post_update(actor=post.author, post=post, caption="hello @bob #old", alt_texts=["first"])

    post.refresh_from_db()
    assert post.edited_at is None


def test_post_update_refuses_overlong_text_and_changes_nothing(post):
    with pytest.raises(ValidationError) as caught:
        post_update(actor=post.author, post=post, caption="x" * 2201, alt_texts=["y" * 1001])

    assert set(caught.value.message_dict) == {"caption", "alt_texts"}
    post.refresh_from_db()
    assert (post.caption, post.edited_at) == ("hello @bob #old", None)


def test_post_update_by_someone_else_is_refused(post):
    with pytest.raises(PermissionDenied):
        post_update(actor=UserFactory(), post=post, caption="hacked")

    post.refresh_from_db()
    assert post.caption == "hello @bob #old"


def test_post_update_of_a_post_one_cannot_see_is_not_found():
    author = UserFactory(is_private=True)
    post = post_create(author=author, images=photos(1))

    with pytest.raises(Post.DoesNotExist):
        post_update(actor=UserFactory(), post=post, caption="hacked")


# --- Deleting ------------------------------------------------------------------------------------


def test_post_delete_removes_the_post_its_rows_and_its_files_after_commit(
    bob, django_capture_on_commit_callbacks
):
    author = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=author, images=photos(2), caption="for @bob")
        other = post_create(author=author, images=photos(1))
    files_before = media_files()
    assert len(files_before) == 3 * 3  # three images, each original + display + thumbnail

    with django_capture_on_commit_callbacks(execute=True):
        post_delete(actor=author, post=post)
        assert media_files() == files_before  # files wait for the commit

    assert not Post.objects.filter(pk=post.pk).exists()
    assert not Mention.objects.exists()
    assert not Notification.objects.exists()
    assert media_files() == sorted(
        f.name for i in other.images.all() for f in (i.image, i.display, i.thumbnail)
    )
    author.refresh_from_db()
    assert author.post_count == 1


def test_post_delete_by_someone_else_is_refused(post):
    with pytest.raises(PermissionDenied):
        post_delete(actor=UserFactory(), post=post)

    assert Post.objects.filter(pk=post.pk).exists()
    post.author.refresh_from_db()
    assert post.author.post_count == 1


def test_post_delete_twice_counts_once(post):
    author = post.author
    post_create(author=author, images=photos(1))

    post_delete(actor=author, post=post)
    post_delete(actor=author, post=post)

    author.refresh_from_db()
    assert author.post_count == 1
