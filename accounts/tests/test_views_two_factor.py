"""Two-factor sign-in in the browser's pages: turning it on and off in settings, new recovery
codes, and the log-in's second step (accounts/two_factor/views.py)."""

import re
from base64 import b32decode

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.two_factor_helpers import fresh_code, throttle_forget, two_factor_on, wrong_code
from accounts.two_factor.pending import ATTEMPTS, PENDING_SECONDS
from accounts.two_factor.pending import SESSION_KEY as PENDING_KEY
from accounts.two_factor.services import two_factor_enabled

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
STEP = reverse("accounts:login-two-factor")
TWO_FACTOR = reverse("accounts:two-factor")
SETUP = reverse("accounts:two-factor-setup")
CODES = reverse("accounts:two-factor-codes")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged_in_id(client):
    return client.session.get(SESSION_KEY)


def password_step(client, user, **extra):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD, **extra})


def code_from_page(html):
    """The code an authenticator app shows for the key printed on the set-up page."""
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", html).group(1).replace(" ", "")
    totp = TOTP(b32decode(secret))
    return f"{totp.token():06d}"


# --- Turning it on ------------------------------------------------------------------------------


def test_settings_links_to_two_factor_which_starts_off(client):
    client.force_login(UserFactory())

    settings_page = client.get(reverse("accounts:settings"))
    page = client.get(TWO_FACTOR)

    assert f'href="{TWO_FACTOR}"' in settings_page.text
    assert page.status_code == 200
    assert "Off" in page.text
    assert f'action="{reverse("accounts:two-factor-start")}"' in page.text


def test_turning_on_shows_the_key_as_text_link_and_qr_then_a_code_from_it_confirms(client):
    user = UserFactory(username="ada")
    client.force_login(user)

    started = client.post(reverse("accounts:two-factor-start"))
    page = client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)

    assert started["Location"] == SETUP
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    shown = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page.text).group(1).replace(" ", "")
    assert b32decode(shown) == device.bin_key
    assert f"otpauth://totp/Shutter%3Aada?secret={shown}" in page.text.replace("&amp;", "&")
    assert "issuer=Shutter" in page.text
    qr = client.get(reverse("accounts:two-factor-qr"))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<?xml") or b"<svg" in qr.content[:200]
    assert not two_factor_enabled(user=user)

    confirmed = client.post(SETUP, {"code": code_from_page(page.text)})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == CODES
    assert two_factor_enabled(user=user)
    # This session proved the second factor while turning it on.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_the_ten_recovery_codes_are_shown_once(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:two-factor-start"))
    page = client.get(SETUP)
    client.post(SETUP, {"code": code_from_page(page.text)})

    shown = client.get(CODES)
    again = client.get(CODES)

    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown.text)
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    stored = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert sorted(codes) == sorted(stored)
    assert len(codes) == 10
    assert again.status_code == 302
    assert again["Location"] == TWO_FACTOR


