"""What moderation hides is gone from every place a person looks (feed, profile, post page,
tag page and search, notifications, the API) and comes back when the action is undone. A
suspended account can't log in or use its token until it is unsuspended."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory
from posts.services import comment_add
from social.graph.services import follow_create
from social.moderation import services as moderation
from social.tests.moderation_helpers import moderator_make, photo_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """An author whose post mentions a follower and carries #sunset, and a comment on it."""
    author = UserFactory(username="painter")
    viewer = UserFactory(username="fan")
    with django_capture_on_commit_callbacks(execute=True):
        follow_create(follower=viewer, following=author)
        post = photo_post(author, 1, caption="Golden hour with @fan #sunset")
        comment = comment_add(author=UserFactory(username="heckler"), post=post, text="Meh")
    return {"author": author, "viewer": viewer, "post": post, "comment": comment}


@pytest.fixture
def moderator():
    return moderator_make()


def pages_showing_post(client, post, viewer):
    """Where `post` shows for `viewer`, as the pages and the API answer."""
    client.force_login(viewer)
    api = APIClient()
    api.force_authenticate(viewer)
    marker = f"/p/{post.pk}/"
    places = {
        "home feed": marker in client.get("/").text,
        "profile": marker in client.get(f"/u/{post.author.username}/").text,
        "tag page": marker in client.get("/tags/sunset/").text,
        "explore": marker in client.get("/explore/").text,
        "post page": client.get(marker).status_code == 200,
        "notifications page": marker in client.get("/notifications/").text,
        "api post": api.get(f"/api/v1/posts/{post.pk}/").status_code == 200,
        "api feed": _ids(api.get("/api/v1/feed/")) >= {post.pk},
        "api profile posts": _ids(api.get(f"/api/v1/users/{post.author.username}/posts/"))
        >= {post.pk},
        "api tag": _ids(api.get("/api/v1/tags/sunset/posts/")) >= {post.pk},
        "api notifications": any(
            (n.get("post") or {}).get("id") == post.pk
            for n in api.get("/api/v1/notifications/").json()["results"]
        ),
    }
    return {place for place, shown in places.items() if shown}


def _ids(response):
    return (
        {item["id"] for item in response.json()["results"]}
        if response.status_code == 200
        else set()
    )


EVERYWHERE = {
    "home feed",
    "profile",
    "tag page",
    "explore",
    "post page",
    "notifications page",
    "api post",
    "api feed",
    "api profile posts",
    "api tag",
    "api notifications",
}


def test_a_removed_post_is_gone_everywhere_and_back_after_restore(client, world, moderator):
    post, viewer = world["post"], world["viewer"]
    assert pages_showing_post(client, post, viewer) == EVERYWHERE

    moderation.post_remove(moderator=moderator, post=post, reason="Spam")
    assert pages_showing_post(client, post, viewer) == set()
    # Its author doesn't see it either: removal is not a privacy setting. Its page tells them
    # why instead of a bare 404 (test_moderation_notices.py).
    assert pages_showing_post(client, post, world["author"]) == {"post page"}
    client.force_login(world["author"])
    notice = client.get(f"/p/{post.pk}/").text
    assert "This post was removed for" in notice
    assert "Golden hour" not in notice

    moderation.post_restore(moderator=moderator, post=post, reason="Mistake")
    assert pages_showing_post(client, post, viewer) == EVERYWHERE


def test_a_removed_post_page_answers_404_to_visitors_too(client, world, moderator):
    moderation.post_remove(moderator=moderator, post=world["post"], reason="Spam")

    assert client.get(f"/p/{world['post'].pk}/").status_code == 404


def comment_shown(client, viewer, comment):
    client.force_login(viewer)
    api = APIClient()
    api.force_authenticate(viewer)
    on_page = comment.text in client.get(f"/p/{comment.post_id}/").text
    in_api = comment.pk in {
        c["id"] for c in api.get(f"/api/v1/posts/{comment.post_id}/comments/").json()["results"]
    }
    author = comment.post.author
    client.force_login(author)
    notified = comment.text in client.get("/notifications/").text
    return on_page, in_api, notified


