"""Actions that lose something ask first: unfollowing a private account, removing a follower.

Without scripts the page answers with a confirmation page whose button does the action; with
app.js the browser asks in a dialog and posts `confirmed` (tests_e2e covers that path).
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from social.graph.models import Follow
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def follows(follower, following):
    return Follow.objects.filter(follower=follower, following=following).exists()


def test_unfollowing_a_private_account_asks_first_and_keeps_the_follow_until_confirmed():
    me, private = UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=me, following=private)
    client = signed_in(me)

    response = client.post(reverse("social:unfollow", args=[private.username]))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Unfollow {private.username}?" in page
    assert "have to ask to follow" in page
    assert 'name="confirmed" value="1"' in page
    assert follows(me, private)


def test_confirming_unfollows_the_private_account():
    me, private = UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=me, following=private)

    response = signed_in(me).post(
        reverse("social:unfollow", args=[private.username]), {"confirmed": "1"}
    )

    assert response.status_code == 302
    assert not follows(me, private)


def test_app_js_gets_the_confirmation_page_too_when_it_did_not_confirm():
    # app.js falls back to the browser's own submit on an answer that isn't JSON, which
    # shows this page: the follow is never lost without a question.
    me, private = UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=me, following=private)

    response = signed_in(me).post(
        reverse("social:unfollow", args=[private.username]), HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert follows(me, private)


@pytest.mark.parametrize("private", [False, True])
def test_no_question_where_nothing_is_lost(private):
    # A public account stays readable; a pending request to a private one shows nothing yet.
    me, them = UserFactory(), UserFactory(is_private=private)
    FollowFactory(
        follower=me,
        following=them,
        status=Follow.Status.PENDING if private else Follow.Status.ACCEPTED,
    )

    response = signed_in(me).post(reverse("social:unfollow", args=[them.username]))

    assert response.status_code == 302
    assert not follows(me, them)


def test_the_follow_button_of_a_private_account_carries_the_question_for_app_js():
    me, private, public = UserFactory(), UserFactory(is_private=True), UserFactory()
    FollowFactory(follower=me, following=private)
    FollowFactory(follower=me, following=public)
    client = signed_in(me)

    private_page = client.get(reverse("accounts:profile", args=[private.username])).content
    public_page = client.get(reverse("accounts:profile", args=[public.username])).content

    assert b"data-confirm-unfollow=" in private_page
    assert b"data-confirm-unfollow=" not in public_page


def test_my_followers_list_offers_remove_and_the_page_asks_first():
    me, fan = UserFactory(is_private=True), UserFactory()
    FollowFactory(follower=fan, following=me)
    client = signed_in(me)

    listing = client.get(reverse("accounts:followers", args=[me.username])).content.decode()
    remove_url = reverse("social:remove-follower", args=[fan.username])
    assert remove_url in listing

    confirm = client.get(remove_url)
    assert confirm.status_code == 200
    assert f"Remove {fan.username} from your followers?" in confirm.content.decode()
    assert follows(fan, me)

    done = client.post(remove_url, {"next": reverse("accounts:followers", args=[me.username])})
    assert done.status_code == 302
    assert not follows(fan, me)


def test_someone_elses_followers_list_has_no_remove():
    me, other, fan = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=fan, following=other)

    listing = signed_in(me).get(reverse("accounts:followers", args=[other.username]))

    assert reverse("social:remove-follower", args=[fan.username]) not in listing.content.decode()


def test_removing_someone_who_does_not_follow_me_changes_nothing_and_says_so():
    me, stranger = UserFactory(), UserFactory()
    client = signed_in(me)

    page = client.get(reverse("social:remove-follower", args=[stranger.username]))
    assert f"{stranger.username} doesn" in page.content.decode()

    response = client.post(reverse("social:remove-follower", args=[stranger.username]))
    assert response.status_code == 302


def test_removing_a_follower_across_a_block_or_unknown_is_404():
    me, blocker = UserFactory(), UserFactory()
    BlockFactory(blocker=blocker, blocked=me)
    client = signed_in(me)

    for name in (blocker.username, "nobody-here"):
        assert client.post(reverse("social:remove-follower", args=[name])).status_code == 404


def test_a_visitor_cannot_remove_followers():
    me, fan = UserFactory(), UserFactory()
    FollowFactory(follower=fan, following=me)

    response = Client().post(reverse("social:remove-follower", args=[fan.username]))

    assert response.status_code in (302, 403)
    assert follows(fan, me)


def test_the_api_removes_a_follower():
    me, fan = UserFactory(is_private=True), UserFactory()
    FollowFactory(follower=fan, following=me)
    api = APIClient()
    api.force_authenticate(me)

    url = reverse("api:follower-remove", args=[fan.username])
    assert api.delete(url).json() == {"removed": True}
    assert not follows(fan, me)
    assert api.delete(url).json() == {"removed": False}
    assert api.delete(reverse("api:follower-remove", args=["nobody-here"])).status_code == 404
    # Now fan is a stranger to a private account: its posts are hidden from them.
    stranger_api = APIClient()
    stranger_api.force_authenticate(fan)
    posts = stranger_api.get(reverse("api:user-posts", args=[me.username])).json()
    assert posts["results"] == []
