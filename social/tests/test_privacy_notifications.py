"""Notifications never carry a post to someone who may not see it: not when they are made
(a mention of a stranger on a private post, a mention across a block), and not later (the
post went private, a block came, moderators removed it, its author was suspended).

Each test works from the outside, as people would: writes through the pages and the API,
then reads of the notifications page, its badge, the API list and the unread count.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.tests.factories import PostFactory, image_upload
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS_PAGE = reverse("social:notifications")
NOTIFICATIONS_API = reverse("api:notifications")
UNREAD_COUNT_API = reverse("api:notifications-unread-count")
SECRET = "look at this secret sunset"


def comment_by_api(author, post, text):
    response = token_client(author).post(
        reverse("api:post-comments", args=[post.pk]), {"text": text}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def comment_by_page(author, post, text):
    client = Client()
    client.force_login(author)
    response = client.post(reverse("posts:comment-add", args=[post.pk]), {"text": text})
    assert response.status_code == 302, response.content


def page_html(user, path="/"):
    client = Client()
    client.force_login(user)
    return client.get(path).text


def what_reaches(user, post):
    """Everything of `post` that `user` could learn from their notifications, by every route."""
    api = token_client(user)
    items = api.get(NOTIFICATIONS_API).json()["results"]
    # The count and the badge first: opening the notifications page marks everything read.
    unread = api.get(UNREAD_COUNT_API).json()["unread_count"]
    badge = "unread" in page_html(user, "/")
    page = page_html(user, NOTIFICATIONS_PAGE)
    return {
        "api list": any((item["post"] or {}).get("id") == post.pk for item in items),
        "api text": SECRET in str(items),
        "api unread count": unread > 0,
        "header badge": badge,
        "page link": f"/p/{post.pk}/" in page,
        "page text": SECRET in page,
    }


def nothing(places):
    return {place for place, shown in places.items() if shown} == set()


@pytest.fixture
def private_post():
    """A private account's post and one accepted follower of that account."""
    owner = UserFactory(username="owner", private=True)
    follower = UserFactory(username="follower")
    FollowFactory(follower=follower, following=owner)
    return PostFactory(author=owner), follower


@pytest.mark.parametrize("write", [comment_by_api, comment_by_page], ids=["api", "page"])
def test_a_follower_mentioning_a_stranger_on_a_private_post_tells_the_stranger_nothing(
    private_post, write, committed
):
    post, follower = private_post
    stranger = UserFactory(username="stranger")

    with committed():
        write(follower, post, f"@stranger {SECRET}")

    assert token_client(stranger).get(reverse("api:post-detail", args=[post.pk])).status_code == 404
    assert nothing(what_reaches(stranger, post))


def test_a_follower_mentioning_another_follower_on_a_private_post_tells_them(
    private_post, committed
):
    post, follower = private_post
    friend = UserFactory(username="friend")
    FollowFactory(follower=friend, following=post.author)

    with committed():
        comment_by_api(follower, post, f"@friend {SECRET}")

    assert what_reaches(friend, post) == dict.fromkeys(
        ["api list", "api text", "api unread count", "header badge", "page link", "page text"],
        True,
    )


def test_a_mention_across_a_block_with_the_post_s_author_gives_the_blocked_person_nothing(
    committed,
):
    owner = UserFactory(username="owner")
    blocked = UserFactory(username="blocked")
    BlockFactory(blocker=owner, blocked=blocked)
    post = PostFactory(author=owner)

    with committed():
        comment_by_api(UserFactory(), post, f"@blocked {SECRET}")

    assert nothing(what_reaches(blocked, post))


def test_a_mention_of_someone_who_blocked_the_post_s_author_gives_them_nothing(committed):
    owner = UserFactory(username="owner")
    blocker = UserFactory(username="blocker")
    BlockFactory(blocker=blocker, blocked=owner)
    post = PostFactory(author=owner)

    with committed():
        comment_by_page(UserFactory(), post, f"@blocker {SECRET}")

    assert nothing(what_reaches(blocker, post))


