"""Real authenticator codes for tests, computed from a device's secret as an app would."""

import time
from datetime import timedelta

from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor.services import two_factor_setup_confirm, two_factor_setup_start


def totp_code(device, *, at=None):
    """The code `device`'s app shows at time `at` (now by default)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def fresh_code(device):
    """A code the device accepts now: the current one, or the next one when the current one
    was already used (a code is accepted once, and one step early is tolerated)."""
    device.refresh_from_db()
    now = time.time()
    step_now = int((now - device.t0) // device.step)
    step = max(step_now, device.last_t + 1)
    return totp_code(device, at=device.t0 + step * device.step + 1)


def two_factor_on(user):
    """Turn two-factor sign-in on for `user` the way a person does; (device, recovery codes)."""
    device = two_factor_setup_start(user=user)
    return two_factor_setup_confirm(user=user, code=totp_code(device))


def throttle_forget(user):
    """Let the next code be checked at once, as if the wait after wrong codes had passed."""
    long_ago = timezone.now() - timedelta(days=400)
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=long_ago)


def wrong_code(device):
    """Six digits that none of the codes the device would accept now equals."""
    now = time.time()
    accepted = {totp_code(device, at=now + shift * device.step) for shift in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in accepted)
