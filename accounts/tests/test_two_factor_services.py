"""Two-factor sign-in's rules, below the pages and the API (accounts/two_factor/services.py)."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.two_factor_helpers import (
    fresh_code,
    throttle_forget,
    totp_code,
    two_factor_on,
    wrong_code,
)
from accounts.two_factor.services import (
    SecondFactorLocked,
    recovery_codes_left,
    recovery_codes_regenerate,
    second_factor_verify,
    two_factor_disable,
    two_factor_enabled,
    two_factor_setup_confirm,
    two_factor_setup_start,
)

pytestmark = pytest.mark.django_db


def test_a_new_key_is_not_on_until_a_code_from_it_confirms_it():
    user = UserFactory()
    device = two_factor_setup_start(user=user)

    assert not two_factor_enabled(user=user)
    confirmed, codes = two_factor_setup_confirm(user=user, code=totp_code(device))

    assert confirmed.pk == device.pk
    assert two_factor_enabled(user=user)
    assert len(codes) == 10 == len(set(codes)) == recovery_codes_left(user=user)


def test_a_wrong_first_code_leaves_it_off_and_says_which_field():
    user = UserFactory()
    device = two_factor_setup_start(user=user)
    with pytest.raises(ValidationError) as refused:
        two_factor_setup_confirm(user=user, code=wrong_code(device))

    assert "code" in refused.value.message_dict
    assert not two_factor_enabled(user=user)
    assert recovery_codes_left(user=user) == 0


def test_starting_again_replaces_the_key_that_was_never_confirmed():
    user = UserFactory()
    first = two_factor_setup_start(user=user)
    second = two_factor_setup_start(user=user)

    assert list(TOTPDevice.objects.filter(user=user)) == [second]
    assert first.key != second.key


def test_starting_while_it_is_on_is_refused():
    user = UserFactory()
    two_factor_on(user)

    with pytest.raises(ValidationError):
        two_factor_setup_start(user=user)


def test_a_current_code_is_accepted_once_only():
    user = UserFactory()
    device, _ = two_factor_on(user)
    code = fresh_code(device)

    assert second_factor_verify(user=user, code=code).pk == device.pk
    throttle_forget(user)
    with pytest.raises(ValidationError):
        second_factor_verify(user=user, code=code)


def test_each_recovery_code_works_once_and_is_then_gone():
    user = UserFactory()
    _, codes = two_factor_on(user)

    # Typed with a space in the middle and in capitals, as people copy them.
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    assert second_factor_verify(user=user, code=typed)
    assert recovery_codes_left(user=user) == 9
    throttle_forget(user)
    with pytest.raises(ValidationError):
        second_factor_verify(user=user, code=codes[0])
    throttle_forget(user)
    assert second_factor_verify(user=user, code=codes[1])


def test_a_code_of_another_account_is_refused():
    me, other = UserFactory(), UserFactory()
    two_factor_on(me)
    other_device, other_codes = two_factor_on(other)

    with pytest.raises(ValidationError):
        second_factor_verify(user=me, code=fresh_code(other_device))
    throttle_forget(me)
    with pytest.raises(ValidationError):
        second_factor_verify(user=me, code=other_codes[0])
    assert StaticToken.objects.filter(token=other_codes[0]).exists()


def test_after_a_wrong_code_even_the_right_one_waits_and_the_wait_grows():
    user = UserFactory()
    device, _ = two_factor_on(user)

    for _ in range(3):
        with pytest.raises(ValidationError):
            second_factor_verify(user=user, code=wrong_code(device))
        throttle_forget(user)
    with pytest.raises(ValidationError):
        second_factor_verify(user=user, code=wrong_code(device))

    with pytest.raises(SecondFactorLocked) as locked:
        second_factor_verify(user=user, code=fresh_code(device))
    # Four wrong codes in a row: the next check waits 2^3 seconds.
    assert 7 <= locked.value.retry_after <= 8


def test_turning_off_needs_the_password_and_a_code_then_removes_every_device():
    user = UserFactory()
    device, codes = two_factor_on(user)

    with pytest.raises(ValidationError) as wrong_password:
        two_factor_disable(user=user, password="nope", code=fresh_code(device))
    assert "password" in wrong_password.value.message_dict
    with pytest.raises(ValidationError) as wrong_code:
        two_factor_disable(user=user, password=PASSWORD, code="not-a-code")
    assert "code" in wrong_code.value.message_dict
    assert two_factor_enabled(user=user)

    throttle_forget(user)
    two_factor_disable(user=user, password=PASSWORD, code=codes[3])

    assert not two_factor_enabled(user=user)
    assert recovery_codes_left(user=user) == 0


def test_new_recovery_codes_need_the_password_and_end_the_old_ones():
    user = UserFactory()
    _, old = two_factor_on(user)

    with pytest.raises(ValidationError):
        recovery_codes_regenerate(user=user, password="nope")
    new = recovery_codes_regenerate(user=user, password=PASSWORD)

    assert len(new) == 10 and not set(new) & set(old)
    with pytest.raises(ValidationError):
        second_factor_verify(user=user, code=old[0])
    throttle_forget(user)
    assert second_factor_verify(user=user, code=new[0])


def test_an_account_without_two_factor_has_no_code_that_works():
    user = UserFactory()

    assert not two_factor_enabled(user=user)
    with pytest.raises(ValidationError):
        second_factor_verify(user=user, code="123456")
