"""core.limits: who is asking (client_address), and the failed log-in counters under the pages
and the API (their HTTP behaviour is in accounts/tests/test_login_limits.py)."""

import threading
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from core.limits import (
    TooManyAttempts,
    client_address,
    login_attempt_check,
    login_failure_record,
    login_success_record,
)


@pytest.fixture(autouse=True)
def limit(settings):
    settings.SHUTTER_LOGIN_LIMIT = {"FAILURES": 3, "ADDRESS_FAILURES": 5, "WINDOW": 600}


def request_from(address="10.0.0.1", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=address, **headers)


# --- client_address ------------------------------------------------------------------------------


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.SHUTTER_TRUSTED_PROXIES = []

    assert client_address(request_from("203.0.113.7", forwarded="1.2.3.4")) == "203.0.113.7"


def test_a_direct_client_cannot_forge_its_address_even_when_proxies_are_trusted(settings):
    settings.SHUTTER_TRUSTED_PROXIES = ["10.0.0.5"]

    assert client_address(request_from("203.0.113.7", forwarded="1.2.3.4")) == "203.0.113.7"


def test_behind_our_proxy_the_hop_it_added_is_the_client(settings):
    settings.SHUTTER_TRUSTED_PROXIES = ["10.0.0.5"]

    # The client wrote "1.2.3.4" itself; our proxy appended the address it saw.
    request = request_from("10.0.0.5", forwarded="1.2.3.4, 203.0.113.7")

    assert client_address(request) == "203.0.113.7"


def test_hops_through_several_of_our_proxies_are_skipped(settings):
    settings.SHUTTER_TRUSTED_PROXIES = ["10.0.0.0/8"]

    request = request_from("10.0.0.5", forwarded="1.2.3.4, 203.0.113.7, 10.1.2.3")

    assert client_address(request) == "203.0.113.7"


def test_a_proxy_that_sent_no_usable_hop_counts_as_the_client(settings):
    settings.SHUTTER_TRUSTED_PROXIES = ["10.0.0.5"]

    assert client_address(request_from("10.0.0.5")) == "10.0.0.5"
    assert client_address(request_from("10.0.0.5", forwarded="nonsense")) == "10.0.0.5"


def test_ipv6_proxies_and_clients_work(settings):
    settings.SHUTTER_TRUSTED_PROXIES = ["fd00::/8"]

    request = request_from("fd00::1", forwarded="2001:db8::7")

    assert client_address(request) == "2001:db8::7"


def test_a_proxy_setting_that_is_no_address_fails_loudly(settings):
    # The old meaning was a number of proxies: it must not silently trust nothing or everything.
    settings.SHUTTER_TRUSTED_PROXIES = ["1"]

    with pytest.raises(ImproperlyConfigured, match="SHUTTER_TRUSTED_PROXIES"):
        client_address(request_from())


# --- Failed log-in counters ----------------------------------------------------------------------
# (They look the typed login up among the accounts: database access.)


def fail(times, login="nobody-grace", address="10.0.0.1"):
    for _ in range(times):
        login_failure_record(request=request_from(address), login=login)


def signs_in(client, username):
    """What the limits protect: the right password still opens the account from 10.0.0.1."""
    response = client.post(
        reverse("accounts:login"),
        {"username": username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    return response.status_code == 302 and client.session.get("_auth_user_id") is not None


@pytest.mark.django_db
def test_failures_under_the_limit_do_not_lock(client):
    UserFactory(username="grace")
    fail(2, login="grace")

    assert login_attempt_check(request=request_from(), login="grace") is None
    assert signs_in(client, "grace")


@pytest.mark.django_db
def test_an_unknown_login_counts_under_its_normalised_form_from_every_address():
    fail(3, login="  Nobody-Grace ")

    with pytest.raises(TooManyAttempts) as locked:
        login_attempt_check(request=request_from("10.9.9.9"), login="nobody-grace")

    assert 590 <= locked.value.retry_after <= 600
    assert "Try again in 10 minutes" in locked.value.detail


@pytest.mark.django_db
def test_the_lock_ends_with_its_window(monkeypatch, client):
    UserFactory(username="grace")
    fail(3, login="grace")
    assert not signs_in(client, "grace")
    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)

    assert login_attempt_check(request=request_from(), login="grace") is None
    assert signs_in(client, "grace")


@pytest.mark.django_db
def test_a_successful_login_starts_the_account_count_again(client):
    UserFactory(username="grace")
    fail(2, login="grace")
    login_success_record(request=request_from(), login="grace")
    fail(2, login="grace")

    assert login_attempt_check(request=request_from(), login="grace") is None
    assert signs_in(client, "grace")


@pytest.mark.django_db
def test_failures_counted_at_the_same_moment_are_all_counted():
    def guess():
        fail(1)
        connection.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with pytest.raises(TooManyAttempts):
        login_attempt_check(request=request_from(), login="nobody-grace")
