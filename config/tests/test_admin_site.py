"""The admin behind the site's one log-in, and behind a second factor for staff when
SHUTTER_REQUIRE_2FA_FOR_STAFF is on, as on production settings (config/admin_site.py)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.two_factor_helpers import fresh_code, totp_code, two_factor_on, wrong_code
from accounts.two_factor.services import recovery_codes_left, two_factor_enabled
from social.tests.moderation_helpers import moderator_make

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
ADMIN_LOGIN = reverse("admin:login")
LOGIN = reverse("accounts:login")
STEP = reverse("accounts:login-two-factor")
TWO_FACTOR = reverse("accounts:two-factor")
REPORTS = reverse("admin:social_report_changelist")


@pytest.fixture
def required(settings):
    settings.SHUTTER_REQUIRE_2FA_FOR_STAFF = True


@pytest.fixture(params=["moderator", "superuser"])
def staff(request):
    if request.param == "moderator":
        return moderator_make()
    return UserFactory(is_staff=True, is_superuser=True)


def log_in_with_password(client, user, next_url=ADMIN):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD, "next": next_url})


def follow_to_end(client, url):
    response = client.get(url, follow=True)
    return response, [hop for hop, _ in response.redirect_chain]


# --- Required (production) --------------------------------------------------------------------


def test_staff_without_two_factor_are_sent_to_turn_it_on(client, required, staff):
    log_in_with_password(client, staff)

    response, hops = follow_to_end(client, REPORTS)

    assert hops[-1] == TWO_FACTOR
    assert response.status_code == 200
    assert "Turn on two-factor sign-in to use the admin." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]
    assert client.get(ADMIN).status_code == 302


def test_staff_who_turn_it_on_in_settings_get_into_the_admin_in_that_session(
    client, required, staff
):
    log_in_with_password(client, staff)
    client.post(reverse("accounts:two-factor-start"))
    device = TOTPDevice.objects.get(user=staff)
    client.post(reverse("accounts:two-factor-setup"), {"code": totp_code(device)})

    assert client.get(REPORTS).status_code == 200


def test_staff_with_two_factor_get_in_after_password_and_code(client, required, staff):
    device, _ = two_factor_on(staff)
    log_in_with_password(client, staff, next_url=REPORTS)

    assert client.get(REPORTS).status_code == 302
    done = client.post(STEP, {"code": fresh_code(device)})

    assert done["Location"] == REPORTS
    assert client.get(REPORTS).status_code == 200


def test_a_staff_session_from_before_without_the_second_factor_is_asked_for_it(
    client, required, staff
):
    device, _ = two_factor_on(staff)
    client.force_login(staff)  # signed in with the password only, e.g. before 2FA was required

    response, hops = follow_to_end(client, REPORTS)

    assert hops[-1] == f"{STEP}?next=%2Fadmin%2Fsocial%2Freport%2F"
    assert response.status_code == 200
    done = client.post(f"{STEP}?next={REPORTS}", {"code": fresh_code(device), "next": REPORTS})
    assert done["Location"] == REPORTS
    assert client.get(REPORTS).status_code == 200


def test_a_wrong_code_keeps_staff_out_of_the_admin(client, required, staff):
    device, _ = two_factor_on(staff)
    client.force_login(staff)

    response = client.post(STEP, {"code": wrong_code(device)})

    assert response.status_code == 400
    assert client.get(REPORTS).status_code == 302


# --- Everywhere -------------------------------------------------------------------------------


def test_without_the_requirement_staff_use_the_admin_with_a_password(client, staff):
    log_in_with_password(client, staff)

    assert client.get(REPORTS).status_code == 200


def test_visitors_are_sent_to_the_sites_log_in_and_back(client):
    response, hops = follow_to_end(client, REPORTS)

    assert hops[0].startswith(ADMIN_LOGIN)
    assert hops[-1] == f"{LOGIN}?next=/admin/social/report/"
    assert response.status_code == 200


def test_the_admin_log_in_form_no_longer_logs_anyone_in_by_password(client):
    moderator = moderator_make()

    response = client.post(
        f"{ADMIN_LOGIN}?next={ADMIN}", {"username": moderator.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"
    assert SESSION_KEY not in client.session


def test_a_signed_in_member_who_is_not_staff_gets_403_not_a_loop(client):
    client.force_login(UserFactory())

    assert client.get(ADMIN_LOGIN).status_code == 403
    assert client.get(ADMIN)["Location"].startswith(ADMIN_LOGIN)


def test_the_admin_log_in_ignores_a_next_on_another_site(client):
    response = client.get(f"{ADMIN_LOGIN}?next=https://evil.example/")

    assert response["Location"] == f"{LOGIN}?next=/admin/"


def test_a_superuser_sees_who_has_two_factor_and_can_turn_it_off_for_a_lost_phone(
    client, admin_client
):
    owner = UserFactory()
    device, codes = two_factor_on(owner)
    change = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    client.force_login(moderator_make())

    listed = admin_client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    page = admin_client.get(change)

    assert listed.status_code == 200
    assert owner.username in listed.text
    assert page.status_code == 200
    assert device.key not in page.text
    assert codes[0] not in page.text
    assert client.get(change).status_code == 403

    deleted = admin_client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )

    assert deleted.status_code == 302
    assert not two_factor_enabled(user=owner)
    assert recovery_codes_left(user=owner) == 0
