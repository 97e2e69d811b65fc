"""Journeys of an account that must stay its owner's: two devices signed in, one ends the
other (Sign out everywhere), and a password change signs out the other device."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a-brand-new-secret-42"


def _log_in(tab, login, password=PASSWORD):
    tab.goto("/accounts/login/")
    tab.get_by_label("Username or email").fill(login)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Log in").click()


def _signed_out(tab, live_server):
    tab.goto("/accounts/settings/")
    expect(tab).to_have_url(live_server.url + "/accounts/login/?next=/accounts/settings/")


@pytest.mark.django_db(transaction=True)
def test_the_owner_sees_both_devices_and_signs_the_other_one_out(live_server, open_page):
    UserFactory(username="jonas", email="jonas@example.com")
    laptop = open_page()
    phone = open_page(
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1"
    )
    _log_in(phone, "jonas")
    expect(phone).to_have_url(live_server.url + "/")
    _log_in(laptop, "jonas@example.com")
    expect(laptop).to_have_url(live_server.url + "/")

    laptop.goto("/accounts/settings/")
    sessions = laptop.locator("[data-session]")
    expect(sessions).to_have_count(2)
    expect(sessions.filter(has_text="this device")).to_have_count(1)
    expect(sessions.filter(has_text="Safari on iPhone")).to_have_count(1)

    laptop.get_by_role("button", name="Sign out everywhere").click()
    expect(laptop).to_have_url(live_server.url + "/accounts/settings/")
    expect(laptop.get_by_text("You're signed out everywhere else")).to_be_visible()
    expect(laptop.locator("[data-session]")).to_have_count(1)

    _signed_out(phone, live_server)


@pytest.mark.django_db(transaction=True)
def test_a_password_change_signs_the_other_device_out_and_keeps_this_one(live_server, open_page):
    UserFactory(username="jonas", email="jonas@example.com")
    laptop, phone = open_page(), open_page()
    _log_in(phone, "jonas")
    expect(phone).to_have_url(live_server.url + "/")
    _log_in(laptop, "jonas")
    expect(laptop).to_have_url(live_server.url + "/")

    laptop.goto("/accounts/password/change/")
    laptop.get_by_label("Old password").fill(PASSWORD)
    laptop.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    laptop.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    laptop.get_by_role("button", name="Change password").click()
    expect(laptop).to_have_url(live_server.url + "/accounts/password/change/done/")

    laptop.goto("/accounts/settings/")
    expect(laptop).to_have_url(live_server.url + "/accounts/settings/")
    expect(laptop.locator("[data-session]")).to_have_count(1)
    _signed_out(phone, live_server)