def test_a_wrong_first_code_is_a_400_that_says_so_and_leaves_it_off(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:two-factor-start"))

    response = client.post(SETUP, {"code": wrong_code(TOTPDevice.objects.get(user=user))})

    assert response.status_code == 400
    assert "That code didn&#x27;t work" in response.text
    assert not two_factor_enabled(user=user)
    # The same key stays on the page to try again.
    assert "data-totp-secret" in response.text


def test_the_setup_pages_need_a_log_in_and_a_started_setup(client):
    assert client.get(SETUP)["Location"].startswith(LOGIN)
    assert client.get(reverse("accounts:two-factor-qr"))["Location"].startswith(LOGIN)

    client.force_login(UserFactory())
    assert client.get(SETUP)["Location"] == TWO_FACTOR
    assert client.get(reverse("accounts:two-factor-qr")).status_code == 404
    assert client.get(reverse("accounts:two-factor-start")).status_code == 405


# --- The log-in's second step -------------------------------------------------------------------


def test_a_right_password_alone_does_not_log_in_an_account_with_two_factor(client):
    user = UserFactory()
    two_factor_on(user)

    response = password_step(client, user)

    assert response.status_code == 302
    assert response["Location"] == STEP
    assert logged_in_id(client) is None
    assert client.get(reverse("accounts:settings"))["Location"].startswith(LOGIN)
    step = client.get(STEP)
    assert step.status_code == 200
    assert 'name="code"' in step.text
    assert 'autocomplete="one-time-code"' in step.text


def test_the_code_from_the_app_completes_the_log_in_and_follows_next(client):
    user = UserFactory()
    device, _ = two_factor_on(user)
    password_step(client, user, next="/notifications/")

    response = client.post(STEP, {"code": fresh_code(device)})

    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert logged_in_id(client) == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_KEY not in client.session


def test_a_recovery_code_logs_in_once(client):
    user = UserFactory()
    _, codes = two_factor_on(user)
    password_step(client, user)

    first = client.post(STEP, {"code": codes[0].upper()})
    client.post(reverse("accounts:logout"))
    password_step(client, user)
    second = client.post(STEP, {"code": codes[0]})

    assert first["Location"] == "/"
    assert second.status_code == 400
    assert "That code didn&#x27;t work" in second.text
    assert logged_in_id(client) is None
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_a_wrong_code_is_a_400_with_a_message_and_no_log_in(client):
    user = UserFactory()
    device, _ = two_factor_on(user)
    password_step(client, user)

    response = client.post(STEP, {"code": wrong_code(device)})

    assert response.status_code == 400
    assert "That code didn&#x27;t work" in response.text
    assert logged_in_id(client) is None
    throttle_forget(user)
    assert client.post(STEP, {"code": fresh_code(device)})["Location"] == "/"


def test_a_code_while_wrong_codes_are_throttled_is_a_429_even_when_right(client):
    user = UserFactory()
    device, _ = two_factor_on(user)
    password_step(client, user)
    client.post(STEP, {"code": wrong_code(device)})

    response = client.post(STEP, {"code": fresh_code(device)})

    assert response.status_code == 429
    assert "Too many wrong codes. Try again in" in response.text
    assert logged_in_id(client) is None


def test_after_too_many_wrong_codes_the_password_is_asked_again(client):
    user = UserFactory()
    device, _ = two_factor_on(user)
    password_step(client, user)

    for _ in range(ATTEMPTS - 1):
        assert client.post(STEP, {"code": wrong_code(device)}).status_code == 400
        throttle_forget(user)
    last = client.post(STEP, {"code": wrong_code(device)})
    throttle_forget(user)
    after = client.post(STEP, {"code": fresh_code(device)})

    assert last.status_code == 302
    assert last["Location"] == LOGIN
    assert "Too many wrong codes" in messages_of(last)[0]
    assert after["Location"] == LOGIN
    assert logged_in_id(client) is None


def test_the_waiting_log_in_expires(client):
    user = UserFactory()
    device, _ = two_factor_on(user)
    password_step(client, user)
    session = client.session
    session[PENDING_KEY]["started"] -= PENDING_SECONDS + 1
    session.save()

    response = client.post(STEP, {"code": fresh_code(device)})

    assert response["Location"] == LOGIN
    assert messages_of(response) == ["Your log-in timed out. Enter your password again."]
    assert logged_in_id(client) is None


def test_an_account_suspended_while_its_log_in_waits_is_not_logged_in(client):
    user = UserFactory()
    device, _ = two_factor_on(user)
    password_step(client, user)
    type(user).objects.filter(pk=user.pk).update(suspended_at=timezone.now())

    response = client.post(STEP, {"code": fresh_code(device)})

    assert response["Location"] == LOGIN
    assert logged_in_id(client) is None


def test_the_second_step_without_a_password_first_sends_to_log_in(client):
    response = client.get(STEP)

    assert response["Location"] == LOGIN
    assert logged_in_id(client) is None


def test_the_password_step_gives_the_browser_a_new_session_id(client):
    user = UserFactory()
    two_factor_on(user)
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key

    password_step(client, user)

    assert client.cookies["sessionid"].value != before
    assert PENDING_KEY in client.session


# --- Turning it off, new recovery codes ---------------------------------------------------------


def test_turning_off_needs_the_password_and_a_code(client):
    user = UserFactory()
    device, _ = two_factor_on(user)
    client.force_login(user)
    off = reverse("accounts:two-factor-off")

    no_password = client.post(off, {"password": "wrong", "code": fresh_code(device)})
    no_code = client.post(off, {"password": PASSWORD, "code": ""})
    assert no_password.status_code == 400
    assert "That password isn&#x27;t right." in no_password.text
    assert no_code.status_code == 400
    assert two_factor_enabled(user=user)

    done = client.post(off, {"password": PASSWORD, "code": fresh_code(device)})

    assert done["Location"] == TWO_FACTOR
    assert not two_factor_enabled(user=user)
    client.post(reverse("accounts:logout"))
    assert password_step(client, user)["Location"] == "/"
    assert logged_in_id(client) == str(user.pk)


def test_new_recovery_codes_replace_the_old_ones(client):
    user = UserFactory()
    _, old = two_factor_on(user)
    client.force_login(user)
    new_url = reverse("accounts:two-factor-codes-new")

    refused = client.post(new_url, {"password": "wrong"})
    made = client.post(new_url, {"password": PASSWORD})
    shown = client.get(CODES)

    assert refused.status_code == 400
    assert made["Location"] == CODES
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown.text)
    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("accounts:logout"))
    password_step(client, user)
    assert client.post(STEP, {"code": old[0]}).status_code == 400
    throttle_forget(user)
    assert client.post(STEP, {"code": new[0]})["Location"] == "/"


def test_the_settings_page_of_an_account_with_two_factor_counts_its_codes(client):
    user = UserFactory()
    two_factor_on(user)
    client.force_login(user)

    page = client.get(TWO_FACTOR)

    assert page.status_code == 200
    assert "<strong>10</strong> unused recovery codes" in page.text
    assert "Turn off two-factor sign-in" in page.text
    assert client.post(reverse("accounts:two-factor-start"))["Location"] == TWO_FACTOR
