import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core import db_router, replica_health
from core.db_router import PRIMARY, REPLICA, PrimaryReplicaRouter, pinned_context
from core.middleware import PIN_COOKIE, ReadYourWritesMiddleware

# The tests add a replica alias to settings to see the router choose it.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings, monkeypatch):
    settings.DATABASES = {**settings.DATABASES, REPLICA: dict(settings.DATABASES[PRIMARY])}
    monkeypatch.setattr(replica_health, "replica_is_usable", lambda: True)
    return settings


def test_without_a_replica_every_query_goes_to_the_primary(settings):
    # The services tier (scripts/test-services) configures a replica; the defaults have none.
    settings.DATABASES = {PRIMARY: settings.DATABASES[PRIMARY]}
    router = PrimaryReplicaRouter()
    with pinned_context():
        assert router.db_for_read(None) is None  # None: Django's default alias
        assert router.db_for_write(None) == PRIMARY


def test_reads_go_to_the_replica_until_the_context_writes(with_replica):
    router = PrimaryReplicaRouter()
    with pinned_context() as scope:
        assert router.db_for_read(None) == REPLICA
        router.db_for_write(None)
        assert router.db_for_read(None) is None
    assert scope.wrote


def test_pinning_ends_with_its_context(with_replica):
    router = PrimaryReplicaRouter()
    with pinned_context():
        with pinned_context():
            router.db_for_write(None)
        assert router.db_for_read(None) == REPLICA


def test_an_unusable_replica_sends_reads_to_the_primary(with_replica, monkeypatch):
    monkeypatch.setattr(replica_health, "replica_is_usable", lambda: False)
    with pinned_context():
        assert PrimaryReplicaRouter().db_for_read(None) == PRIMARY


def test_migrations_run_only_on_the_primary():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate(PRIMARY, "posts")
    assert not router.allow_migrate(REPLICA, "posts")


def _middleware_seeing(pins):
    def view(request):
        pins.append(db_router.is_pinned_to_primary())
        if request.method == "POST":
            PrimaryReplicaRouter().db_for_write(None)
        return HttpResponse("ok")

    return ReadYourWritesMiddleware(view)


def test_a_client_that_wrote_reads_the_primary_on_its_next_request(with_replica):
    pins = []
    middleware = _middleware_seeing(pins)
    factory = RequestFactory()

    response = middleware(factory.post("/p/new/"))
    assert PIN_COOKIE in response.cookies

    follow_up = factory.get("/")
    follow_up.COOKIES[PIN_COOKIE] = response.cookies[PIN_COOKIE].value
    middleware(follow_up)
    stranger = middleware(factory.get("/"))

    assert pins == [False, True, False]
    assert PIN_COOKIE not in stranger.cookies


def test_a_forged_pin_cookie_is_ignored(with_replica):
    pins = []
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1"
    _middleware_seeing(pins)(request)
    assert pins == [False]
