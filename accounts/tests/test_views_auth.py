"""Sign-up, log-in, log-out and the password pages, as a person in a browser uses them."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-secret-42"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


def signup_data(**overrides):
    return {
        "email": "ada@example.com",
        "username": "ada",
        "display_name": "Ada Lovelace",
        "password": "analytical-engine-1843",
        **overrides,
    }


# --- Sign up -------------------------------------------------------------------------------


def test_signup_page_shows_the_form(client):
    response = client.get(reverse("accounts:signup"))

    assert response.status_code == 200
    for name in ("email", "username", "display_name", "password"):
        assert f'name="{name}"' in response.text


def test_signing_up_creates_the_account_logs_in_and_goes_home(client):
    response = client.post(reverse("accounts:signup"), signup_data())

    user = User.objects.get(username="ada")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert str(user.pk) == logged_in_user_id(client)
    assert user.email == "ada@example.com"
    assert user.check_password("analytical-engine-1843")
    assert messages_of(response) == ["Welcome to Shutter, Ada Lovelace!"]


def test_signing_up_follows_a_safe_next_and_ignores_another_site(client):
    url = reverse("accounts:signup")

    kept = client.post(f"{url}?next=/u/someone/", signup_data())
    refused = Client().post(
        url, signup_data(username="bob", email="bob@example.com", next="https://evil.example/")
    )

    assert kept["Location"] == "/u/someone/"
    assert refused["Location"] == "/"


def test_a_rejected_signup_keeps_what_was_typed_and_says_what_to_fix(client):
    UserFactory(username="ada")

    response = client.post(reverse("accounts:signup"), signup_data(password="123"))

    assert response.status_code == 400
    assert User.objects.filter(username__iexact="ada").count() == 1
    assert logged_in_user_id(client) is None
    html = response.text
    assert 'value="ada@example.com"' in html
    assert 'value="Ada Lovelace"' in html
    assert "The username ada is taken." in html
    assert "This password is too short" in html
    # The typed password is never sent back.
    assert 'value="123"' not in html


def test_signup_errors_sit_next_to_their_field(client):
    response = client.post(reverse("accounts:signup"), signup_data(email="not-an-email"))

    assert response.status_code == 400
    html = response.text
    start = html.rfind('<div class="field field--', 0, html.index('id="id_email"'))
    field = html[start : html.find('<div class="field field--', start + 1)]
    assert "Enter a valid email address." in field


def test_signup_sends_someone_logged_in_home(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:signup"))

    assert response.status_code == 302
    assert response["Location"] == "/"


# --- Log in ------------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["username", "email", "EMAIL"])
def test_logging_in_with_username_or_email(client, login):
    user = UserFactory()
    value = {"username": user.username, "email": user.email, "EMAIL": user.email.upper()}[login]

    response = client.post(reverse("accounts:login"), {"username": value, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == str(user.pk)


def test_logging_in_follows_next_only_when_it_stays_on_the_site(client):
    user = UserFactory()
    url = reverse("accounts:login")
    credentials = {"username": user.username, "password": PASSWORD}

    kept = client.post(url, {**credentials, "next": "/notifications/"})
    refused = Client().post(url, {**credentials, "next": "https://evil.example/steal"})

    assert kept["Location"] == "/notifications/"
    assert refused["Location"] == "/"


def test_the_login_page_carries_next_into_its_form(client):
    response = client.get(reverse("accounts:login") + "?next=/requests/")

    assert 'name="next" value="/requests/"' in response.text


def test_a_wrong_password_is_refused_keeping_the_login_typed(client):
    user = UserFactory()

    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "wrong-one"}
    )

    assert response.status_code == 400
    assert logged_in_user_id(client) is None
    assert f'value="{user.username}"' in response.text
    assert "That username or email and password don&#x27;t match an account." in response.text


def test_a_suspended_account_is_told_it_is_suspended(client):
    user = UserFactory(suspended_at=timezone.now())

    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 400
    assert logged_in_user_id(client) is None
    assert "This account is suspended." in response.text


def test_too_many_failures_lock_the_login_even_with_the_right_password(client, settings):
    settings.SHUTTER_LOGIN_LIMIT = {"FAILURES": 3, "ADDRESS_FAILURES": 10, "WINDOW": 600}
    user = UserFactory()
    url = reverse("accounts:login")
    for _ in range(3):
        client.post(url, {"username": user.username, "password": "wrong-one"})

    response = client.post(url, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert 590 <= int(response["Retry-After"]) <= 600
    assert logged_in_user_id(client) is None
    assert "Too many failed attempts to log in" in response.text
    assert "Try again in 10 minutes" in response.text


def test_a_successful_login_forgets_earlier_failures(client, settings):
    settings.SHUTTER_LOGIN_LIMIT = {"FAILURES": 3, "ADDRESS_FAILURES": 10, "WINDOW": 600}
    user = UserFactory()
    url = reverse("accounts:login")
    for _ in range(2):
        client.post(url, {"username": user.username, "password": "wrong-one"})
    client.post(url, {"username": user.username, "password": PASSWORD})
    client.post(reverse("accounts:logout"))

    for _ in range(2):
        client.post(url, {"username": user.username, "password": "wrong-one"})
    response = client.post(url, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302


def test_login_page_sends_someone_logged_in_on(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:login"))

    assert response.status_code == 302


def test_login_form_needs_its_csrf_token():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 403
    assert logged_in_user_id(client) is None


# --- Log out -----------------------------------------------------------------------------------


def test_logging_out_is_a_post_that_ends_the_session(client):
    client.force_login(UserFactory())

    refused = client.get(reverse("accounts:logout"))
    response = client.post(reverse("accounts:logout"))

    assert refused.status_code == 405
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) is None
    assert messages_of(response) == ["You're logged out."]


def test_logging_out_needs_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 403
    assert logged_in_user_id(client) is not None


# --- Password change ---------------------------------------------------------------------------


def test_password_change_needs_a_login(client):
    url = reverse("accounts:password-change")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_changing_the_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == reverse("accounts:password-change-done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still logged in on this browser.
    assert logged_in_user_id(client) == str(user.pk)
    assert client.get(reverse("accounts:password-change-done")).status_code == 200


def test_a_wrong_old_password_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 400
    assert "Your old password was entered incorrectly." in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- Password reset ----------------------------------------------------------------------------


def reset_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)


def test_the_reset_email_goes_to_the_account_with_a_working_link(client):
    user = UserFactory()

    response = client.post(reverse("accounts:password-reset"), {"email": user.email.upper()})

    assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Reset your Shutter password"
    link = reset_link(message)

    # Django swaps the token in the link for a session-held one, then shows the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert 'name="new_password1"' in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    again = Client().get(link, follow=True)
    assert "This link is invalid" in again.text


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.com"})

    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_reset_pages_render(client):
    for name in ("password-reset", "password-reset-done", "password-reset-complete"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 200


def test_the_embedded_defaults_print_emails_to_the_console():
    from config.settings import base, dev

    console = "core.mail.ReadableConsoleEmailBackend"
    assert base.MAILERS["default"]["BACKEND"] == console
    assert dev.MAILERS["default"]["BACKEND"] == console


def test_the_console_reset_mail_is_plain_7bit_with_the_link_on_one_line(client, settings, capsys):
    from config.settings import base

    settings.MAILERS = base.MAILERS
    user = UserFactory(username="ann")

    client.post(reverse("accounts:password-reset"), {"email": user.email})

    printed = capsys.readouterr().out
    assert "Content-Transfer-Encoding: 7bit" in printed
    assert "quoted-printable" not in printed
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)\n", printed).group(1)
    assert "=" not in link
    assert 'name="new_password1"' in client.get(link, follow=True).text


def test_a_broken_reset_link_says_it_is_invalid_not_expired(client):
    response = client.get("/accounts/password/reset/MQ/not-a-token/", follow=True)

    assert "This link is invalid" in response.text
    assert "expired" not in response.text
    assert reverse("accounts:password-reset") in response.text


def test_the_password_pages_give_the_sign_up_hint_not_djangos_list(client):
    from accounts.forms import PASSWORD_HINT

    client.force_login(UserFactory())
    change = client.get(reverse("accounts:password-change"))
    signup = Client().get(reverse("accounts:signup"))

    assert PASSWORD_HINT in signup.text
    assert PASSWORD_HINT in change.text
    assert "too similar to your other personal information" not in change.text
    assert "<ul>" not in change.text.split("new_password1")[1].split("new_password2")[0]
