"""The admin cannot get around the domain.

Every registered ModelAdmin, and each of its inlines, either gives a superuser no way to add,
change or delete, or does it through the services. The walk below fails for an admin (or an
inline) registered later that keeps Django's default save or delete, or that no test here
covers; the tests after it make the changes over HTTP, as a superuser in the admin, and check
the state they leave is the service's: counters exact, notifications and cached pages right.
"""

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.auth.models import Group
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from oauth2_provider.models import AccessToken, Application
from rest_framework.authtoken.models import Token, TokenProxy

from accounts.models import AppRegistration, User, UserSession
from accounts.tests.factories import UserFactory
from accounts.tests.oauth_helpers import oauth_app, oauth_token
from core.admin_base import ThroughServicesMixin
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
from posts.services import comment_add, comment_like_add, like_add, save_add
from posts.services.uploads import media_upload_create
from posts.tests.factories import PostFactory, image_upload, photo_upload
from social.graph.models import Block, Follow, Mute
from social.graph.services import block_create, follow_create, mute_create
from social.mastodon.models import Marker
from social.moderation import services as moderation
from social.moderation.models import Appeal, BannedImage, ModerationAction, Report
from social.notifications.models import Notification, NotificationOptOut
from social.tests.factories import NotificationFactory, ReportFactory
from social.tests.moderation_helpers import moderator_make, photo_post
from social.tests.test_lifecycle import assert_every_counter_matches_its_rows

# What a superuser may do in each admin, and so what the tests below prove for it.
WRITES_THROUGH_SERVICES = {
    User: {"add", "change", "delete"},
    TokenProxy: {"add", "delete"},
    Post: {"change", "delete"},
    Comment: {"delete"},
    Like: {"delete"},
    CommentLike: {"delete"},
    SavedPost: {"delete"},
    Follow: {"delete"},
    Block: {"delete"},
    Mute: {"delete"},
    OutboxMessage: {"delete"},
    TOTPDevice: {"delete"},
}
READ_ONLY = {
    Notification,
    NotificationOptOut,
    Hashtag,
    Mention,
    Report,
    ModerationAction,
    Appeal,
    BannedImage,
    UserSession,
    AppRegistration,
    Application,
    AccessToken,
    MediaUpload,
    Marker,
}
# Who may use the admin: Django's own, and nothing of the domain (no counter, cache or
# notification) depends on a group. Moderator membership is managed by moderator_add/_remove.
NOT_THE_DOMAIN = {Group}
# Inlines: (parent, inline model) -> what a superuser may do there.
INLINES = {(Post, PostImage): {"change"}, (Post, PostHashtag): set()}

SAVE_HOOKS = ("save_model", "save_related", "save_formset")
DELETE_HOOKS = ("delete_model", "delete_queryset", "delete_selected")


def admin_of(model):
    return admin.site.get_model_admin(model)


def superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    return request


def granted(model_admin, request, *, inline=False):
    obj = () if not inline else (None,)
    return {
        name
        for name, allowed in (
            ("add", model_admin.has_add_permission(request, *obj)),
            ("change", model_admin.has_change_permission(request)),
            ("delete", model_admin.has_delete_permission(request)),
        )
        if allowed
    }


def own_hook(model_admin, name):
    """The class that defines `name` for this admin (first in its MRO)."""
    return next(cls for cls in type(model_admin).__mro__ if name in vars(cls))


# --- The walk over the registry -------------------------------------------------------------------


def test_every_registered_admin_is_covered_here():
    registered = set(admin.site._registry)

    assert registered == set(WRITES_THROUGH_SERVICES) | READ_ONLY | NOT_THE_DOMAIN


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(WRITES_THROUGH_SERVICES), ids=lambda m: m.__name__)
def test_an_admin_that_writes_does_it_only_through_its_services(model):
    model_admin = admin_of(model)
    allowed = granted(model_admin, superuser_request())

    assert allowed == WRITES_THROUGH_SERVICES[model]
    assert isinstance(model_admin, ThroughServicesMixin)
    # Django's defaults (form.save, obj.delete, queryset.delete) are never what runs.
    for hook in (*SAVE_HOOKS, *DELETE_HOOKS):
        assert own_hook(model_admin, hook) is ThroughServicesMixin, hook
    if allowed & {"add", "change"}:
        assert own_hook(model_admin, "service_save") is not ThroughServicesMixin
    if "delete" in allowed:
        assert own_hook(model_admin, "service_delete") is not ThroughServicesMixin


