import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.tests.factories import CommentFactory, PostFactory
from social.moderation.models import Report
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db

REPORTS = reverse("api:report-create")


def report(client, **fields):
    body = {"target_type": "post", "reason": "spam", **fields}
    return client.post(REPORTS, body, format="json")


def test_reporting_a_post_opens_a_report_and_returns_it_with_201():
    me = UserFactory()
    post = PostFactory()

    response = report(token_client(me), target=post.pk, reason="nudity", text=" Not OK ")

    assert response.status_code == 201
    saved = Report.objects.get()
    assert response.json() == {
        "id": saved.pk,
        "target_type": "post",
        "target": str(post.pk),
        "reason": "nudity",
        "text": "Not OK",
        "status": "open",
        "created_at": response.json()["created_at"],
    }
    assert (saved.reporter, saved.post, saved.status) == (me, post, Report.Status.OPEN)


def test_reporting_a_comment_opens_a_report_on_the_comment():
    comment = CommentFactory()

    response = report(
        token_client(UserFactory()), target_type="comment", target=str(comment.pk), reason="hate"
    )

    assert response.status_code == 201
    assert response.json()["target"] == str(comment.pk)
    assert Report.objects.get().comment == comment


def test_reporting_an_account_takes_its_username_in_any_case():
    them = UserFactory(username="Maya")

    response = report(
        token_client(UserFactory()), target_type="user", target="maya", reason="harassment"
    )

    assert response.status_code == 201
    assert (response.json()["target_type"], response.json()["target"]) == ("user", "Maya")
    assert Report.objects.get().user == them


def test_reporting_again_while_the_report_is_open_returns_it_with_200():
    post = PostFactory()
    client = token_client(UserFactory())
    first = report(client, target=post.pk)

    second = report(client, target=post.pk, reason="violence", text="again")

    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["reason"] == "spam"
    assert Report.objects.count() == 1


def test_reporting_again_after_the_report_was_handled_opens_a_new_one():
    post = PostFactory()
    client = token_client(UserFactory())
    first = report(client, target=post.pk).json()
    Report.objects.filter(pk=first["id"]).update(status=Report.Status.DISMISSED)

    again = report(client, target=post.pk)

    assert again.status_code == 201
    assert again.json()["id"] != first["id"]


def test_two_people_reporting_the_same_post_open_two_reports():
    post = PostFactory()

    assert report(token_client(UserFactory()), target=post.pk).status_code == 201
    assert report(token_client(UserFactory()), target=post.pk).status_code == 201
    assert Report.objects.filter(post=post).count() == 2


def test_fields_a_reporter_may_not_set_are_ignored():
    me, other = UserFactory(), UserFactory()
    post = PostFactory()

    response = report(
        token_client(me),
        target=post.pk,
        id=999,
        reporter=other.pk,
        status="resolved",
        handled_by=other.pk,
        user=other.pk,
    )

    assert response.status_code == 201
    saved = Report.objects.get()
    assert (saved.reporter, saved.status, saved.handled_by, saved.user) == (
        me,
        Report.Status.OPEN,
        None,
        None,
    )
    assert saved.pk == response.json()["id"]


def test_a_report_without_its_fields_names_each_of_them():
    response = token_client(UserFactory()).post(REPORTS, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"target_type", "target", "reason"}
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"target_type": "hashtag", "target": "1"}, "target_type"),
        ({"reason": "boring"}, "reason"),
        ({"target": "abc"}, "target"),
        ({"target": "0"}, "target"),
        ({"target": -4}, "target"),
        ({"target": str(2**70)}, "target"),
        ({"target_type": "comment", "target": "1.5"}, "target"),
        ({"target_type": "user", "target": "x" * 151}, "target"),
        ({"text": "x" * 1001}, "text"),
    ],
    ids=[
        "unknown-type",
        "unknown-reason",
        "id-not-a-number",
        "id-zero",
        "id-negative",
        "id-too-large",
        "comment-id-not-whole",
        "username-too-long",
        "text-too-long",
    ],
)
def test_each_invalid_report_field_is_named_in_the_error(fields, field):
    post = PostFactory()

    response = report(token_client(UserFactory()), **{"target": post.pk, **fields})

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Report.objects.exists()


def test_the_text_limit_message_says_how_long_the_text_is():
    post = PostFactory()

    response = report(token_client(UserFactory()), target=post.pk, text="x" * 1200)

    assert "1200" in response.json()["text"][0]


@pytest.mark.parametrize("kind", ["post", "comment", "user"])
def test_reporting_my_own_things_is_400_naming_the_target(kind):
    me = UserFactory(username="me")
    targets = {
        "post": lambda: PostFactory(author=me).pk,
        "comment": lambda: CommentFactory(author=me).pk,
        "user": lambda: "me",
    }

    response = report(token_client(me), target_type=kind, target=targets[kind]())

    assert response.status_code == 400
    assert list(response.json()) == ["target"]
    assert not Report.objects.exists()


def hidden_post(me):
    return "post", PostFactory(author=UserFactory(private=True)).pk


def post_of_someone_who_blocked_me(me):
    post = PostFactory()
    BlockFactory(blocker=post.author, blocked=me)
    return "post", post.pk


def post_of_someone_i_blocked(me):
    post = PostFactory()
    BlockFactory(blocker=me, blocked=post.author)
    return "post", post.pk


def removed_post(me):
    return "post", PostFactory(removed_at=timezone.now()).pk


def comment_on_a_hidden_post(me):
    post = PostFactory(author=UserFactory(private=True))
    return "comment", CommentFactory(post=post).pk


def removed_comment(me):
    return "comment", CommentFactory(removed_at=timezone.now()).pk


def comment_of_someone_who_blocked_me(me):
    comment = CommentFactory()
    BlockFactory(blocker=comment.author, blocked=me)
    return "comment", comment.pk


def account_that_blocked_me(me):
    them = UserFactory()
    BlockFactory(blocker=them, blocked=me)
    return "user", them.username


def suspended_account(me):
    return "user", UserFactory(suspended=True).username


def missing_post(me):
    return "post", 999_999


def missing_account(me):
    return "user", "nobody"


@pytest.mark.parametrize(
    "target",
    [
        hidden_post,
        post_of_someone_who_blocked_me,
        post_of_someone_i_blocked,
        removed_post,
        comment_on_a_hidden_post,
        removed_comment,
        comment_of_someone_who_blocked_me,
        account_that_blocked_me,
        suspended_account,
        missing_post,
        missing_account,
    ],
)
def test_reporting_what_i_cant_see_is_404(target):
    me = UserFactory()
    kind, key = target(me)

    response = report(token_client(me), target_type=kind, target=key)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert not Report.objects.exists()


def test_a_follower_can_report_a_private_accounts_post():
    me = UserFactory()
    post = PostFactory(author=UserFactory(private=True))
    FollowFactory(follower=me, following=post.author)

    assert report(token_client(me), target=post.pk).status_code == 201


def test_a_private_account_itself_can_be_reported_by_anyone():
    UserFactory(username="hidden", private=True)

    response = report(token_client(UserFactory()), target_type="user", target="hidden")

    assert response.status_code == 201


def test_a_report_can_be_sent_as_a_form():
    post = PostFactory()

    response = token_client(UserFactory()).post(
        REPORTS,
        {"target_type": "post", "target": str(post.pk), "reason": "other"},
        format="multipart",
    )

    assert response.status_code == 201


def test_a_visitor_cannot_report():
    post = PostFactory()

    response = report(APIClient(), target=post.pk)

    assert response.status_code == 401
    assert not Report.objects.exists()
