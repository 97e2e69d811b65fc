"""What an upload may cost the server, as a member meets it on every route that takes images:
the new-post page, POST /api/v1/posts/, the settings page's photo and PATCH /api/v1/me/.

Trust finding 6: a 131 KB single-colour 6300 x 6300 PNG was decoded in full (5.4 s, +310 MB
in the request), and avatars had no limit at all.
"""

import pytest
from django.urls import reverse
from PIL import ImageFile

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.models import Post, PostImage
from posts.tests.factories import media_files, photo_upload, single_colour_png, upload

pytestmark = pytest.mark.django_db

NEW = reverse("posts:post-new")
API_CREATE = reverse("api:post-create")
SETTINGS = reverse("accounts:settings")
ME = reverse("api:me")

BOMB_MESSAGE = (
    "bomb.png is 39.7 megapixels (6300 x 6300); the limit is 25 megapixels for a PNG image "
    "(40 for a JPEG)."
)
PHOTO_PIXELS = 120 * 90


@pytest.fixture
def member(client):
    user = UserFactory(username="ada")
    client.force_login(user)
    return user


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any image is decoded: a refusal must come from the header alone."""

    def forbidden(*args, **kwargs):
        pytest.fail("an image was decoded before it was refused")

    monkeypatch.setattr(ImageFile.ImageFile, "load", forbidden)


@pytest.fixture
def hourly_budget(settings):
    """`hourly_budget(pixels)` sets the per-account budget of decoded pixels per hour."""

    def set_budget(pixels):
        settings.SHUTTER = {**settings.SHUTTER, "UPLOAD_PIXELS_PER_HOUR": pixels}

    return set_budget


def bomb():
    return upload("bomb.png", single_colour_png())


def photo(name="photo.jpg", seed=0):
    return photo_upload(name, seed=seed, size=(120, 90))


def profile_form(user, **extra):
    return {"display_name": user.display_name, "bio": "", "website": "", **extra}


def nothing_stored(user):
    user.refresh_from_db()
    return not Post.objects.exists() and not user.avatar and media_files() == []


# --- The pixel cap: refused from the header, before decoding ----------------------------------


def test_the_finding_s_png_is_131_kb_claiming_6300_by_6300_pixels():
    data = single_colour_png()

    assert 125_000 < len(data) < 135_000
    assert data[16:24] == (6300).to_bytes(4, "big") * 2  # IHDR width and height


def test_the_png_bomb_is_refused_on_the_new_post_page_without_decoding(client, member, no_decoding):
    response = client.post(NEW, {"images": [bomb()], "caption": "flat"})

    assert response.status_code == 400
    assert BOMB_MESSAGE in response.content.decode()
    assert nothing_stored(member)


def test_the_png_bomb_is_refused_by_the_api_without_decoding(member, no_decoding):
    response = token_client(member).post(API_CREATE, {"images": [bomb()]}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {"images": [BOMB_MESSAGE]}
    assert nothing_stored(member)


def test_the_png_bomb_is_refused_as_a_profile_photo_on_the_settings_page(
    client, member, no_decoding
):
    response = client.post(SETTINGS, profile_form(member, avatar=bomb()))

    assert response.status_code == 400
    assert BOMB_MESSAGE in response.content.decode()
    assert nothing_stored(member)


def test_the_png_bomb_is_refused_as_an_avatar_by_the_api(member, no_decoding):
    response = token_client(member).patch(ME, {"avatar": bomb()}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {"avatar": [BOMB_MESSAGE]}
    assert nothing_stored(member)


def test_a_jpeg_over_the_decoding_cap_is_decoded_at_a_reduced_scale_and_stored(
    member, settings, hourly_budget
):
    # A 120 x 90 JPEG stands in for a 40 MP one: with the cap below it, libjpeg decodes it at
    # half scale, and half scale is what the budget is charged and what is stored.
    settings.SHUTTER = {**settings.SHUTTER, "MAX_DECODED_PIXELS": 60 * 45}
    hourly_budget(60 * 45)

    response = token_client(member).post(API_CREATE, {"images": [photo()]}, format="multipart")

    assert response.status_code == 201, response.content
    assert [(i["width"], i["height"]) for i in response.json()["images"]] == [(60, 45)]
    assert PostImage.objects.get().image.width == 60


# --- The hourly budget, shared by posts and avatars -------------------------------------------


def test_the_hourly_budget_refuses_the_next_post_on_the_page_with_429_and_stores_nothing(
    client, member, hourly_budget
):
    hourly_budget(2 * PHOTO_PIXELS)

    shared = [client.post(NEW, {"images": [photo(seed=i)]}).status_code for i in range(2)]
    files_before = media_files()
    refused = client.post(NEW, {"images": [photo(seed=9)], "caption": "one more"})

    assert shared == [302, 302]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert "the limit is 0.0216 megapixels per hour" in html
    assert "one more" in html  # the form comes back as it was typed
    assert Post.objects.filter(author=member).count() == 2
    assert media_files() == files_before


def test_the_hourly_budget_refuses_the_next_post_by_the_api_with_429(member, hourly_budget):
    hourly_budget(2 * PHOTO_PIXELS)
    api = token_client(member)

    shared = api.post(API_CREATE, {"images": [photo("a.jpg"), photo("b.jpg")]}, format="multipart")
    files_before = media_files()
    refused = api.post(API_CREATE, {"images": [photo("c.jpg")]}, format="multipart")

    assert shared.status_code == 201
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "the limit is 0.0216 megapixels per hour" in refused.json()["detail"]
    assert Post.objects.filter(author=member).count() == 1
    assert media_files() == files_before


def test_a_post_that_would_go_over_the_budget_is_refused_whole(member, hourly_budget):
    hourly_budget(2 * PHOTO_PIXELS)
    api = token_client(member)

    refused = api.post(
        API_CREATE, {"images": [photo(f"{i}.jpg", seed=i) for i in range(3)]}, format="multipart"
    )
    then = api.post(API_CREATE, {"images": [photo("a.jpg"), photo("b.jpg")]}, format="multipart")

    assert refused.status_code == 429
    assert then.status_code == 201  # the refused request took nothing from the budget


def test_posts_spend_the_budget_avatars_use_on_the_settings_page(client, member, hourly_budget):
    hourly_budget(PHOTO_PIXELS)
    assert client.post(NEW, {"images": [photo()]}).status_code == 302

    refused = client.post(SETTINGS, profile_form(member, bio="new bio", avatar=photo("me.jpg")))

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "megapixels per hour" in refused.content.decode()
    member.refresh_from_db()
    assert not member.avatar
    assert member.bio == ""  # nothing of the refused form was saved


def test_avatars_spend_the_budget_posts_use_by_the_api(member, hourly_budget):
    hourly_budget(PHOTO_PIXELS)
    api = token_client(member)
    assert api.patch(ME, {"avatar": photo("me.jpg")}, format="multipart").status_code == 200

    avatar_again = api.patch(ME, {"avatar": photo("me2.jpg", seed=2)}, format="multipart")
    post = api.post(API_CREATE, {"images": [photo()]}, format="multipart")

    assert avatar_again.status_code == 429
    assert post.status_code == 429
    assert "Retry-After" in post
    assert not Post.objects.exists()


def test_the_budget_is_per_account(member, hourly_budget):
    hourly_budget(PHOTO_PIXELS)
    other = UserFactory(username="grace")
    api = token_client(member)
    assert api.post(API_CREATE, {"images": [photo()]}, format="multipart").status_code == 201

    response = token_client(other).post(API_CREATE, {"images": [photo()]}, format="multipart")

    assert response.status_code == 201


def test_ordinary_photos_stay_well_inside_the_default_budget(client, member):
    images = [photo_upload(f"{i}.jpg", seed=i, size=(1200, 900)) for i in range(10)]

    response = client.post(NEW, {"images": images})

    assert response.status_code == 302
    assert PostImage.objects.filter(post__author=member).count() == 10
