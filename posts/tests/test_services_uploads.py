"""Uploads before their post (posts.services.uploads): the same checks as post_create, files
that become the post's, and nothing left half-way."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from core.images import perceptual_hash, upload_decode, upload_open
from posts.models import MediaUpload, Post, PostImage
from posts.services.uploads import (
    media_upload_create,
    media_upload_update,
    post_create_from_uploads,
)
from posts.tests.factories import media_files, photo_upload
from social.moderation.models import BannedImage

pytestmark = pytest.mark.django_db


def test_an_upload_spends_the_hourly_budget_like_a_post(settings):
    settings.SHUTTER = {**settings.SHUTTER, "UPLOAD_PIXELS_PER_HOUR": 640 * 480 + 10}
    owner = UserFactory()
    media_upload_create(owner=owner, upload=photo_upload())

    with pytest.raises(ValidationError) as refused:
        media_upload_create(owner=owner, upload=photo_upload(seed=1))

    assert getattr(refused.value, "retry_after", None)
    assert MediaUpload.objects.count() == 1


def test_a_banned_image_is_refused_as_an_upload_too():
    opened = upload_open(photo_upload(seed=7), label="x")
    BannedImage.objects.create(phash=perceptual_hash(upload_decode(opened)))

    with pytest.raises(ValidationError, match="removed by our moderators"):
        media_upload_create(owner=UserFactory(), upload=photo_upload(seed=7))

    assert not MediaUpload.objects.exists()
    assert media_files() == []


def test_too_long_an_alt_text_or_a_bad_focus_is_refused_before_storing():
    owner = UserFactory()

    with pytest.raises(ValidationError):
        media_upload_create(owner=owner, upload=photo_upload(), alt_text="x" * 1001)
    with pytest.raises(ValidationError):
        media_upload_create(owner=owner, upload=photo_upload(), focus="left")

    assert media_files() == []


def test_only_the_owner_updates_an_upload():
    row = media_upload_create(owner=UserFactory(), upload=photo_upload())

    with pytest.raises(MediaUpload.DoesNotExist):
        media_upload_update(owner=UserFactory(), upload_id=row.pk, alt_text="mine")


def test_more_than_ten_uploads_make_no_post(committed):
    owner = UserFactory()
    ids = [media_upload_create(owner=owner, upload=photo_upload(size=(8, 8))).pk for _ in range(11)]

    with pytest.raises(ValidationError, match="at most 10"):
        post_create_from_uploads(author=owner, upload_ids=ids)

    assert not Post.objects.exists()
    assert MediaUpload.objects.count() == 11


def test_a_post_from_uploads_keeps_their_files_and_order():
    owner = UserFactory()
    first = media_upload_create(owner=owner, upload=photo_upload(), alt_text="first")
    second = media_upload_create(owner=owner, upload=photo_upload(seed=2))

    post = post_create_from_uploads(author=owner, upload_ids=[second.pk, first.pk], caption="Hi")

    images = list(PostImage.objects.filter(post=post).order_by("position"))
    assert [i.image.name for i in images] == [second.image.name, first.image.name]
    assert [i.alt_text for i in images] == ["", "first"]
    assert (images[0].width, images[0].height) == (640, 480)
    assert not MediaUpload.objects.exists()
