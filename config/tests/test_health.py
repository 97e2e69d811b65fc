import pytest
from django.db import connections

pytestmark = pytest.mark.django_db


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_healthz_reports_every_dependency_on_the_embedded_defaults(client, settings):
    # The services tier (scripts/test-services) configures a replica; the defaults have none.
    settings.DATABASES = {"default": settings.DATABASES["default"]}
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "replica", "cache", "broker"}
    assert body["checks"]["replica"]["configured"] is False
    assert body["checks"]["broker"]["mode"] == "eager"


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False