@pytest.mark.django_db
@pytest.mark.parametrize("model", sorted(READ_ONLY, key=str), ids=lambda m: m.__name__)
def test_a_read_only_admin_lets_a_superuser_look_but_not_write(model):
    assert granted(admin_of(model), superuser_request()) == set()


@pytest.mark.django_db
def test_every_inline_is_read_only_or_saved_by_its_parents_service():
    request = superuser_request()
    found = {}
    for model, model_admin in admin.site._registry.items():
        for inline in model_admin.get_inline_instances(request):
            allowed = granted(inline, request, inline=True)
            found[(model, inline.model)] = allowed
            if allowed:
                # The parent's service_save saves the inline; its own save_formset refuses.
                assert own_hook(model_admin, "service_save") is not ThroughServicesMixin
                assert own_hook(model_admin, "save_formset") is ThroughServicesMixin

    assert found == INLINES


def test_model_admin_default_writes_are_what_the_walk_catches():
    # The walk above looks for these names: if Django renamed them, it would prove nothing.
    for hook in (*SAVE_HOOKS, "delete_model", "delete_queryset"):
        assert hook in vars(ModelAdmin), hook


# --- Helpers for the admin's HTTP views -----------------------------------------------------------


def url(obj_or_model, view, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def change_url(obj):
    return url(obj, "change", obj.pk)


def delete_url(obj):
    return url(obj, "delete", obj.pk)


def _posted(value):
    if value is None or isinstance(value, FieldFile):
        return None  # files are uploaded, never posted back as a value
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value)


def _form_data(form):
    data = {}
    for name in form.fields:
        value = _posted(form[name].value())
        if value is not None:
            data[form.add_prefix(name)] = value
    return data


