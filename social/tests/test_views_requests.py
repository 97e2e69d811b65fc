"""The follow requests page and its Confirm / Delete buttons."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from social.graph.models import Follow
from social.graph.services import follow_create
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db

REQUESTS = reverse("social:requests")
JSON = {"HTTP_ACCEPT": "application/json"}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def request_to(owner, requester=None):
    return follow_create(follower=requester or UserFactory(), following=owner)


def answer(owner, follow, verb, **kwargs):
    url = reverse(f"social:request-{verb}", args=[follow.pk])
    return client_for(owner).post(url, {"next": REQUESTS}, **kwargs)


def test_the_requests_page_lists_pending_requests_with_confirm_and_delete():
    owner = UserFactory(is_private=True)
    first, second = request_to(owner), request_to(owner)
    FollowFactory(following=owner)  # accepted: not a request

    response = client_for(owner).get(REQUESTS)

    assert response.status_code == 200
    html = response.text
    for follow in (first, second):
        assert f'href="/u/{follow.follower.username}/"' in html
        assert f'action="/requests/{follow.pk}/accept/"' in html
        assert f'action="/requests/{follow.pk}/decline/"' in html
    assert html.count('class="user-row"') == 2


def test_the_requests_page_needs_a_login(client):
    response = client.get(REQUESTS)

    assert response["Location"] == f"/accounts/login/?next={REQUESTS}"


def test_requests_from_someone_i_blocked_are_left_out():
    owner = UserFactory(is_private=True)
    follow = request_to(owner)
    BlockFactory(blocker=owner, blocked=follow.follower)
    Follow.objects.filter(pk=follow.pk).update(status=Follow.Status.PENDING)

    response = client_for(owner).get(REQUESTS)

    assert follow.follower.username not in response.text


def test_confirming_a_request():
    owner = UserFactory(is_private=True)
    follow = request_to(owner)

    response = answer(owner, follow, "accept")

    assert response["Location"] == REQUESTS
    assert Follow.objects.get(pk=follow.pk).status == Follow.Status.ACCEPTED
    assert User.objects.get(pk=owner.pk).follower_count == 1
    assert messages_of(response) == [f"{follow.follower.username} now follows you"]


def test_deleting_a_request():
    owner = UserFactory(is_private=True)
    follow = request_to(owner)

    response = answer(owner, follow, "decline")

    assert not Follow.objects.filter(pk=follow.pk).exists()
    assert messages_of(response) == ["Request deleted. They won't be told."]


@pytest.mark.parametrize(("verb", "state"), [("accept", "accepted"), ("decline", "declined")])
def test_answering_tells_scripts_the_outcome(verb, state):
    owner = UserFactory(is_private=True)
    follow = request_to(owner)

    response = answer(owner, follow, verb, **JSON)

    assert response.status_code == 200
    assert response.json() == {"state": state}


@pytest.mark.parametrize("verb", ["accept", "decline"])
def test_nobody_answers_a_request_to_someone_else(verb):
    owner = UserFactory(is_private=True)
    follow = request_to(owner)
    intruder = UserFactory()

    page = answer(intruder, follow, verb)
    script = answer(intruder, follow, verb, **JSON)

    assert page.status_code == 404
    assert script.status_code == 404
    assert Follow.objects.get(pk=follow.pk).status == Follow.Status.PENDING


@pytest.mark.parametrize("verb", ["accept", "decline"])
def test_answering_needs_the_csrf_token_and_a_post(verb):
    owner = UserFactory(is_private=True)
    follow = request_to(owner)
    url = reverse(f"social:request-{verb}", args=[follow.pk])

    forged = client_for(owner, enforce_csrf_checks=True).post(url)
    fetched = client_for(owner).get(url)

    assert forged.status_code == 403
    assert fetched.status_code == 405
    assert Follow.objects.get(pk=follow.pk).status == Follow.Status.PENDING


@pytest.mark.parametrize("n", [5, 20])
def test_the_requests_page_costs_the_same_queries_whatever_its_length(n, django_assert_num_queries):
    owner = UserFactory(is_private=True)
    for _ in range(n):
        request_to(owner)
    client = client_for(owner)

    # the user, the unread badge, the requests with their requesters
    with django_assert_num_queries(3):
        response = client.get(REQUESTS)

    assert response.text.count('class="user-row"') == n
