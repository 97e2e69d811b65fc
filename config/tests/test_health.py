"""GET /healthz: ok / error for anyone; which services the site runs only for staff and
monitoring that sends the internal token (trust finding 7)."""

import pytest
from django.db import connections

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "a-long-random-monitoring-token"


@pytest.fixture
def health_token(settings):
    settings.SHUTTER_HEALTH_TOKEN = TOKEN


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)


def with_token(client, token=TOKEN):
    return client.get("/healthz", HTTP_X_HEALTH_TOKEN=token)


def test_a_stranger_learns_only_that_the_site_is_ok(client, health_token):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    for detail in (b"LocMemCache", b"eager", b"replica", b"database", b"ms"):
        assert detail not in response.content


def test_a_stranger_learns_only_that_the_site_is_down(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_a_member_who_is_not_staff_gets_no_details(client):
    client.force_login(UserFactory())

    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_wrong_or_empty_token_gets_no_details(client, health_token):
    assert with_token(client, "a-long-random-monitoring-tokeN").json() == {"status": "ok"}
    assert with_token(client, "").json() == {"status": "ok"}


def test_no_token_is_accepted_while_none_is_configured(client, settings):
    settings.SHUTTER_HEALTH_TOKEN = ""

    assert with_token(client, "").json() == {"status": "ok"}


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_the_internal_token_gets_every_dependency_on_the_embedded_defaults(
    client, settings, health_token
):
    # The services tier (scripts/test-services) configures a replica; the defaults have none.
    settings.DATABASES = {"default": settings.DATABASES["default"]}
    response = with_token(client)
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "replica", "cache", "broker"}
    assert body["checks"]["replica"]["configured"] is False
    assert body["checks"]["broker"]["mode"] == "eager"
    # LocMemCache on the embedded defaults, RedisCache in the services tier: whichever runs.
    assert (
        body["checks"]["cache"]["backend"] == settings.CACHES["default"]["BACKEND"].rsplit(".")[-1]
    )


def test_staff_get_the_details_in_their_session(client):
    client.force_login(UserFactory(is_staff=True))

    body = client.get("/healthz").json()

    assert set(body["checks"]) == {"database", "replica", "cache", "broker"}


def test_healthz_answers_503_with_the_failing_check_to_monitoring(
    client, database_down, health_token
):
    response = with_token(client)

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["checks"]["database"]["ok"] is False
