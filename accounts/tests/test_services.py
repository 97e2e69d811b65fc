from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from accounts import services
from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from posts.models import Comment, Like, Post
from posts.tests.factories import CommentFactory, PostFactory, image_upload
from social import services as social_services
from social.models import Follow, Notification
from social.tests.factories import FollowFactory, MuteFactory
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


# --- user_privacy_set ------------------------------------------------------------------------


@pytest.mark.django_db
def test_going_private_keeps_existing_followers():
    owner, fan = UserFactory(), UserFactory()
    social_services.follow_create(follower=fan, following=owner)

    assert services.user_privacy_set(user=owner, is_private=True) == 0

    owner.refresh_from_db()
    assert owner.is_private is True
    assert owner.follower_count == 1
    assert Follow.objects.accepted().filter(follower=fan, following=owner).exists()


@pytest.mark.django_db
def test_going_public_accepts_every_pending_request(committed):
    owner = UserFactory(private=True)
    requesters = UserFactory.create_batch(3)
    quiet = UserFactory()
    MuteFactory(muter=quiet, muted=owner)
    with committed():
        for requester in [*requesters, quiet]:
            social_services.follow_create(follower=requester, following=owner)

    with committed():
        assert services.user_privacy_set(user=owner, is_private=False) == 4

    owner.refresh_from_db()
    assert owner.is_private is False
    assert owner.follower_count == 4
    assert not Follow.objects.pending().exists()
    for requester in [*requesters, quiet]:
        requester.refresh_from_db()
        assert requester.following_count == 1
    for requester in requesters:
        assert list(
            Notification.objects.filter(recipient=requester).values_list("kind", flat=True)
        ) == [Notification.Kind.FOLLOW_ACCEPTED]
    # Whoever muted the owner still follows, but isn't told.
    assert not Notification.objects.filter(recipient=quiet).exists()
    owner_inbox = Notification.objects.filter(recipient=owner)
    assert set(owner_inbox.values_list("kind", flat=True)) == {Notification.Kind.FOLLOW}
    assert owner_inbox.count() == 4


@pytest.mark.django_db
def test_a_new_follow_after_going_public_is_accepted_at_once():
    owner, fan = UserFactory(private=True), UserFactory()
    services.user_privacy_set(user=owner, is_private=False)

    follow = social_services.follow_create(follower=fan, following=owner)

    assert follow.status == Follow.Status.ACCEPTED


# --- user_delete -----------------------------------------------------------------------------


def like(user, post):
    Like.objects.create(user=user, post=post)
    Post.objects.filter(pk=post.pk).update(like_count=post.likes.count())


def comment(user, post, removed=False):
    CommentFactory(author=user, post=post, removed_at=timezone.now() if removed else None)
    live = Comment.objects.filter(post=post, removed_at__isnull=True).count()
    Post.objects.filter(pk=post.pk).update(comment_count=live)


def assert_every_counter_matches_its_rows():
    for post in Post.objects.annotate(
        likes_n=Count("likes", distinct=True),
        comments_n=Count("comments", filter=Q(comments__removed_at__isnull=True), distinct=True),
    ):
        assert (post.like_count, post.comment_count) == (post.likes_n, post.comments_n), post
    for user in User.objects.all():
        accepted = Follow.objects.accepted()
        assert user.follower_count == accepted.filter(following=user).count(), user
        assert user.following_count == accepted.filter(follower=user).count(), user
        assert user.post_count == Post.objects.filter(author=user, removed_at=None).count(), user


@pytest.fixture
def network(db):
    """Leaving takes part in everything; the others' counters start equal to their rows."""
    leaving, ann, ben, cat = UserFactory(), UserFactory(), UserFactory(), UserFactory(private=True)
    anns, bens = PostFactory(author=ann), PostFactory(author=ben)
    own = PostFactory(author=leaving)
    User.objects.filter(pk__in=[ann.pk, ben.pk, leaving.pk]).update(post_count=1)
    for liker, post in [(leaving, anns), (ben, anns), (leaving, bens), (ann, own)]:
        like(liker, post)
    for author, post in [
        (leaving, anns),
        (leaving, anns),
        (ben, anns),
        (leaving, bens),
        (ann, own),
    ]:
        comment(author, post)
    comment(leaving, bens, removed=True)
    for follower, following in [(leaving, ann), (leaving, ben), (ann, leaving), (ben, ann)]:
        social_services.follow_create(follower=follower, following=following)
    social_services.follow_create(follower=leaving, following=cat)  # stays a request
    social_services.follow_create(follower=cat, following=leaving)
    assert_every_counter_matches_its_rows()
    return leaving, ann, ben, cat, anns, bens


