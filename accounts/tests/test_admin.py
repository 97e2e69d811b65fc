"""The admin of every app: each page opens, changelists cost a fixed number of queries whatever
the number of rows, and what must not be edited by hand cannot be."""

import itertools

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AppRegistration, User, UserSession
from accounts.oauth.services import app_register
from accounts.tests.factories import UserFactory
from core.models import OutboxMessage
from posts.models import (
    Comment,
    CommentLike,
    Hashtag,
    Like,
    MediaUpload,
    Mention,
    Post,
    PostHashtag,
    PostImage,
    SavedPost,
)
from posts.tests.factories import CommentFactory, HashtagFactory, PostFactory
from social.graph.models import Block, Follow, Mute
from social.mastodon.models import Marker
from social.moderation.models import Appeal, BannedImage, ModerationAction, Report
from social.notifications.models import Notification, NotificationOptOut
from social.tests.factories import (
    BlockFactory,
    FollowFactory,
    MuteFactory,
    NotificationFactory,
    ReportFactory,
)

_counter = itertools.count()


def _report(i):
    kind = i % 3
    if kind == 0:
        return ReportFactory()
    if kind == 1:
        return ReportFactory(user=None, post=PostFactory())
    return ReportFactory(user=None, comment=CommentFactory())


def _moderation_action(i):
    post = PostFactory()
    return ModerationAction.objects.create(
        moderator=UserFactory(is_staff=True),
        action=ModerationAction.Action.REMOVE_POST,
        post=post,
        target_repr=str(post),
        reason="spam",
    )


def _appeal(i):
    action = _moderation_action(i)
    return Appeal.objects.create(action=action, appellant=action.post.author, text=f"Mistake {i}")


# One row of each model, each with its own related rows, so a changelist that forgot to join a
# relation would pay one query per row.
BUILDERS = {
    User: lambda i: UserFactory(),
    Post: lambda i: PostFactory(),
    Comment: lambda i: CommentFactory(),
    Like: lambda i: Like.objects.create(user=UserFactory(), post=PostFactory()),
    CommentLike: lambda i: CommentLike.objects.create(user=UserFactory(), comment=CommentFactory()),
    SavedPost: lambda i: SavedPost.objects.create(user=UserFactory(), post=PostFactory()),
    Hashtag: lambda i: HashtagFactory(),
    Mention: lambda i: Mention.objects.create(user=UserFactory(), post=PostFactory()),
    Follow: lambda i: FollowFactory(),
    Block: lambda i: BlockFactory(),
    Mute: lambda i: MuteFactory(),
    Notification: lambda i: NotificationFactory(kind=Notification.Kind.LIKE, post=PostFactory()),
    NotificationOptOut: lambda i: NotificationOptOut.objects.create(
        user=UserFactory(), setting=NotificationOptOut.Setting.LIKES
    ),
    Report: _report,
    ModerationAction: _moderation_action,
    Appeal: _appeal,
    BannedImage: lambda i: BannedImage.objects.create(
        image=PostFactory().images.get(), phash=i, banned_by=UserFactory(is_staff=True)
    ),
    UserSession: lambda i: UserSession.objects.create(
        user=UserFactory(),
        session_key=f"session{i}",
        last_seen_at=timezone.now(),
        user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
        ip_address="198.51.100.1",
    ),
    AppRegistration: lambda i: (
        app_register(name=f"App {i}", redirect_uris="https://app.example/cb", scopes="read")[
            0
        ].registration
    ),
    OutboxMessage: lambda i: OutboxMessage.objects.create(
        task="social.tasks.notifications_deliver",
        args=["like", [i]],
        next_attempt_at=timezone.now(),
    ),
    MediaUpload: lambda i: MediaUpload.objects.create(
        owner=UserFactory(), image=f"posts/00/upload{i}.jpg", width=4, height=3
    ),
    Marker: lambda i: Marker.objects.create(user=UserFactory(), timeline="home", last_read_id=i),
}


def make_rows(model, n):
    return [BUILDERS[model](next(_counter)) for _ in range(n)]


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


# Images and hashtag links mean something only on their post: they are edited inline there.
INLINE_ONLY = {PostImage: Post, PostHashtag: Post}


def test_every_model_of_our_apps_is_in_the_admin():
    models = {
        model
        for label in ("core", "accounts", "posts", "social")
        for model in apps.get_app_config(label).get_models()
    }

    assert {m for m in models if admin.site.is_registered(m)} == models - set(INLINE_ONLY)
    assert set(BUILDERS) == models - set(INLINE_ONLY)
    for model, parent in INLINE_ONLY.items():
        inlines = admin.site.get_model_admin(parent).inlines
        assert model in {inline.model for inline in inlines}


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda m: m.__name__)
def test_superuser_opens_every_changelist_search_and_change_page(admin_client, model):
    obj = make_rows(model, 2)[0]

    assert admin_client.get(changelist_url(model)).status_code == 200
    assert admin_client.get(changelist_url(model), {"q": "user1"}).status_code == 200
    assert admin_client.get(change_url(obj)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    make_rows(model, 3)
    url = changelist_url(model)
    admin_client.get(url)  # warm caches (content types, sessions) before counting

    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    make_rows(model, 27)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)

    assert response.context["cl"].result_count >= 30
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
def test_post_changelist_shows_the_first_image_thumbnail(admin_client):
    post = PostFactory()
    image = post.images.get()
    image.thumbnail.name = "posts/thumbs/first.jpg"
    image.save(update_fields=["thumbnail"])

    response = admin_client.get(changelist_url(Post))

    assert b"/media/posts/thumbs/first.jpg" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "counters"),
    [
        (UserFactory, ["post_count", "follower_count", "following_count"]),
        (PostFactory, ["like_count", "comment_count"]),
    ],
    ids=["user", "post"],
)
def test_counters_cannot_be_edited_in_the_admin(admin_client, make, counters):
    response = admin_client.get(change_url(make()))

    form_fields = response.context["adminform"].form.fields
    assert response.status_code == 200
    assert not set(counters) & set(form_fields)
    for counter in counters:
        assert counter in response.context["adminform"].readonly_fields


@pytest.mark.django_db
def test_moderation_log_is_read_only_even_for_a_superuser(admin_client):
    action = make_rows(ModerationAction, 1)[0]
    opts = "admin:social_moderationaction"

    assert admin_client.get(reverse(f"{opts}_add")).status_code == 403
    assert admin_client.get(reverse(f"{opts}_delete", args=[action.pk])).status_code == 403
    response = admin_client.post(change_url(action), {"reason": "rewritten"})
    action.refresh_from_db()

    assert response.status_code == 403
    assert action.reason == "spam"
    assert admin_client.get(change_url(action)).status_code == 200


@pytest.mark.django_db
def test_new_account_can_be_added_with_a_password(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "usable_password": "true",
            "password1": "a-long-new-passphrase",
            "password2": "a-long-new-passphrase",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="newbie").check_password("a-long-new-passphrase")