def test_a_removed_comment_is_gone_from_the_post_the_api_and_notifications(
    client, world, moderator
):
    comment, viewer = world["comment"], world["viewer"]
    assert comment_shown(client, viewer, comment) == (True, True, True)

    moderation.comment_remove(moderator=moderator, comment=comment, reason="Rude")
    assert comment_shown(client, viewer, comment) == (False, False, False)

    moderation.comment_restore(moderator=moderator, comment=comment, reason="Fine")
    assert comment_shown(client, viewer, comment) == (True, True, True)


def account_presence(client, author, viewer, post):
    client.force_login(viewer)
    api = APIClient()
    api.force_authenticate(viewer)
    return {
        "profile": client.get(f"/u/{author.username}/").status_code == 200,
        "search": f"/u/{author.username}/" in client.get("/search/", {"q": "paint"}).text,
        "api search": author.username in str(api.get("/api/v1/search/", {"q": "paint"}).json()),
        "post page": client.get(f"/p/{post.pk}/").status_code == 200,
        "home feed": f"/p/{post.pk}/" in client.get("/").text,
    }


def test_a_suspended_account_and_its_posts_are_hidden_and_back_after_unsuspend(
    client, world, moderator
):
    author, viewer, post = world["author"], world["viewer"], world["post"]
    assert all(account_presence(client, author, viewer, post).values())

    moderation.user_suspend(moderator=moderator, user=author, reason="Spam account")
    assert not any(account_presence(client, author, viewer, post).values())

    moderation.user_unsuspend(moderator=moderator, user=author, reason="Appeal")
    assert all(account_presence(client, author, viewer, post).values())


def can_log_in(client, user):
    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_a_suspended_account_cannot_log_in_or_use_tokens_until_unsuspended(client, moderator):
    member = UserFactory()
    token = Token.objects.create(user=member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    bystander = UserFactory()
    session_client = type(client)()
    session_client.force_login(member)  # logged in before the suspension
    assert can_log_in(client, member)

    moderation.user_suspend(moderator=moderator, user=member, reason="Spam")

    assert not can_log_in(client, member)
    assert api.get("/api/v1/me/").status_code == 401
    new_token = APIClient().post(
        "/api/v1/auth/token/", {"username": member.username, "password": PASSWORD}
    )
    assert new_token.status_code == 400
    assert "suspended" in str(new_token.json())
    # A session from before the suspension stops working at once.
    assert session_client.get(reverse("posts:saved")).status_code == 302
    assert can_log_in(client, bystander)

    moderation.user_unsuspend(moderator=moderator, user=member, reason="Appeal accepted")

    assert can_log_in(client, member)
    assert api.get("/api/v1/me/").status_code == 200


def test_reporters_see_the_outcome_in_their_notifications(client, world, moderator):
    from social.tests.factories import ReportFactory

    reporter, other = UserFactory(username="watchful"), UserFactory(username="calm")
    ReportFactory(reporter=reporter, user=None, post=world["post"])
    ReportFactory(reporter=other, user=None, comment=world["comment"])

    moderation.post_remove(moderator=moderator, post=world["post"], reason="Scam")
    report = other.reports_made.get()
    moderation.report_dismiss(moderator=moderator, report=report, reason="Fine")

    client.force_login(reporter)
    acted = client.get("/notifications/").text
    client.force_login(other)
    dismissed = client.get("/notifications/").text
    post_report = reporter.reports_made.get()
    assert (
        f"Our moderators acted on your report #{post_report.pk} about a post by @painter "
        f"({post_report.get_reason_display().lower()}). Thank you." in acted
    )
    assert (
        f"Our moderators reviewed your report #{report.pk} about a comment by @heckler "
        f"({report.get_reason_display().lower()}) and left it up." in dismissed
    )
    # Never the content: the reporter may no longer see it.
    assert "Golden hour" not in acted
    assert "Meh" not in dismissed
    assert moderator.username not in acted + dismissed
    api = APIClient()
    api.force_authenticate(reporter)
    assert [n["kind"] for n in api.get("/api/v1/notifications/").json()["results"]] == [
        "report_resolved"
    ]
