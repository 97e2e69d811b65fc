"""What every page and form action shares: safe `next`, JSON for app.js, service refusals,
and the API's write rates.

Actions are form POSTs that redirect back to `next`; app.js sends the same POST with
`Accept: application/json` and reads a small JSON answer instead. The services' exceptions keep
their meaning on both paths: ValidationError → 400, PermissionDenied → 403, DoesNotExist → 404
(what the viewer may not see is a 404 like what is gone, so a page never leaks that it exists).
"""

import math
from functools import wraps
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.limits import TooManyAttempts, wait_in_words
from core.pagination import InvalidCursor
from core.rest.throttling import ScopedWriteRateThrottle

NOT_FOUND = "Not found."


def wants_json(request):
    """True when app.js asked for a JSON answer; a plain form post gets a redirect or a page."""
    return "application/json" in request.headers.get("Accept", "")


def safe_next(request, default):
    """The `next` of the form or query string when it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else default


def _home():
    return reverse("posts:home")


def cursor_of(request):
    """The keyset cursor of a list page (`?cursor=`); a forged one is a 400 by service_errors."""
    return request.GET.get("cursor") or None


def done(request, *, data, default_next, message=None, level=messages.SUCCESS):
    """An action that worked: `data` as JSON for app.js, else `message` (if any) and back to
    the page the form was on."""
    if wants_json(request):
        return JsonResponse(data)
    if message:
        messages.add_message(request, level, message)
    return redirect(safe_next(request, default_next))


def _error_dict(error):
    if hasattr(error, "error_dict"):
        return {field: list(messages_) for field, messages_ in error}
    return {"detail": error.messages}


def form_errors_from(form, error):
    """Put a service's ValidationError on `form`: each field's messages next to it, the rest
    (and fields the form doesn't show) at the top."""
    for field, messages_ in _error_dict(error).items():
        form.add_error(field if field in form.fields else None, messages_)


def member_required(view):
    """Visitors are sent to log in (JSON: 401), and come back to the page they were on.

    After an action (a POST), that is the form's `next`, not the action's own URL.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if wants_json(request):
            return JsonResponse({"detail": "Log in to do that."}, status=401)
        if request.method == "POST":
            back = safe_next(request, settings.LOGIN_REDIRECT_URL)
        else:
            back = request.get_full_path()
        return redirect_to_login(back)

    return wrapper


def service_errors(view):
    """Turn the services' refusals into answers: what the viewer can't see is 404, what they
    may see but not do is 403, a forged page link is 400 (JSON when app.js asks)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (ObjectDoesNotExist, Http404):
            if wants_json(request):
                return JsonResponse({"detail": NOT_FOUND}, status=404)
            raise Http404(NOT_FOUND) from None
        except PermissionDenied as error:
            if wants_json(request):
                return JsonResponse({"detail": str(error) or "Not allowed."}, status=403)
            raise
        except InvalidCursor as error:
            if wants_json(request):
                return JsonResponse(error.message_dict, status=400)
            raise BadRequest(error.messages[0]) from None

    return wrapper


def action(view):
    """POST only, members only, refusals answered as above; a rejected action (ValidationError)
    is {"field": ["message"]} with 400 for app.js, else its messages on the form's page."""

    @require_POST
    @member_required
    @service_errors
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as error:
            if wants_json(request):
                return JsonResponse(_error_dict(error), status=400)
            for messages_ in _error_dict(error).values():
                for message in messages_:
                    messages.error(request, message)
            return redirect(safe_next(request, _home()))

    return wrapper


def rate_limited(scope):
    """Count a page's writes (not its GETs) against the API's `scope` rate, in the same
    per-user bucket, so the site and the API together get one limit. Over it: 429 with
    Retry-After, as a page or as {"detail": …} for app.js. Goes after member_required."""
    # DRF's throttles read the scope off the view they guard.
    scoped = SimpleNamespace(throttle_scope=scope)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            throttle = ScopedWriteRateThrottle()
            if throttle.allow_request(request, scoped):
                return view(request, *args, **kwargs)
            retry_after = math.ceil(throttle.wait() or throttle.duration)
            return too_many_requests(request, retry_after=retry_after)

        return wrapper

    return decorator


def attempts_limited(view):
    """A page whose form may reach a guessing limit (core.limits: log-in failures per account
    and per address) answers as the API does: 429 with Retry-After, in the limit's own words."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except TooManyAttempts as limit:
            return too_many_requests(request, retry_after=limit.retry_after, detail=limit.detail)

    return wrapper


def too_many_requests(request, *, retry_after, detail=None):
    """The 429 page (or JSON for app.js) with Retry-After in seconds."""
    if detail is None:
        detail = (
            f"You've done this a lot in a short while. Try again in {wait_in_words(retry_after)}."
        )
    if wants_json(request):
        response = JsonResponse({"detail": detail}, status=429)
    else:
        response = render(request, "429.html", {"detail": detail}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
