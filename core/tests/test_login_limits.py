"""Failed log-in limits: N failures for one login from one address lock that pair for a while."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory
from core.login_limits import (
    LoginLocked,
    login_attempts_check,
    login_failure_record,
    login_failures_clear,
)

TOKEN = reverse("api:auth-token")


@pytest.fixture(autouse=True)
def limit(settings):
    settings.SHUTTER_LOGIN_LIMIT = {"FAILURES": 3, "WINDOW": 600}


def request_from(address):
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)


def fail(times, login="grace", address="10.0.0.1"):
    for _ in range(times):
        login_failure_record(request=request_from(address), login=login)


def test_failures_under_the_limit_do_not_lock():
    fail(2)

    login_attempts_check(request=request_from("10.0.0.1"), login="grace")  # no exception


def test_reaching_the_limit_locks_the_login_from_that_address_saying_for_how_long():
    fail(3)

    with pytest.raises(LoginLocked) as locked:
        login_attempts_check(request=request_from("10.0.0.1"), login="Grace")

    assert isinstance(locked.value, ValidationError)  # a form shows it like any other error
    assert 590 <= locked.value.retry_after <= 600
    assert "Try again in 10 minutes" in locked.value.messages[0]


def test_the_lock_holds_one_pair_only():
    fail(3)

    login_attempts_check(request=request_from("10.0.0.2"), login="grace")
    login_attempts_check(request=request_from("10.0.0.1"), login="ada")


def test_the_lock_ends_with_its_window(monkeypatch):
    fail(3)
    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)

    login_attempts_check(request=request_from("10.0.0.1"), login="grace")


def test_a_successful_login_starts_the_count_again():
    fail(2)
    login_failures_clear(request=request_from("10.0.0.1"), login="grace")
    fail(2)

    login_attempts_check(request=request_from("10.0.0.1"), login="grace")


def test_failures_counted_at_the_same_moment_are_all_counted():
    def guess():
        login_failure_record(request=request_from("10.0.0.1"), login="grace")

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with pytest.raises(LoginLocked):
        login_attempts_check(request=request_from("10.0.0.1"), login="grace")


def test_only_our_own_proxies_forwarded_address_is_believed(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    spoofed = RequestFactory().post(
        "/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.1"
    )
    fail(3, address="10.9.9.9")  # the proxy's own address is not the client

    login_attempts_check(request=spoofed, login="grace")
    for _ in range(3):
        login_failure_record(request=spoofed, login="grace")
    with pytest.raises(LoginLocked):
        login_attempts_check(
            request=RequestFactory().post("/", HTTP_X_FORWARDED_FOR="8.8.8.8, 10.0.0.1"),
            login="grace",
        )


# --- Through the API (POST /api/v1/auth/token/) ---------------------------------------------


@pytest.mark.django_db
def test_the_api_refuses_a_locked_login_with_429_even_with_the_right_password():
    UserFactory(username="grace")
    client = APIClient()
    for _ in range(3):
        assert client.post(TOKEN, {"username": "grace", "password": "wrong"}).status_code == 400

    response = client.post(TOKEN, {"username": "grace", "password": PASSWORD})

    assert response.status_code == 429
    assert 590 <= int(response["Retry-After"]) <= 600
    assert "Too many failed attempts" in response.json()["detail"]


@pytest.mark.django_db
def test_the_api_forgets_failures_after_a_successful_login():
    UserFactory(username="grace")
    client = APIClient()
    for _ in range(2):
        client.post(TOKEN, {"username": "grace", "password": "wrong"})
    assert client.post(TOKEN, {"username": "grace", "password": PASSWORD}).status_code == 200

    for _ in range(2):
        client.post(TOKEN, {"username": "grace", "password": "wrong"})

    assert client.post(TOKEN, {"username": "grace", "password": PASSWORD}).status_code == 200
