"""Finding people (issue 13, point 6): a name is found by any part of it, ranked exact > prefix
> word start > anywhere, on the search page and in the API alike, and on PostgreSQL (the
services tier) names merely like the query too. Search visibility is unchanged: blocked and
suspended accounts are never found; private accounts are (their name is public).
"""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from social.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("posts:search")
API = reverse("api:search")


def page_people(client, query):
    html = client.get(PAGE, {"q": query}).content.decode()
    return re.findall(r'class="user-row__link" href="/u/([^/]+)/"', html)


def api_people(client, query, **params):
    response = client.get(API, {"q": query, **params})
    assert response.status_code == 200
    return [user["username"] for user in response.json()["users"]]


@pytest.fixture
def me(client):
    user = UserFactory(username="me_myself", display_name="Me")
    client.force_login(user)
    return user


@pytest.fixture
def martins():
    """One account per tier for "martin", the most followed ones where a tier could hide it."""
    return {
        "anywhere": UserFactory(username="xmartinx", display_name="Q", follower_count=90),
        "word": UserFactory(username="alice_m", display_name="Alice Martin", follower_count=50),
        "word_in_username": UserFactory(username="bob_martin", display_name="B", follower_count=40),
        "prefix": UserFactory(username="martina", display_name="Tina", follower_count=5),
        "exact": UserFactory(username="martin", display_name="M", follower_count=0),
        "other": UserFactory(username="carol", display_name="Carol King", follower_count=99),
    }


def test_martin_finds_alice_martin_on_the_page_and_in_the_api(client, me, martins):
    assert "alice_m" in page_people(client, "Martin")
    assert "alice_m" in api_people(token_client(me), "Martin")


def test_search_ranks_exact_then_prefix_then_word_start_then_anywhere(client, me, martins):
    # Followers only order accounts inside a tier: the least followed exact match still leads.
    expected = ["martin", "martina", "alice_m", "bob_martin", "xmartinx"]

    assert page_people(client, "martin") == expected
    assert api_people(token_client(me), "MARTIN") == expected
    assert api_people(APIClient(), "@martin") == expected


def test_the_api_takes_a_small_limit_for_suggestions_as_you_type(me, martins):
    assert api_people(token_client(me), "martin", limit=2) == ["martin", "martina"]


@pytest.mark.parametrize("limit", ["0", "21", "many"])
def test_a_limit_out_of_range_is_400_naming_it(me, limit):
    response = token_client(me).get(API, {"q": "martin", "limit": limit})

    assert response.status_code == 400
    assert "limit" in response.json()


def test_a_match_anywhere_never_finds_blocked_or_suspended_accounts(client, me):
    UserFactory(username="the_hidden_one", suspended_at=timezone.now())
    BlockFactory(blocker=UserFactory(username="xhiddenblocker"), blocked=me)
    BlockFactory(blocker=me, blocked=UserFactory(username="ihidblocked"))
    private = UserFactory(username="a_hidden_private", is_private=True)

    assert page_people(client, "hidden") == [private.username]
    assert api_people(token_client(me), "hidden") == [private.username]


def test_percent_and_underscore_are_matched_literally(client, me):
    UserFactory(username="under_score")
    UserFactory(username="underscore")

    assert page_people(client, "r_s") == ["under_score"]
    assert page_people(client, "%") == []


def test_typos_find_names_only_on_postgresql(client, me, martins):
    """pg_trgm word similarity where the database has it; SQLite matches substrings only."""
    found = page_people(client, "Martn")

    if connection.vendor == "postgresql":
        assert "alice_m" in found and "martin" in found and "carol" not in found
    else:
        assert found == []