def change_form_data(client, obj, **changes):
    """What the change page posts back as it is, with `changes` made (False unticks a box)."""
    page = client.get(change_url(obj))
    assert page.status_code == 200
    data = _form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        data.update(_form_data(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(_form_data(form))
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def delete_selected(client, model, objs):
    """The changelist's "delete selected": the confirmation page, then the confirmation."""
    data = {"action": "delete_selected", "_selected_action": [str(o.pk) for o in objs]}
    confirm = client.post(url(model, "changelist"), data)
    assert confirm.status_code == 200
    assert "Are you sure" in confirm.text
    return client.post(url(model, "changelist"), {**data, "post": "yes"}, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def profile_api(client, username):
    return client.get(f"/api/v1/users/{username}/").json()


# --- Accounts -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_making_an_account_public_in_the_admin_accepts_its_requests_as_the_service_does(
    admin_client, committed
):
    owner = UserFactory(private=True)
    asker = UserFactory()
    with committed():
        follow_create(follower=asker, following=owner)
    admin_client.get(f"/u/{owner.username}/")  # the profile header is now cached

    with committed():
        response = admin_client.post(
            change_url(owner), change_form_data(admin_client, owner, is_private=False)
        )

    assert response.status_code == 302
    owner, asker = fresh(owner), fresh(asker)
    assert not owner.is_private
    assert Follow.objects.get(follower=asker, following=owner).status == Follow.Status.ACCEPTED
    assert (owner.follower_count, asker.following_count) == (1, 1)
    assert Notification.objects.filter(
        recipient=owner, actor=asker, kind=Notification.Kind.FOLLOW
    ).exists()
    assert Notification.objects.filter(
        recipient=asker, actor=owner, kind=Notification.Kind.FOLLOW_ACCEPTED
    ).exists()
    assert profile_api(admin_client, owner.username)["follower_count"] == 1


@pytest.mark.django_db
def test_making_an_account_private_in_the_admin_accepts_nothing(admin_client, committed):
    owner, fan = UserFactory(), UserFactory()
    with committed():
        follow_create(follower=fan, following=owner)

    response = admin_client.post(
        change_url(owner), change_form_data(admin_client, owner, is_private="on")
    )

    assert response.status_code == 302
    assert fresh(owner).is_private
    assert (fresh(owner).follower_count, fresh(fan).following_count) == (1, 1)
    assert Follow.objects.get().status == Follow.Status.ACCEPTED


@pytest.mark.django_db
def test_a_profile_edit_in_the_admin_is_the_services_and_shows_at_once(admin_client, committed):
    person = UserFactory(username="lens", display_name="Old name")
    assert "Old name" in admin_client.get("/u/lens/").text  # cached now

    with committed():
        response = admin_client.post(
            change_url(person),
            change_form_data(
                admin_client,
                person,
                display_name="  New name  ",
                bio="Light chaser",
                website="example.com",
                username="renamed",
                email="renamed@example.com",
            ),
        )

    assert response.status_code == 302
    person = fresh(person)
    # Stripped and completed as user_profile_update does; no service renames an account.
    assert (person.display_name, person.bio) == ("New name", "Light chaser")
    assert person.website == "https://example.com"
    assert (person.username, person.email) == ("lens", "lens@example.com")
    assert "New name" in admin_client.get("/u/lens/").text
    assert profile_api(admin_client, "lens")["display_name"] == "New name"


@pytest.mark.django_db
def test_a_profile_the_service_refuses_comes_back_with_its_reason_and_saves_nothing(
    admin_client,
):
    person = UserFactory(display_name="Kept", is_private=False)
    data = change_form_data(admin_client, person, display_name="Changed", is_private="on")
    # A GIF: a valid image for Django's form, not one the service accepts.
    data["avatar"] = image_upload("me.gif", fmt="GIF")

    response = admin_client.post(change_url(person), data)

    assert response.status_code == 400
    assert "is not an image we accept: use JPEG, PNG, WebP or HEIC." in response.text
    person = fresh(person)
    assert (person.display_name, person.is_private, person.avatar.name) == ("Kept", False, "")
    # The page came back as it was sent, for the photo to be chosen again.
    assert response.context["adminform"].form["display_name"].value() == "Changed"


@pytest.mark.django_db
def test_an_avatar_set_in_the_admin_is_resized_by_the_service(admin_client):
    person = UserFactory()
    data = change_form_data(admin_client, person)
    data["avatar"] = photo_upload("me.jpg", seed=3, size=(900, 600))

    response = admin_client.post(change_url(person), data)

    assert response.status_code == 302
    avatar = fresh(person).avatar
    assert avatar.name.endswith(".jpg")
    assert avatar.width == avatar.height  # the service's square crop, not the upload as is


@pytest.mark.django_db
def test_deactivating_an_account_in_the_admin_hides_it_at_once(admin_client, committed):
    person = UserFactory(username="gone")
    assert admin_client.get("/u/gone/").status_code == 200

    with committed():
        response = admin_client.post(
            change_url(person), change_form_data(admin_client, person, is_active=False)
        )

    assert response.status_code == 302
    assert not fresh(person).is_active
    assert admin_client.get("/u/gone/").status_code == 404
    assert admin_client.get("/api/v1/users/gone/").status_code == 404


@pytest.mark.django_db
def test_staff_flags_and_groups_change_in_the_admin(admin_client):
    person = UserFactory()
    moderators = Group.objects.get(name="Moderators")

    response = admin_client.post(
        change_url(person),
        change_form_data(admin_client, person, is_staff="on", groups=[str(moderators.pk)]),
    )

    assert response.status_code == 302
    person = fresh(person)
    assert person.is_staff
    assert list(person.groups.all()) == [moderators]


@pytest.mark.django_db
def test_an_account_added_in_the_admin_follows_the_sign_up_rules(admin_client):
    response = admin_client.post(
        url(User, "add"),
        {
            "username": "two..dots",
            "email": "dots@example.com",
            "usable_password": "true",
            "password1": "a-long-new-passphrase",
            "password2": "a-long-new-passphrase",
        },
    )

    assert response.status_code == 400
    assert "two in a row" in response.text
    assert not User.objects.filter(email="dots@example.com").exists()


def _account_with_a_life(committed):
    """An account that liked, commented on and saved others' posts, follows and is followed."""
    leaving, other = UserFactory(), UserFactory()
    post = photo_post(other, 1)
    with committed():
        like_add(user=leaving, post=post)
        comment_add(author=leaving, post=post, text="Lovely")
        save_add(user=leaving, post=post)
        follow_create(follower=leaving, following=other)
        follow_create(follower=other, following=leaving)
        photo_post(leaving, 2)
    return leaving, other, post


def _others_counters_are_as_if_never_there(other, post):
    other, post = fresh(other), fresh(post)
    assert (post.like_count, post.comment_count) == (0, 0)
    assert (other.follower_count, other.following_count, other.post_count) == (0, 0, 1)
    assert not Notification.objects.filter(recipient=other).exists()


@pytest.mark.django_db
def test_deleting_an_account_in_the_admin_keeps_everyone_elses_counters(admin_client, committed):
    leaving, other, post = _account_with_a_life(committed)
    assert fresh(post).like_count == 1

    page = admin_client.get(delete_url(leaving))
    with committed():
        response = admin_client.post(delete_url(leaving), {"post": "yes"})

    assert page.status_code == 200
    assert "Are you sure" in page.text  # not "you don't have permission to delete ..."
    assert response.status_code == 302
    assert not User.objects.filter(pk=leaving.pk).exists()
    _others_counters_are_as_if_never_there(other, post)
    assert_every_counter_matches_its_rows()
    assert profile_api(admin_client, other.username)["follower_count"] == 0


@pytest.mark.django_db
def test_deleting_accounts_in_bulk_in_the_admin_goes_through_the_service(admin_client, committed):
    leaving, other, post = _account_with_a_life(committed)
    second = UserFactory()
    with committed():
        follow_create(follower=second, following=other)

    with committed():
        response = delete_selected(admin_client, User, [leaving, second])

    assert "Deleted 2 users." in messages_of(response)
    assert not User.objects.filter(pk__in=[leaving.pk, second.pk]).exists()
    _others_counters_are_as_if_never_there(other, post)
    assert_every_counter_matches_its_rows()


@pytest.mark.django_db
def test_an_api_token_is_issued_and_revoked_in_the_admin_as_the_api_does(admin_client, client):
    person = UserFactory()

    added = admin_client.post(url(TokenProxy, "add"), {"user": str(person.pk)})
    token = Token.objects.get(user=person)
    api = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    deleted = admin_client.post(url(TokenProxy, "delete", person.pk), {"post": "yes"})
    after = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert added.status_code == 302
    assert len(token.key) == 40
    assert api.status_code == 200
    assert deleted.status_code == 302
    assert not Token.objects.filter(user=person).exists()
    assert after.status_code == 401


# --- Posts and comments ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_caption_edit_in_the_admin_is_post_update(admin_client, committed):
    author, named = UserFactory(), UserFactory(username="friend")
    post = photo_post(author, 1, caption="Morning #sunrise")
    stranger = UserFactory()

    with committed():
        response = admin_client.post(
            change_url(post),
            change_form_data(
                admin_client,
                post,
                caption="  Evening #sunset with @friend  ",
                author=str(stranger.pk),
            ),
        )

    assert response.status_code == 302
    post = fresh(post)
    assert post.caption == "Evening #sunset with @friend"
    assert post.edited_at is not None
    assert post.author == author
    assert [link.hashtag.name for link in PostHashtag.objects.filter(post=post)] == ["sunset"]
    assert Mention.objects.filter(post=post, user=named).exists()
    assert Notification.objects.filter(
        recipient=named, actor=author, kind=Notification.Kind.MENTION, post=post
    ).exists()


@pytest.mark.django_db
def test_an_alt_text_edited_inline_is_saved_by_post_update(admin_client):
    post = photo_post(UserFactory(), 1, 2)
    first, second = post.images.order_by("position")
    data = change_form_data(admin_client, post)
    prefix = next(key[: -len("-0-alt_text")] for key in data if key.endswith("-0-alt_text"))
    index = {data[f"{prefix}-{i}-id"]: i for i in range(2)}[str(second.pk)]
    data[f"{prefix}-{index}-alt_text"] = "  A red door  "

    response = admin_client.post(change_url(post), data)

    assert response.status_code == 302
    assert fresh(second).alt_text == "A red door"
    assert fresh(first).alt_text == first.alt_text
    assert fresh(post).edited_at is not None


@pytest.mark.django_db
def test_a_caption_too_long_comes_back_with_its_reason(admin_client):
    post = photo_post(UserFactory(), 1, caption="Kept")

    response = admin_client.post(
        change_url(post), change_form_data(admin_client, post, caption="x" * 5000)
    )

    assert response.status_code == 400
    assert "caption" in response.text.lower()
    assert fresh(post).caption == "Kept"


@pytest.mark.django_db
def test_deleting_a_post_in_the_admin_is_post_delete(admin_client, committed):
    author, fan = UserFactory(), UserFactory()
    post = photo_post(author, 1)
    kept = photo_post(author, 2)
    with committed():
        like_add(user=fan, post=post)
        comment_add(author=fan, post=post, text="Nice")
    assert fresh(author).post_count == 2

    page = admin_client.get(delete_url(post))
    with committed():
        response = admin_client.post(delete_url(post), {"post": "yes"})

    assert "Are you sure" in page.text
    assert response.status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
    assert fresh(author).post_count == 1
    assert not Notification.objects.filter(recipient=author).exists()
    assert profile_api(admin_client, author.username)["post_count"] == 1
    assert Post.objects.filter(pk=kept.pk).exists()
    assert_every_counter_matches_its_rows()


@pytest.mark.django_db
def test_deleting_posts_in_bulk_in_the_admin_keeps_post_count(admin_client):
    author = UserFactory()
    posts = [photo_post(author, seed) for seed in (1, 2, 3)]
    moderation.post_remove(moderator=moderator_make(), post=posts[2], reason="spam")
    assert fresh(author).post_count == 2

    response = delete_selected(admin_client, Post, posts[1:])

    assert "Deleted 2 posts." in messages_of(response)
    # One live post and one removed one went: post_count counts live posts only.
    assert fresh(author).post_count == 1


@pytest.mark.django_db
def test_a_post_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(url(Post, "add")).status_code == 403


@pytest.mark.django_db
def test_deleting_a_comment_in_the_admin_is_comment_delete(admin_client, committed):
    author, fan = UserFactory(), UserFactory()
    post = photo_post(author, 1)
    with committed():
        comment = comment_add(author=fan, post=post, text="Great")
        other = comment_add(author=fan, post=post, text="Again")
    assert fresh(post).comment_count == 2

    single = admin_client.post(delete_url(comment), {"post": "yes"})
    edit = admin_client.post(change_url(other), {"text": "rewritten"})

    assert single.status_code == 302
    assert fresh(post).comment_count == 1
    assert not Notification.objects.filter(comment_id=comment.pk).exists()
    assert edit.status_code == 403
    assert fresh(other).text == "Again"
    response = delete_selected(admin_client, Comment, [other])
    assert "Deleted 1 comment." in messages_of(response)
    assert fresh(post).comment_count == 0
    assert_every_counter_matches_its_rows()


# --- Likes, saves, follows, blocks, mutes ---------------------------------------------------------


@pytest.mark.django_db
def test_deleting_a_like_in_the_admin_is_unliking(admin_client, committed):
    author = UserFactory()
    post = photo_post(author, 1)
    fans = [UserFactory(), UserFactory(), UserFactory()]
    with committed():
        for fan in fans:
            like_add(user=fan, post=post)
    likes = list(Like.objects.order_by("pk"))

    single = admin_client.post(delete_url(likes[0]), {"post": "yes"})
    assert single.status_code == 302
    assert fresh(post).like_count == 2
    response = delete_selected(admin_client, Like, likes[1:])

    assert "Deleted 2 likes." in messages_of(response)
    assert fresh(post).like_count == 0
    assert not Like.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.LIKE).exists()
    assert_every_counter_matches_its_rows()


@pytest.mark.django_db
def test_a_like_on_a_post_its_liker_cannot_see_stays_with_a_reason(admin_client, committed):
    post = photo_post(UserFactory(), 1)
    fan = UserFactory(username="fan")
    with committed():
        like_add(user=fan, post=post)
    moderation.post_remove(moderator=moderator_make(), post=post, reason="spam")
    like = Like.objects.get()

    single = admin_client.post(delete_url(like), {"post": "yes"}, follow=True)
    bulk = delete_selected(admin_client, Like, [like])

    assert any("@fan can no longer see post" in m for m in messages_of(single))
    assert any(m.startswith("Not deleted: ") for m in messages_of(bulk))
    assert not any(m.startswith("Deleted") for m in messages_of(bulk))
    assert Like.objects.filter(pk=like.pk).exists()
    assert fresh(post).like_count == 1


@pytest.mark.django_db
def test_deleting_a_comment_like_in_the_admin_is_unliking_it(admin_client, committed):
    post = photo_post(UserFactory(), 1)
    comment = comment_add(author=UserFactory(), post=post, text="Nice")
    with committed():
        for fan in (UserFactory(), UserFactory()):
            comment_like_add(user=fan, comment=comment)

    response = delete_selected(admin_client, CommentLike, list(CommentLike.objects.all()))

    assert "Deleted 2 comment likes." in messages_of(response)
    assert fresh(comment).like_count == 0
    assert not Notification.objects.filter(kind=Notification.Kind.COMMENT_LIKE).exists()


@pytest.mark.django_db
def test_deleting_a_saved_post_in_the_admin_is_unsaving(admin_client):
    post = photo_post(UserFactory(), 1)
    keeper = UserFactory()
    save_add(user=keeper, post=post)

    response = delete_selected(admin_client, SavedPost, list(SavedPost.objects.all()))

    assert "Deleted 1 saved post." in messages_of(response)
    assert not SavedPost.objects.exists()


@pytest.mark.django_db
def test_deleting_a_follow_in_the_admin_is_unfollowing(admin_client, committed):
    star, fan, asker = UserFactory(), UserFactory(), UserFactory()
    shy = UserFactory(private=True)
    with committed():
        follow_create(follower=fan, following=star)
        follow_create(follower=asker, following=shy)
    follow = Follow.objects.get(following=star)
    request = Follow.objects.get(following=shy)
    assert (fresh(star).follower_count, fresh(fan).following_count) == (1, 1)
    admin_client.get(f"/u/{star.username}/")  # cached header

    with committed():
        single = admin_client.post(delete_url(follow), {"post": "yes"})
    response = delete_selected(admin_client, Follow, [request])

    assert single.status_code == 302
    assert (fresh(star).follower_count, fresh(fan).following_count) == (0, 0)
    assert profile_api(admin_client, star.username)["follower_count"] == 0
    assert not Notification.objects.filter(actor=fan, recipient=star).exists()
    assert "Deleted 1 follow." in messages_of(response)
    assert not Follow.objects.exists()
    # A pending request was not counted, so withdrawing it moves nothing.
    assert (fresh(shy).follower_count, fresh(asker).following_count) == (0, 0)
    assert not Notification.objects.filter(actor=asker).exists()
    assert_every_counter_matches_its_rows()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "make"),
    [(Block, block_create), (Mute, mute_create)],
    ids=["block", "mute"],
)
def test_deleting_a_block_or_mute_in_the_admin_is_its_undo(admin_client, model, make):
    pairs = [(UserFactory(), UserFactory()) for _ in range(3)]
    rows = [make(**dict(zip(admin_of(model).sides, pair, strict=True))) for pair in pairs]

    single = admin_client.post(delete_url(rows[0]), {"post": "yes"})
    response = delete_selected(admin_client, model, rows[1:])

    assert single.status_code == 302
    assert f"Deleted 2 {model._meta.verbose_name_plural}." in messages_of(response)
    assert not model.objects.exists()
    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.post(change_url(rows[0]), {}).status_code in (403, 302)