def test_deleting_an_account_needs_the_right_password(network):
    leaving = network[0]

    with pytest.raises(ValidationError) as error:
        services.user_delete(user=leaving, password="wrong password")

    assert list(errors_of(error)) == ["password"]
    assert User.objects.filter(pk=leaving.pk).exists()


def test_deleting_an_account_removes_its_content_and_keeps_everyone_elses_counters(network):
    leaving, ann, ben, cat, anns, bens = network

    services.user_delete(user=leaving, password=PASSWORD)

    assert not User.objects.filter(pk=leaving.pk).exists()
    assert not Post.objects.filter(author_id=leaving.pk).exists()
    assert not Comment.objects.filter(author_id=leaving.pk).exists()
    assert not Like.objects.filter(user_id=leaving.pk).exists()
    assert not Follow.objects.filter(
        Q(follower_id=leaving.pk) | Q(following_id=leaving.pk)
    ).exists()
    assert_every_counter_matches_its_rows()
    anns.refresh_from_db()
    bens.refresh_from_db()
    assert (anns.like_count, anns.comment_count) == (1, 1)
    assert (bens.like_count, bens.comment_count) == (0, 0)
    for user in (ann, ben, cat):
        user.refresh_from_db()
    assert (ann.follower_count, ann.following_count) == (1, 0)
    assert (ben.follower_count, ben.following_count) == (0, 1)
    assert (cat.follower_count, cat.following_count) == (0, 0)


@pytest.mark.django_db
def test_deleting_an_account_takes_the_same_queries_for_many_likes_as_for_few():
    ann = UserFactory()
    posts = PostFactory.create_batch(12, author=ann)
    User.objects.filter(pk=ann.pk).update(post_count=12)
    few, many = UserFactory(), UserFactory()
    for user, liked in [(few, posts[:2]), (many, posts)]:
        for post in liked:
            like(user, post)
            comment(user, post)
            social_services.follow_create(follower=UserFactory(), following=user)

    query_counts = []
    for user in (few, many):
        with CaptureQueriesContext(connection) as queries:
            services.user_delete(user=user, password=PASSWORD)
        query_counts.append(len(queries))

    assert query_counts[0] == query_counts[1]
    assert_every_counter_matches_its_rows()


@pytest.mark.django_db
def test_deleting_an_account_removes_its_files_once_committed(django_capture_on_commit_callbacks):
    user = UserFactory()
    services.user_profile_update(user=user, avatar=image_upload("me.jpg"))
    post = PostFactory(author=user)
    files = [user.avatar.path, *(image.image.path for image in post.images.all())]
    storage = user.avatar.storage

    with django_capture_on_commit_callbacks(execute=True):
        services.user_delete(user=user, password=PASSWORD)

    assert files
    assert not any(storage.exists(path) for path in files)


# --- user_counters_recount -------------------------------------------------------------------


@pytest.mark.django_db
def test_recount_repairs_drifted_counters_and_reports_how_many_users_changed():
    ann, ben, cat = UserFactory(), UserFactory(), UserFactory()
    PostFactory.create_batch(2, author=ann)
    PostFactory(author=ann, removed_at=timezone.now())
    FollowFactory(follower=ben, following=ann)
    FollowFactory(follower=cat, following=ann, status=Follow.Status.PENDING)
    User.objects.filter(pk=ann.pk).update(post_count=9, follower_count=0, following_count=4)
    User.objects.filter(pk=ben.pk).update(following_count=1)  # already right

    assert services.user_counters_recount() == 1
    assert services.user_counters_recount() == 0

    for user in (ann, ben, cat):
        user.refresh_from_db()
    assert (ann.post_count, ann.follower_count, ann.following_count) == (2, 1, 0)
    assert (ben.post_count, ben.follower_count, ben.following_count) == (0, 0, 1)
    assert (cat.post_count, cat.follower_count, cat.following_count) == (0, 0, 0)


@pytest.mark.django_db
def test_recount_can_be_limited_to_some_users():
    ann, ben = UserFactory(), UserFactory()
    User.objects.filter(pk__in=[ann.pk, ben.pk]).update(follower_count=5)

    assert services.user_counters_recount(user_ids=[ann.pk]) == 1

    ann.refresh_from_db()
    ben.refresh_from_db()
    assert (ann.follower_count, ben.follower_count) == (0, 5)
