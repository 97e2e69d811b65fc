"""Two-factor sign-in in a real browser, without JavaScript: turn it on with a code computed
from the key the page shows, then log in with password + code, and with a recovery code."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory

STEP_SECONDS = 30


def app_code(secret, step):
    """What an authenticator app holding `secret` shows during time step `step`."""
    totp = TOTP(b32decode(secret))
    totp.time = step * STEP_SECONDS + 1
    return f"{totp.token():06d}"


def log_out(page):
    page.locator("summary[aria-label='More']").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()


def log_in_with_password(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_turn_on_two_factor_then_log_in_with_a_code_and_with_a_recovery_code(
    live_server, open_page
):
    UserFactory(username="mira", display_name="Mira")
    # No JavaScript: every step is a plain form. (So no `screenshots` here either: it runs a
    # script in the page to load lazy images first.)
    page = open_page(java_script_enabled=False)

    log_in_with_password(page, "mira")
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.locator("#two-factor-status")).to_have_text("Off")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Turn on two-factor sign-in")).to_be_visible()
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert f"secret={secret}" in page.locator("[data-otpauth-url]").text_content()
    qr = page.get_by_alt_text("QR code of the key below")
    expect(qr).to_be_visible()
    # The picture comes from our own view, with this browser's session.
    qr_response = page.request.get(qr.get_attribute("src"))
    assert qr_response.status == 200
    assert qr_response.headers["content-type"] == "image/svg+xml"
    used_step = int(time.time() // STEP_SECONDS)
    page.get_by_label("Code from the app").fill(app_code(secret, used_step))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("[data-recovery-codes] li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I saved them").click()
    expect(page.locator("#two-factor-status")).to_have_text("On")
    expect(page.get_by_text("10 unused recovery codes")).to_be_visible()

    # Password, then a code from the app. A code is accepted once: the app's next one.
    log_out(page)
    log_in_with_password(page, "mira")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.goto("/accounts/settings/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.go_back()
    step = max(int(time.time() // STEP_SECONDS), used_step + 1)
    page.get_by_role("textbox", name="Code").fill(app_code(secret, step))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("summary[aria-label='More']")).to_be_visible()

    # Password, then a recovery code instead of the app.
    log_out(page)
    log_in_with_password(page, "mira")
    page.get_by_role("textbox", name="Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto("/accounts/settings/two-factor/")
    expect(page.get_by_text("9 unused recovery codes")).to_be_visible()

    # The same recovery code does not work twice.
    log_out(page)
    log_in_with_password(page, "mira")
    page.get_by_role("textbox", name="Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code didn't work.")).to_be_visible()
