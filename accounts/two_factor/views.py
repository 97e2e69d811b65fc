"""Two-factor sign-in pages: the log-in's second step, and turning it on and off in settings.

Secrets (the key, the recovery codes) are on pages that are never cached, and the recovery
codes are shown once: they go through the session to the page after the redirect, which
takes them out.
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from accounts.two_factor import services
from accounts.two_factor.forms import (
    DisableForm,
    RecoveryCodesForm,
    SecondFactorForm,
    SetupConfirmForm,
)
from accounts.two_factor.pending import (
    login_pending_clear,
    login_pending_fail,
    login_pending_get,
)
from core.http import form_errors_from, safe_next

NEW_CODES_KEY = "two_factor_new_codes"
EXPIRED = "Your log-in timed out. Enter your password again."
TOO_MANY = "Too many wrong codes. Enter your password again to try once more."


# --- The log-in's second step -----------------------------------------------------------------


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def login_step(request):
    """After the password: a code or recovery code, then the person is logged in.

    Also asks a person who is logged in but not verified in this session (the admin sends
    staff here on production settings); they only get the session marked verified.
    """
    if request.user.is_authenticated:
        return _verify_signed_in(request)
    pending = login_pending_get(request=request)
    if pending is None:
        messages.error(request, EXPIRED)
        return redirect("accounts:login")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, status = _code_check(form, pending.user)
        if device is not None:
            login_pending_clear(request=request)
            auth_login(request, pending.user, backend=pending.backend)
            otp_login(request, device)
            return redirect(pending.next_url)
        if status == 400 and not login_pending_fail(request=request):
            messages.error(request, TOO_MANY)
            return redirect("accounts:login")
    else:
        status = 400 if form.is_bound else 200
    return _step_render(request, form, status)


def _verify_signed_in(request):
    user, next_url = request.user, safe_next(request, reverse("posts:home"))
    if user.is_verified() or not services.two_factor_enabled(user=user):
        return redirect(next_url)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, status = _code_check(form, user)
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
    else:
        status = 400 if form.is_bound else 200
    return _step_render(request, form, status, next_url=next_url)


def _code_check(form, user):
    """(device, None) when the code is right, else (None, status) with the error on `form`."""
    try:
        return services.second_factor_verify(user=user, code=form.cleaned_data["code"]), None
    except services.SecondFactorLocked as locked:
        form_errors_from(form, locked)
        return None, 429
    except ValidationError as error:
        form_errors_from(form, error)
        return None, 400


def _step_render(request, form, status, next_url=""):
    context = {"form": form, "next": next_url}
    return render(request, "registration/login_two_factor.html", context, status=status)


# --- Settings: status, turning on ---------------------------------------------------------------


@login_required
@require_GET
def settings_page(request):
    """Whether it is on; the ways to turn it on or off and to get new recovery codes."""
    return _settings_render(request)


def _settings_render(request, status=200, **forms):
    user = request.user
    context = {
        "enabled": services.two_factor_enabled(user=user),
        "codes_left": services.recovery_codes_left(user=user),
        "disable_form": forms.get("disable_form") or DisableForm(),
        "codes_form": forms.get("codes_form") or RecoveryCodesForm(),
    }
    return render(request, "accounts/two_factor/settings.html", context, status=status)


@login_required
@require_POST
def setup_start(request):
    try:
        services.two_factor_setup_start(user=request.user)
    except ValidationError as error:
        messages.info(request, error.messages[0])
        return redirect("accounts:two-factor")
    return redirect("accounts:two-factor-setup")


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """The new key (as text, as an otpauth:// link and as a QR code) and the first code."""
    device = services.two_factor_setup_device(user=request.user)
    if device is None:
        return redirect("accounts:two-factor")
    form = SetupConfirmForm(request.POST or None)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_setup_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except services.SecondFactorLocked as locked:
            form_errors_from(form, locked)
            status = 429
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            # This session just proved the second factor: it counts as verified.
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is on.")
            return _new_codes_show(request, codes)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        # In groups of four, as people copy it into an app by hand.
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "otpauth_url": device.config_url,
    }
    return render(request, "accounts/two_factor/setup.html", context, status=status)


@never_cache
@login_required
@require_GET
def setup_qr(request):
    """The waiting key's otpauth:// link as an SVG QR code, for the set-up page's <img>."""
    device = services.two_factor_setup_device(user=request.user)
    if device is None:
        raise Http404
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return HttpResponse(image.to_string(encoding="unicode"), content_type="image/svg+xml")


# --- Settings: recovery codes, turning off ------------------------------------------------------


def _new_codes_show(request, codes):
    request.session[NEW_CODES_KEY] = codes
    return redirect("accounts:two-factor-codes")


@never_cache
@login_required
@require_GET
def recovery_codes(request):
    """New recovery codes, shown once: a reload finds them gone."""
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        messages.info(request, "Recovery codes are shown only once. Get new ones if you need.")
        return redirect("accounts:two-factor")
    return render(request, "accounts/two_factor/recovery_codes.html", {"codes": codes})


@sensitive_post_parameters("password")
@login_required
@require_POST
def recovery_codes_new(request):
    form = RecoveryCodesForm(request.POST)
    if form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(
                user=request.user, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "New recovery codes: the old ones no longer work.")
            return _new_codes_show(request, codes)
    return _settings_render(request, status=400, codes_form=form)


@sensitive_post_parameters("password", "code")
@login_required
@require_POST
def disable(request):
    form = DisableForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.two_factor_disable(user=request.user, **form.cleaned_data)
        except services.SecondFactorLocked as locked:
            form_errors_from(form, locked)
            status = 429
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "Two-factor sign-in is off.")
            return redirect("accounts:two-factor")
    return _settings_render(request, status=status, disable_form=form)
