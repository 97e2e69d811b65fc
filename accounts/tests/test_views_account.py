"""The settings page (profile, photo, privacy) and deleting an account."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from posts.models import Post
from posts.tests.factories import PostFactory, image_upload, upload
from social.graph.models import Follow
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")
DELETE = reverse("accounts:delete")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def field_block(html, field_id):
    """The markup of one form field (label, input, help, errors), as field.html draws it."""
    start = html.rfind('<div class="field field--', 0, html.index(f'id="{field_id}"'))
    end = html.find('<div class="field field--', start + 1)
    return html[start : end if end != -1 else None]


def profile_data(user, **overrides):
    data = {
        "display_name": user.display_name,
        "bio": user.bio,
        "website": user.website,
        "is_private": "on" if user.is_private else "",
        **overrides,
    }
    return {key: value for key, value in data.items() if value != ""}


@pytest.mark.parametrize("url", [SETTINGS, DELETE])
def test_account_pages_send_visitors_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# --- Settings ----------------------------------------------------------------------------------


def test_settings_show_what_the_profile_holds_now(client):
    user = UserFactory(bio="Photos of bridges", website="https://bridges.example", is_private=True)
    client.force_login(user)

    response = client.get(SETTINGS)

    assert response.status_code == 200
    html = response.text
    assert f'value="{user.display_name}"' in html
    assert "Photos of bridges</textarea>" in html
    assert 'value="https://bridges.example"' in html
    assert "checked" in field_block(html, "id_is_private")
    # The bio gets a live character counter up to the service's limit.
    assert 'data-counter-for="id_bio" data-max="150"' in html
    # The photo input previews the chosen file before upload.
    assert "data-preview" in html


def test_saving_the_profile(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        SETTINGS,
        profile_data(user, display_name="Grace", bio="Ships and code", website="grace.example"),
    )

    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    assert messages_of(response) == ["Profile saved"]
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.website) == (
        "Grace",
        "Ships and code",
        "https://grace.example",
    )


def test_a_too_long_bio_is_refused_keeping_everything_typed(client):
    user = UserFactory(bio="before")
    client.force_login(user)
    long_bio = "b" * 151

    response = client.post(
        SETTINGS, profile_data(user, display_name="Typed name", bio=long_bio, website="x.example")
    )

    assert response.status_code == 400
    html = response.text
    assert f"{long_bio}</textarea>" in html
    assert 'value="Typed name"' in html
    assert 'value="x.example"' in html
    bio_field = field_block(html, "id_bio")
    assert "Keep your bio to 150 characters (this has 151)." in bio_field
    assert 'aria-invalid="true"' in bio_field
    user.refresh_from_db()
    assert (user.bio, user.display_name) == ("before", user.display_name)


def test_a_bad_website_says_what_to_type(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(SETTINGS, profile_data(user, website="not a web address"))

    assert response.status_code == 400
    assert "Enter a valid web address, like https://example.com." in response.text


def test_uploading_a_profile_photo(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        SETTINGS, {**profile_data(user), "avatar": image_upload("me.png", size=(300, 200))}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar
    assert user.avatar.width == user.avatar.height
    profile = client.get(reverse("accounts:profile", args=[user.username]))
    assert user.avatar.url in profile.text


def test_a_photo_that_is_no_image_is_named_in_the_error(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        SETTINGS,
        {**profile_data(user, bio="kept"), "avatar": upload("notes.txt", b"just text")},
    )

    assert response.status_code == 400
    assert "notes.txt" in field_block(response.text, "id_avatar")
    assert "kept</textarea>" in response.text
    user.refresh_from_db()
    assert not user.avatar
    assert user.bio == ""


def test_switching_to_private(client):
    user = UserFactory()
    client.force_login(user)

    client.post(SETTINGS, profile_data(user, is_private="on"))

    user.refresh_from_db()
    assert user.is_private


def test_going_public_approves_waiting_requests_and_says_so(client):
    user = UserFactory(is_private=True)
    for _ in range(2):
        FollowFactory(following=user, status=Follow.Status.PENDING)
    client.force_login(user)

    response = client.post(SETTINGS, profile_data(user, is_private=""))

    user.refresh_from_db()
    assert not user.is_private
    assert user.follower_count == 2
    assert not Follow.objects.pending().exists()
    assert messages_of(response) == [
        "Profile saved",
        "Your account is public: 2 follow requests were approved.",
    ]


def test_a_refused_profile_leaves_privacy_as_it_was(client):
    user = UserFactory()
    client.force_login(user)

    client.post(SETTINGS, profile_data(user, is_private="on", website="not a web address"))

    user.refresh_from_db()
    assert not user.is_private


def test_settings_need_their_csrf_token():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(SETTINGS, profile_data(user, display_name="Forged"))

    assert response.status_code == 403
    user.refresh_from_db()
    assert user.display_name != "Forged"


# --- Delete account ----------------------------------------------------------------------------


def test_the_delete_page_asks_for_the_password(client):
    client.force_login(UserFactory())

    response = client.get(DELETE)

    assert response.status_code == 200
    assert 'name="password"' in response.text


def test_deleting_the_account_with_the_password(client):
    user = UserFactory()
    PostFactory(author=user)
    client.force_login(user)

    response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Post.objects.filter(author_id=user.pk).exists()
    assert SESSION_KEY not in client.session
    assert messages_of(response) == ["Your account and everything in it were deleted."]


def test_a_wrong_password_deletes_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(DELETE, {"password": "not-it"})

    assert response.status_code == 400
    assert "That password isn&#x27;t right." in response.text
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_needs_the_csrf_token():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
