from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory
from posts.tests.factories import image_upload
from social.tests.test_services import run_at_once

GOOD_PASSWORD = "a-long-unusual-passphrase"


def signup(**overrides):
    fields = {"username": "ada", "email": "ada@example.com", "password": GOOD_PASSWORD}
    return services.user_signup(**{**fields, **overrides})


def errors_of(excinfo):
    return excinfo.value.message_dict


# --- user_signup -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_signing_up_creates_an_account_that_can_log_in():
    user = signup(display_name="  Ada Lovelace ")

    user.refresh_from_db()
    assert (user.username, user.email, user.display_name) == (
        "ada",
        "ada@example.com",
        "Ada Lovelace",
    )
    assert user.password != GOOD_PASSWORD
    assert user.check_password(GOOD_PASSWORD)
    assert (user.post_count, user.follower_count, user.following_count) == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["a.b_c9", "abc", "A" * 30, "Ada_Lovelace.1815"])
def test_usernames_of_letters_digits_underscores_and_periods_are_accepted(username):
    assert signup(username=username).username == username


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username",
    ["ab", "a" * 31, "ada lovelace", "ada-l", "adá", "ada@home", ".ada", "ada.", "a..da", ""],
)
def test_bad_usernames_are_refused_with_a_reason(username):
    with pytest.raises(ValidationError) as error:
        signup(username=username)

    assert list(errors_of(error)) == ["username"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_username_is_taken_whatever_its_case():
    UserFactory(username="Ada")

    with pytest.raises(ValidationError) as error:
        signup(username="aDA")

    assert "taken" in errors_of(error)["username"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["", "   ", "not-an-email", "ada@", "@example.com"])
def test_a_valid_email_is_required(email):
    with pytest.raises(ValidationError) as error:
        signup(email=email)

    assert list(errors_of(error)) == ["email"]


@pytest.mark.django_db
def test_an_email_is_taken_whatever_its_case():
    UserFactory(email="Ada@Example.com")

    with pytest.raises(ValidationError) as error:
        signup(email="ada@EXAMPLE.com")

    assert list(errors_of(error)) == ["email"]
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["short", "password123", "83749201574", "ada-example"])
def test_weak_passwords_are_refused_by_djangos_validators(password):
    with pytest.raises(ValidationError) as error:
        signup(password=password, email="ada-example@example.com")

    assert list(errors_of(error)) == ["password"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_every_signup_problem_is_reported_at_once():
    with pytest.raises(ValidationError) as error:
        signup(username="a", email="nope", password="123", display_name="x" * 65)

    assert set(errors_of(error)) == {"username", "email", "password", "display_name"}


@pytest.mark.django_db(transaction=True)
def test_twin_signups_racing_for_one_name_give_one_account_and_a_field_error():
    calls = [
        lambda i=i: signup(username="ADA" if i % 2 else "ada", email=f"ada{i}@example.com")
        for i in range(6)
    ]

    errors = run_at_once(calls)

    assert User.objects.filter(username__iexact="ada").count() == 1
    assert len(errors) == 5
    assert all(isinstance(error, ValidationError) for error in errors)
    assert all("username" in error.message_dict for error in errors)


# --- user_profile_update ---------------------------------------------------------------------


@pytest.mark.django_db
def test_updating_the_profile_changes_only_the_fields_given():
    user = UserFactory(display_name="Ada", bio="old bio", website="https://old.example")

    services.user_profile_update(user=user, bio="  Counting engines  ")

    user.refresh_from_db()
    assert (user.display_name, user.bio, user.website) == (
        "Ada",
        "Counting engines",
        "https://old.example",
    )


@pytest.mark.django_db
def test_a_bio_may_have_150_characters_but_not_151():
    user = UserFactory(bio="kept")
    services.user_profile_update(user=user, bio="b" * 150)

    with pytest.raises(ValidationError) as error:
        services.user_profile_update(user=user, bio="b" * 151)

    assert "150" in errors_of(error)["bio"][0]
    user.refresh_from_db()
    assert user.bio == "b" * 150


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("example.com", "https://example.com"),
        ("http://example.com/me", "http://example.com/me"),
        ("https://example.com/a?b=c", "https://example.com/a?b=c"),
        ("", ""),
    ],
)
def test_a_website_is_stored_as_a_full_web_address(typed, stored):
    user = UserFactory(website="https://old.example")

    services.user_profile_update(user=user, website=typed)

    user.refresh_from_db()
    assert user.website == stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    "website", ["not a url", "javascript:alert(1)", "ftp://example.com", "https://", "x" * 300]
)
def test_a_website_that_is_not_a_web_address_is_refused(website):
    user = UserFactory(website="https://old.example")

    with pytest.raises(ValidationError) as error:
        services.user_profile_update(user=user, website=website)

    assert list(errors_of(error)) == ["website"]
    user.refresh_from_db()
    assert user.website == "https://old.example"


@pytest.mark.django_db
def test_a_display_name_longer_than_64_characters_is_refused():
    user = UserFactory()

    with pytest.raises(ValidationError) as error:
        services.user_profile_update(user=user, display_name="n" * 65)

    assert "64" in errors_of(error)["display_name"][0]


@pytest.mark.django_db
def test_an_avatar_is_stored_square_and_small():
    user = UserFactory()

    services.user_profile_update(user=user, avatar=image_upload("me.png", size=(900, 500)))

    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/")  # random names: test_media_names.py
    with Image.open(user.avatar.path) as img:
        assert img.format == "JPEG"
        assert img.width == img.height <= 320


@pytest.mark.django_db
def test_a_new_avatar_deletes_the_old_file_once_saved(django_capture_on_commit_callbacks):
    user = UserFactory()
    services.user_profile_update(user=user, avatar=image_upload("first.jpg"))
    first = user.avatar.path

    with django_capture_on_commit_callbacks(execute=True):
        services.user_profile_update(user=user, avatar=image_upload("second.jpg"))

    user.refresh_from_db()
    assert user.avatar.path != first
    assert user.avatar.storage.exists(user.avatar.name)
    assert not user.avatar.storage.exists(first)


@pytest.mark.django_db
def test_an_avatar_that_is_not_an_image_is_refused_and_nothing_changes():
    user = UserFactory(bio="kept")
    services.user_profile_update(user=user, avatar=image_upload("old.jpg"))
    old = user.avatar.name
    fake = SimpleUploadedFile("notes.jpg", b"just text", content_type="image/jpeg")

    with pytest.raises(ValidationError) as error:
        services.user_profile_update(user=user, bio="changed", avatar=fake)

    assert "notes.jpg" in errors_of(error)["avatar"][0]
    user.refresh_from_db()
    assert (user.avatar.name, user.bio) == (old, "kept")
    folder = Path(user.avatar.storage.path(old)).parent
    assert [path.name for path in folder.iterdir()] == [Path(old).name]


@pytest.mark.django_db
def test_access_flags_change_only_those_given():
    user = UserFactory(is_staff=False)

    services.user_access_set(user=user, is_staff=True)
    services.user_access_set(user=user, is_active=False)

    user.refresh_from_db()
    assert (user.is_staff, user.is_active, user.is_superuser) == (True, False, False)
