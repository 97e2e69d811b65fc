"""Guessing limits from the outside: failed log-ins per account (whichever identifier was typed)
and per client address, on the log-in page and POST /api/v1/auth/token/ alike, and sign-up
rates on the page and POST /api/v1/auth/register/ alike. Each is a 429 with Retry-After."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
TOKEN = reverse("api:auth-token")
SIGNUP = reverse("accounts:signup")
REGISTER = reverse("api:auth-register")
WINDOW = 900  # the embedded default, SHUTTER_LOGIN_WINDOW_SECONDS


@pytest.fixture
def jonas():
    return UserFactory(username="jonas", email="jonas@example.com")


def page_login(login, password, **meta):
    return Client().post(LOGIN, {"username": login, "password": password}, **meta)


def api_login(login, password, **meta):
    return APIClient().post(TOKEN, {"username": login, "password": password}, **meta)


def assert_locked(response):
    assert response.status_code == 429
    assert WINDOW - 10 <= int(response["Retry-After"]) <= WINDOW


def signed_in(response):
    return SESSION_KEY in response.wsgi_request.session


# --- Per account, whichever identifier was typed -------------------------------------------------


def test_five_wrong_passwords_for_a_username_lock_its_email_on_the_page(jonas):
    for _ in range(5):
        assert page_login("jonas", "wrong").status_code == 400

    response = page_login("jonas@example.com", PASSWORD)

    assert_locked(response)
    assert not signed_in(response)
    assert "Too many failed attempts" in response.text
    assert "Try again in 15 minutes" in response.text


def test_five_wrong_passwords_for_a_username_lock_its_email_on_the_api(jonas):
    for _ in range(5):
        assert api_login("jonas", "wrong").status_code == 400

    response = api_login("Jonas@Example.com", PASSWORD)

    assert_locked(response)
    assert "Too many failed attempts" in response.json()["detail"]
    assert "token" not in response.json()


def test_the_account_lock_holds_from_every_address_and_across_page_and_api(jonas):
    for number in range(5):
        page_login("jonas@example.com", "wrong", REMOTE_ADDR=f"198.51.100.{number}")

    assert_locked(api_login("JONAS", PASSWORD, REMOTE_ADDR="203.0.113.99"))
    assert_locked(page_login("jonas", PASSWORD, REMOTE_ADDR="203.0.113.99"))


def test_four_failures_still_let_the_owner_in_and_start_the_count_again(jonas):
    for _ in range(4):
        page_login("jonas", "wrong")
    assert page_login("jonas@example.com", PASSWORD).status_code == 302

    for _ in range(4):
        api_login("jonas@example.com", "wrong")

    assert api_login("jonas", PASSWORD).status_code == 200


def test_an_unknown_identifier_is_counted_too_and_says_nothing_about_existing(jonas):
    for _ in range(5):
        page_login(" Ghost@Example.com", "wrong")

    assert_locked(api_login("ghost@example.com", "wrong"))
    # Another account is not touched by the lock on a name that has none.
    assert api_login("jonas", PASSWORD).status_code == 200


# --- Per client address, whatever account was typed ---------------------------------------------


def test_the_log_in_page_locks_an_address_that_tries_many_accounts(jonas):
    for number in range(20):  # SHUTTER_LOGIN_ADDRESS_FAILURES, each account below its own limit
        page_login(f"person{number}", "wrong", REMOTE_ADDR="198.51.100.7")

    # Even the right password of an account nobody guessed at is refused from that address...
    assert_locked(page_login("jonas", PASSWORD, REMOTE_ADDR="198.51.100.7"))
    assert_locked(api_login("jonas", PASSWORD, REMOTE_ADDR="198.51.100.7"))
    # ...and only from it.
    assert page_login("jonas", PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_the_log_in_page_shares_the_api_login_rate_per_address(jonas, tight_rate):
    tight_rate("login", "3/minute")
    api_login("jonas", PASSWORD)
    api_login("jonas", PASSWORD)
    page_login("jonas", PASSWORD)

    response = page_login("jonas", PASSWORD)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert not signed_in(response)
    assert api_login("jonas", PASSWORD).status_code == 429
    assert page_login("jonas", PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_a_forged_forwarded_header_does_not_reset_the_address_count(jonas, settings):
    settings.SHUTTER_TRUSTED_PROXIES = ["10.0.0.5"]  # a proxy exists, but this client isn't it
    for number in range(20):
        page_login(
            f"person{number}",
            "wrong",
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )

    response = page_login(
        "jonas", PASSWORD, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.200"
    )

    assert_locked(response)


def test_a_forged_forwarded_header_does_not_reset_the_api_rate_either(jonas, settings, tight_rate):
    settings.SHUTTER_TRUSTED_PROXIES = ["10.0.0.5"]
    tight_rate("login", "2/minute")
    for number in range(2):
        api_login("jonas", PASSWORD, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    response = api_login("jonas", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.77")

    assert response.status_code == 429
    assert "Retry-After" in response


def test_behind_our_proxy_each_client_has_its_own_address_count(jonas, settings):
    settings.SHUTTER_TRUSTED_PROXIES = ["10.0.0.5"]
    via_proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for number in range(20):
        # The attacker's own forged hop is left of the one our proxy appends.
        page_login(
            f"person{number}",
            "wrong",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 198.51.100.7",
            **via_proxy,
        )

    locked = page_login("jonas", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **via_proxy)
    other = page_login("jonas", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **via_proxy)

    assert_locked(locked)
    assert other.status_code == 302


# --- Sign-up --------------------------------------------------------------------------------------


def signup_data(number):
    return {
        "username": f"newcomer{number}",
        "email": f"newcomer{number}@example.com",
        "password": "analytical-engine-1843",
    }


def test_the_sign_up_page_is_limited_like_the_api_register(tight_rate):
    tight_rate("register", "2/hour")
    assert Client().post(SIGNUP, signup_data(1)).status_code == 302
    assert APIClient().post(REGISTER, signup_data(2)).status_code == 201

    page = Client().post(SIGNUP, signup_data(3))
    api = APIClient().post(REGISTER, signup_data(4))

    for response in (page, api):
        assert response.status_code == 429
        assert 3500 < int(response["Retry-After"]) <= 3600
    assert "Take a short break" in page.text
    assert not Client().get(SIGNUP).wsgi_request.user.is_authenticated
    assert Client().post(SIGNUP, signup_data(5), REMOTE_ADDR="198.51.100.8").status_code == 302


def test_the_sign_up_page_is_not_counted_on_reading_it(tight_rate):
    tight_rate("register", "1/hour")
    for _ in range(3):
        assert Client().get(SIGNUP).status_code == 200

    assert Client().post(SIGNUP, signup_data(1)).status_code == 302
