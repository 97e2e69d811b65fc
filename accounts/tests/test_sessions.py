"""Sessions and API tokens from the outside: a password change or reset ends everyone else who
was signed in (browsers and API tokens), settings list where the account is signed in and can
sign out everywhere, and a suspension ends the account's sessions at once."""

import re
import time
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import UserSession, device_describe
from accounts.sessions import LAST_SEEN_EVERY, RECORD
from accounts.tests.factories import PASSWORD, UserFactory
from social.tests.moderation_helpers import moderator_make

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-secret-42"
LOGIN = reverse("accounts:login")
SETTINGS = reverse("accounts:settings")
EVERYWHERE = reverse("accounts:sign-out-everywhere")
TOKEN = reverse("api:auth-token")
ME = reverse("api:me")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def owner():
    return UserFactory(username="jonas", email="jonas@example.com")


def browser(user, *, agent=FIREFOX, address="198.51.100.1", password=PASSWORD):
    """A browser that logged in through the log-in page."""
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


def signed_in(client):
    """Whether the browser's next page is served to a signed-in account."""
    return client.get(SETTINGS).status_code == 200


def stolen_token(user):
    response = APIClient().post(TOKEN, {"username": user.email, "password": PASSWORD})
    return response.json()["token"]


def token_works(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get(ME).status_code == 200


def session_stored(key):
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def change_password(client):
    return client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def reset_password(email):
    client = Client()
    client.post(reverse("accounts:password-reset"), {"email": email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[-1].body)
    form_page = client.get(link.group(1), follow=True)
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


# --- A password change or reset -------------------------------------------------------------------


def test_a_stolen_token_stops_working_after_the_owner_changes_the_password(owner):
    token = stolen_token(owner)
    mine = browser(owner)
    assert token_works(token)

    assert change_password(mine)["Location"] == reverse("accounts:password-change-done")

    assert not token_works(token)


def test_a_stolen_token_stops_working_after_a_password_reset(owner):
    token = stolen_token(owner)

    assert reset_password("jonas@example.com")["Location"] == reverse(
        "accounts:password-reset-complete"
    )

    assert not token_works(token)


def test_a_password_change_signs_out_other_browsers_but_not_the_one_that_changed_it(owner):
    mine = browser(owner)
    thiefs = browser(owner, agent=IPHONE, address="203.0.113.9")
    thiefs_key = thiefs.session.session_key

    change_password(mine)

    assert signed_in(mine)
    assert not signed_in(thiefs)
    assert not session_stored(thiefs_key)
    # The changer's session is still listed, under the key it got with the new password.
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [
        mine.session.session_key
    ]


def test_a_password_reset_signs_out_every_browser(owner):
    first, second = browser(owner), browser(owner, agent=IPHONE)

    reset_password("jonas@example.com")

    assert not signed_in(first)
    assert not signed_in(second)
    assert not UserSession.objects.filter(user=owner).exists()


def test_after_the_change_the_new_password_opens_a_fresh_session_and_token(owner):
    change_password(browser(owner))

    other = browser(owner, password=NEW_PASSWORD)
    token = APIClient().post(TOKEN, {"username": "jonas", "password": NEW_PASSWORD}).json()

    assert signed_in(other)
    assert token_works(token["token"])


# --- Signed in on, and signing out everywhere -----------------------------------------------------


def test_settings_list_each_session_with_its_device_address_and_this_device(owner):
    mine = browser(owner, agent=FIREFOX, address="198.51.100.1")
    browser(owner, agent=IPHONE, address="203.0.113.9")
    browser(UserFactory())  # someone else's session is not listed

    page = mine.get(SETTINGS).text

    assert "Signed in on" in page
    assert page.count("data-session>") == 2
    assert "Firefox on Linux · this device" in page
    assert "198.51.100.1" in page
    assert "Safari on iPhone" in page
    assert "203.0.113.9" in page
    assert "Safari on iPhone · this device" not in page
    assert "last seen" in page


def test_sign_out_everywhere_ends_other_sessions_and_tokens_but_keeps_this_one(owner):
    mine, other = browser(owner), browser(owner, agent=IPHONE)
    token = stolen_token(owner)

    response = mine.post(EVERYWHERE)

    assert response["Location"] == SETTINGS
    assert signed_in(mine)
    assert not signed_in(other)
    assert not token_works(token)
    page = mine.get(SETTINGS).text
    assert page.count("data-session>") == 1
    assert "this device" in page


def test_sign_out_everywhere_also_ends_a_session_from_before_sessions_were_listed(owner):
    mine = browser(owner)
    old = browser(owner, agent=IPHONE)
    # A session from before this release: no record, no mark in the session.
    UserSession.objects.filter(session_key=old.session.session_key).delete()
    session = old.session
    del session[RECORD]
    session.save()

    mine.post(EVERYWHERE)

    assert not signed_in(old)
    assert signed_in(mine)


def test_sign_out_everywhere_is_a_post_with_its_csrf_token(owner):
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(owner)
    other = browser(owner)

    assert checked.get(EVERYWHERE).status_code == 405
    assert checked.post(EVERYWHERE).status_code == 403
    assert signed_in(other)


def test_one_listed_session_can_be_signed_out(owner):
    mine, other = browser(owner), browser(owner, agent=IPHONE)
    record = UserSession.objects.get(session_key=other.session.session_key)

    response = mine.post(reverse("accounts:session-end", args=[record.pk]))

    assert response["Location"] == SETTINGS
    assert not signed_in(other)
    assert signed_in(mine)


def test_nobody_can_sign_out_someone_elses_session(owner):
    theirs = browser(UserFactory())
    record = UserSession.objects.get(session_key=theirs.session.session_key)

    response = browser(owner).post(reverse("accounts:session-end", args=[record.pk]))

    assert response.status_code == 404
    assert signed_in(theirs)


def test_logging_out_takes_the_session_off_the_list(owner):
    mine = browser(owner)
    assert UserSession.objects.filter(user=owner).count() == 1

    mine.post(reverse("accounts:logout"))

    assert not UserSession.objects.filter(user=owner).exists()


def test_the_api_token_delete_still_revokes_only_the_token(owner):
    mine = browser(owner)
    token = stolen_token(owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.delete(TOKEN).status_code == 204

    assert not token_works(token)
    assert signed_in(mine)


# --- Suspension -----------------------------------------------------------------------------------


def suspend(moderator_client, user, action="suspend_accounts"):
    url = reverse("admin:accounts_user_changelist")
    data = {"action": action, "_selected_action": [str(user.pk)]}
    moderator_client.post(url, {**data, "index": "0"})
    return moderator_client.post(
        url, {**data, "reason": "spam", "category": "spam", "apply": "yes"}
    )


def test_suspending_an_account_ends_its_live_session_for_good(owner):
    live = browser(owner)
    live_key = live.session.session_key
    moderator = Client()
    moderator.force_login(moderator_make(username="sam"))

    suspend(moderator, owner)

    owner.refresh_from_db()
    assert owner.is_suspended
    assert not signed_in(live)
    assert not session_stored(live_key)
    # Lifting the suspension does not bring the old session back: the owner logs in again.
    suspend(moderator, owner, action="unsuspend_accounts")
    owner.refresh_from_db()
    assert not owner.is_suspended
    assert not signed_in(live)
    assert signed_in(browser(owner))


def test_a_suspended_account_keeps_its_token_refused_until_the_suspension_is_lifted(owner):
    token = stolen_token(owner)
    moderator = Client()
    moderator.force_login(moderator_make(username="sam"))

    suspend(moderator, owner)
    assert not token_works(token)

    suspend(moderator, owner, action="unsuspend_accounts")
    assert token_works(token)


def test_a_session_record_holds_who_logged_in_from_where(owner):
    client = browser(owner, agent=IPHONE, address="203.0.113.9")

    record = UserSession.objects.get(user=owner)

    assert record.session_key == client.session.session_key
    assert record.ip_address == "203.0.113.9"
    assert record.device == "Safari on iPhone"
    assert client.session[SESSION_KEY] == str(owner.pk)


def test_a_password_set_in_the_admin_ends_the_accounts_sessions_and_tokens(owner, admin_client):
    live = browser(owner)
    token = stolen_token(owner)

    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[owner.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert not signed_in(live)
    assert not token_works(token)


# --- Keeping the list current ---------------------------------------------------------------------


def test_last_seen_moves_only_after_a_while(owner, monkeypatch):
    mine = browser(owner)
    record = UserSession.objects.get(user=owner)
    first_seen = record.last_seen_at
    mine.get(SETTINGS)
    assert UserSession.objects.get(pk=record.pk).last_seen_at == first_seen

    later = time.time() + LAST_SEEN_EVERY + 1
    monkeypatch.setattr(time, "time", lambda: later)
    mine.get(SETTINGS)

    assert UserSession.objects.get(pk=record.pk).last_seen_at > first_seen


def test_a_session_whose_record_was_ended_is_signed_out_even_if_its_copy_survived(
    owner, monkeypatch
):
    mine = browser(owner)
    # As when the cache was unreachable while the session was ended: the record is gone, the
    # stored session is not.
    UserSession.objects.filter(user=owner).delete()
    assert signed_in(mine)  # until the record is next looked at

    later = time.time() + LAST_SEEN_EVERY + 1
    monkeypatch.setattr(time, "time", lambda: later)
    mine.get(SETTINGS)

    assert not signed_in(mine)


@pytest.mark.parametrize(
    ("agent", "device"),
    [
        (FIREFOX, "Firefox on Linux"),
        (IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        ("curl/8.5.0", "curl/8.5.0"),
        ("", "Unknown device"),
    ],
)
def test_the_device_is_named_as_people_know_it(agent, device):
    assert device_describe(agent) == device
