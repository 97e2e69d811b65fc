"""Every write and read of two-factor sign-in.

An account has it on when it has a confirmed TOTP device (django-otp's otp_totp); its recovery
codes are the tokens of one static device beside it (otp_static), each deleted when used.
django-otp does the arithmetic, refuses a TOTP code that was already accepted once, and
throttles guesses per device: after n wrong codes in a row the next check must wait 2^(n-1)
seconds. That count lives on the device, not in the session, so guessing through many fresh
password log-ins gets slower and slower.
"""

import math

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.transactions import write_transaction

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
WRONG_CODE = (
    "That code didn't work. Enter the current 6-digit code from your authenticator app, "
    "or one of your recovery codes that you haven't used yet."
)
WRONG_SETUP_CODE = (
    "That code didn't work. Enter the 6-digit code your authenticator app shows now; "
    "if it keeps failing, check that your phone's clock is set automatically."
)
WRONG_PASSWORD = "That password isn't right."
ALREADY_ON = "Two-factor sign-in is already on."
NOT_ON = "Two-factor sign-in is off."
SETUP_EXPIRED = "Start setting up two-factor sign-in again: that key is no longer waiting."


class SecondFactorLocked(ValidationError):
    """Too many wrong codes in a row for this account; `retry_after` in seconds."""

    def __init__(self, retry_after):
        self.retry_after = retry_after
        super().__init__(
            f"Too many wrong codes. Try again in {retry_after} second"
            f"{'s' if retry_after != 1 else ''}.",
            code="otp_locked",
        )


class SecondFactorRequired(ValidationError):
    """A token was asked for an account with two-factor sign-in without a right second factor;
    `missing` when none was given at all."""

    def __init__(self, *, missing):
        self.missing = missing
        super().__init__(WRONG_CODE, code="otp_required" if missing else "otp_invalid")


# --- Reads -------------------------------------------------------------------------------------


def two_factor_enabled(*, user):
    """Whether logging in to `user` needs a second factor."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_setup_device(*, user):
    """The authenticator key waiting for its first code, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def recovery_codes_left(*, user):
    """How many recovery codes of `user` are still unused."""
    return StaticToken.objects.filter(device__user=user).count()


# --- Writes ------------------------------------------------------------------------------------


def two_factor_setup_start(*, user):
    """A new authenticator key for `user`, unconfirmed until a code proves the app holds it.

    Replaces a key that was never confirmed, so reloading the set-up shows one key only.
    """
    if two_factor_enabled(user=user):
        raise ValidationError(ALREADY_ON, code="otp_already_on")
    with write_transaction():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def two_factor_setup_confirm(*, user, code):
    """Turn two-factor sign-in on once `code` matches the waiting key.

    Returns (device, recovery codes); the codes are shown to the person once.
    """
    with write_transaction():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise ValidationError(SETUP_EXPIRED, code="otp_setup_expired")
        accepted = _device_check(device, code)
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes_replace(user)
    # Outside the transaction: a wrong code's throttle count must be kept, not rolled back.
    if not accepted:
        raise ValidationError({"code": [WRONG_SETUP_CODE]}, code="otp_invalid")
    return device, codes


def second_factor_verify(*, user, code):
    """The device that accepts `code` for `user`: a current authenticator code, or a recovery
    code, which is then used up.

    ValidationError for a wrong code; SecondFactorLocked while guesses are throttled.
    """
    code = _code_clean(code)
    # Six digits is an authenticator code; recovery codes are eight letters and digits.
    model = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    with write_transaction():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        accepted = device is not None and _device_check(device, code)
    if not accepted:
        raise ValidationError({"code": [WRONG_CODE]}, code="otp_invalid")
    return device


def token_second_factor_check(*, user, code=None, verified=False):
    """The rule for every token handed out for `user` (API tokens at log-in, OAuth grants on
    the authorise page): with two-factor sign-in on, none before a second factor, either a
    right `code` sent with this request or a session that passed one (`verified`).

    SecondFactorRequired otherwise; SecondFactorLocked while guesses are throttled.
    """
    if verified or not two_factor_enabled(user=user):
        return
    if not code:
        raise SecondFactorRequired(missing=True)
    try:
        second_factor_verify(user=user, code=code)
    except SecondFactorLocked:
        raise
    except ValidationError:
        raise SecondFactorRequired(missing=False) from None


def two_factor_disable(*, user, password, code):
    """Turn two-factor sign-in off, after the password and a current code (or recovery code)."""
    if not user.check_password(password):
        raise ValidationError({"password": [WRONG_PASSWORD]}, code="invalid_password")
    if not two_factor_enabled(user=user):
        raise ValidationError(NOT_ON, code="otp_off")
    second_factor_verify(user=user, code=code)
    two_factor_remove(user=user)


def two_factor_remove(*, user):
    """Turn two-factor sign-in off without the owner's factors: staff helping someone who lost
    their phone and their recovery codes (from the admin)."""
    with write_transaction():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def recovery_codes_regenerate(*, user, password):
    """New recovery codes for `user` after the password; the old ones stop working."""
    if not user.check_password(password):
        raise ValidationError({"password": [WRONG_PASSWORD]}, code="invalid_password")
    if not two_factor_enabled(user=user):
        raise ValidationError(NOT_ON, code="otp_off")
    with write_transaction():
        return _recovery_codes_replace(user)


def _recovery_codes_replace(user):
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME}
    )
    device.token_set.all().delete()
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    codes = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _device_check(device, code):
    """Whether `device` accepts `code`; SecondFactorLocked while it refuses to check at all.

    Call with the device locked (select_for_update) inside a transaction.
    """
    allowed, why = device.verify_is_allowed()
    if not allowed:
        locked_until = (why or {}).get("locked_until")
        left = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        raise SecondFactorLocked(retry_after=max(1, math.ceil(left)))
    return device.verify_token(_code_clean(code))


def _code_clean(code):
    # People copy codes with spaces or dashes ("123 456", "abcd-efgh") and in capitals.
    return "".join((code or "").split()).replace("-", "").lower()
