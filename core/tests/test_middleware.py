"""NulCharacterMiddleware: a NUL in the URL is a 400 on pages and in the API, never a 500."""

import pytest

from core.middleware import NUL_MESSAGE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/users/%00/",
        "/api/v1/users/mia%00/posts/",
        "/api/v1/search/?q=%00",
        "/api/v1/explore/?cursor=abc%00def",
        "/api/v1/nowhere%00/",
    ],
)
def test_an_api_url_holding_a_nul_is_a_json_400_before_any_query(
    client, django_assert_num_queries, url
):
    with django_assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": NUL_MESSAGE}


@pytest.mark.parametrize("url", ["/u/%00/", "/u/mia/followers/?cursor=%00", "/?q=a+%00+b"])
def test_a_page_url_holding_a_nul_is_the_400_page(client, django_assert_num_queries, url):
    with django_assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"That request didn't make sense" in response.content


def test_a_write_to_an_api_url_holding_a_nul_is_refused_the_same_way(client):
    response = client.post("/api/v1/users/%00/follow/")

    assert response.status_code == 400
    assert response.json() == {"detail": NUL_MESSAGE}


def test_urls_without_a_nul_pass_through(client):
    response = client.get("/api/v1/users/nobody/", {"q": "0"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
