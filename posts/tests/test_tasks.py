"""post_image_variants_make: display and thumbnail files, made once."""

import pytest
from PIL import Image

from core import images as media
from posts.models import PostImage
from posts.tasks import post_image_variants_make
from posts.tests.factories import PostFactory, media_files, photo_upload

pytestmark = pytest.mark.django_db


def fresh(image):
    # Not refresh_from_db(): re-setting an ImageField makes Django reopen the file for its size.
    return PostImage.objects.get(pk=image.pk)


def size_of(field):
    with field.open("rb") as f, Image.open(f) as img:
        return img.format, img.size


@pytest.fixture
def image():
    post = PostFactory(images=0)
    return PostImage.objects.create(post=post, image=photo_upload(size=(1600, 1200)))


def test_task_makes_display_and_thumbnail_files(image):
    post_image_variants_make(image.pk)

    image = fresh(image)
    assert size_of(image.display) == ("JPEG", (1080, 810))
    assert size_of(image.thumbnail) == ("JPEG", (320, 320))
    assert image.display.name.startswith("posts/")  # random names: test_media_names.py


def test_task_does_not_upscale_a_small_image():
    image = PostFactory().images.get()  # 64 x 48

    post_image_variants_make(image.pk)

    assert size_of(fresh(image).display) == ("JPEG", (64, 48))


def test_task_run_twice_changes_nothing_the_second_time(image):
    post_image_variants_make(image.pk)
    image = fresh(image)
    files = media_files()

    post_image_variants_make(image.pk)

    again = fresh(image)
    assert (again.display.name, again.thumbnail.name) == (image.display.name, image.thumbnail.name)
    assert media_files() == files


def test_task_for_a_deleted_image_does_nothing():
    post_image_variants_make(987654)

    assert media_files() == []


def test_task_that_loses_a_race_keeps_the_winners_files_and_drops_its_own(image, monkeypatch):
    real_display_variant = media.display_variant

    def another_worker_finishes_first(img):
        PostImage.objects.filter(pk=image.pk).update(display="winner.jpg", thumbnail="winner_t.jpg")
        return real_display_variant(img)

    monkeypatch.setattr(media, "display_variant", another_worker_finishes_first)

    post_image_variants_make(image.pk)

    image = fresh(image)
    assert (image.display.name, image.thumbnail.name) == ("winner.jpg", "winner_t.jpg")
    assert media_files() == [image.image.name]


def test_task_for_an_image_whose_original_is_gone_gives_up_quietly(image):
    image.image.storage.delete(image.image.name)

    post_image_variants_make.delay(image.pk)  # eager here, so a retry would raise

    assert not PostImage.objects.get(pk=image.pk).display
    assert media_files() == []