@pytest.mark.django_db
def test_a_dead_outbox_message_can_be_deleted_as_done(admin_client):
    message = OutboxMessage.objects.create(
        task="social.tasks.notifications_deliver",
        args=["like", [1]],
        next_attempt_at=timezone.now(),
    )

    response = admin_client.post(delete_url(message), {"post": "yes"})

    assert response.status_code == 302
    assert not OutboxMessage.objects.exists()


# --- Read-only admins over HTTP -------------------------------------------------------------------


def _read_only_row(model):
    post = PostFactory()
    return {
        Notification: lambda: NotificationFactory(kind=Notification.Kind.LIKE, post=post),
        NotificationOptOut: lambda: NotificationOptOut.objects.create(
            user=UserFactory(), setting=NotificationOptOut.Setting.LIKES
        ),
        Hashtag: lambda: Hashtag.objects.create(name="sunset"),
        Mention: lambda: Mention.objects.create(user=UserFactory(), post=post),
        Report: lambda: ReportFactory(),
        ModerationAction: lambda: moderation.post_remove(
            moderator=moderator_make(), post=post, reason="spam"
        ),
        Appeal: lambda: Appeal.objects.create(
            action=moderation.post_remove(moderator=moderator_make(), post=post, reason="spam"),
            appellant=post.author,
            text="Mistake",
        ),
        BannedImage: lambda: BannedImage.objects.create(
            image=post.images.get(), phash=7, banned_by=UserFactory(is_staff=True)
        ),
        UserSession: lambda: UserSession.objects.create(
            user=UserFactory(), session_key="s" * 32, last_seen_at=timezone.now()
        ),
        AppRegistration: lambda: oauth_app().registration,
        Application: oauth_app,
        AccessToken: lambda: AccessToken.objects.get(user=_token_holder()),
        MediaUpload: lambda: media_upload_create(owner=UserFactory(), upload=photo_upload()),
        Marker: lambda: Marker.objects.create(
            user=UserFactory(), timeline="home", last_read_id="1"
        ),
    }[model]()


def _token_holder():
    user = UserFactory()
    oauth_token(user, "read")
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("model", sorted(READ_ONLY, key=str), ids=lambda m: m.__name__)
def test_a_read_only_admin_refuses_every_write_over_http(admin_client, model):
    row = _read_only_row(model)
    count = model.objects.count()

    changelist = admin_client.get(url(model, "changelist"))

    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.text
    assert admin_client.get(change_url(row)).status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.post(change_url(row), {}).status_code == 403
    assert admin_client.post(delete_url(row), {"post": "yes"}).status_code == 403
    assert model.objects.count() == count


@pytest.mark.django_db
def test_a_post_s_hashtags_and_images_cannot_be_added_or_removed_inline(admin_client):
    post = photo_post(UserFactory(), 1, caption="A #sunset")
    data = change_form_data(admin_client, post)
    for key in list(data):
        if key.endswith("-0-id"):
            data[key.replace("-0-id", "-0-DELETE")] = "on"

    response = admin_client.post(change_url(post), data)

    assert response.status_code == 302
    assert post.images.count() == 1
    assert PostHashtag.objects.filter(post=post).count() == 1