def test_a_mention_in_a_private_caption_of_a_stranger_tells_the_stranger_nothing(committed):
    owner = UserFactory(username="owner", private=True)
    stranger = UserFactory(username="stranger")
    client = Client()
    client.force_login(owner)

    with committed():
        response = client.post(
            reverse("posts:post-new"),
            {"images": [image_upload()], "caption": f"@stranger {SECRET}"},
        )
    assert response.status_code == 302
    post = owner.posts.get()

    assert nothing(what_reaches(stranger, post))


# --- Later: a notification that became invisible stops showing and counting ---------------------


@pytest.fixture
def mentioned(committed):
    """A public post on which a third person mentioned `reader`, who was told."""
    owner = UserFactory(username="owner")
    reader = UserFactory(username="reader")
    post = PostFactory(author=owner)
    with committed():
        comment_by_api(UserFactory(), post, f"@reader {SECRET}")
    assert what_reaches(reader, post)["api list"]
    # Unread again, so the badge and count have something to lose.
    reader.notifications.update(read_at=None)
    return post, reader


def test_a_mention_stops_showing_when_the_post_s_author_goes_private(mentioned):
    post, reader = mentioned

    response = token_client(post.author).patch(
        reverse("api:me"), {"is_private": True}, format="json"
    )

    assert response.status_code == 200
    assert nothing(what_reaches(reader, post))


def test_a_mention_stops_showing_when_the_post_s_author_blocks_the_reader(mentioned):
    post, reader = mentioned

    client = Client()
    client.force_login(post.author)
    client.post(reverse("social:block", args=[reader.username]))

    assert nothing(what_reaches(reader, post))


def test_a_mention_stops_showing_when_the_reader_blocks_the_post_s_author(mentioned):
    post, reader = mentioned

    token_client(reader).post(reverse("api:user-block", args=[post.author.username]))

    assert nothing(what_reaches(reader, post))


def test_a_mention_stops_showing_when_its_post_s_author_is_suspended(mentioned):
    post, reader = mentioned
    post.author.suspended_at = timezone.now()
    post.author.save()

    assert nothing(what_reaches(reader, post))


def test_a_mention_shows_again_when_the_author_goes_public_again(mentioned):
    post, reader = mentioned
    owner_api = token_client(post.author)
    owner_api.patch(reverse("api:me"), {"is_private": True}, format="json")
    owner_api.patch(reverse("api:me"), {"is_private": False}, format="json")

    assert what_reaches(reader, post)["api list"]


def test_a_mention_by_someone_the_mentioned_person_blocked_gives_them_nothing(committed):
    post = PostFactory(author=UserFactory(username="owner"))
    reader, commenter = UserFactory(username="reader"), UserFactory()
    BlockFactory(blocker=reader, blocked=commenter)

    with committed():
        comment_by_api(commenter, post, f"@reader {SECRET}")

    assert nothing(what_reaches(reader, post))


def test_a_mention_queued_before_the_author_went_private_is_not_delivered(
    django_capture_on_commit_callbacks,
):
    owner = UserFactory(username="owner")
    reader = UserFactory(username="reader")
    post = PostFactory(author=owner)
    with django_capture_on_commit_callbacks() as queued:
        comment_by_api(UserFactory(), post, f"@reader {SECRET}")
    token_client(owner).patch(reverse("api:me"), {"is_private": True}, format="json")

    for deliver in queued:  # the worker runs after the change
        deliver()

    assert not reader.notifications.exists()


def test_a_mention_in_a_comment_stops_showing_when_the_post_s_author_blocks_the_commenter(
    committed,
):
    owner, reader = UserFactory(username="owner"), UserFactory(username="reader")
    commenter = UserFactory(username="commenter")
    post = PostFactory(author=owner)
    with committed():
        comment_by_api(commenter, post, f"@reader {SECRET}")
    reader.notifications.update(read_at=None)
    assert what_reaches(reader, post)["api text"]
    reader.notifications.update(read_at=None)

    token_client(owner).post(reverse("api:user-block", args=["commenter"]))

    # The comment is gone from the post for everyone, so from the reader's notifications too.
    assert nothing(what_reaches(reader, post))
