"""What every page and action view shares: safe redirects, JSON for scripts, service errors.

Actions are form POSTs that redirect back to `next`; app.js sends the same POST with
`Accept: application/json` and reads a small JSON answer instead. Errors from services keep
their meaning on both paths: ValidationError → 400, PermissionDenied → 403, DoesNotExist → 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from config.pagination import InvalidCursor


def wants_json(request):
    """True when app.js asked for a JSON answer instead of a page."""
    return "application/json" in request.headers.get("Accept", "")


def safe_next(request, default):
    """The `next` of the form or query string when it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else default


def done(request, *, data, message, default_next, level=messages.SUCCESS):
    """The answer to an action that worked: JSON for scripts, else a message and a redirect."""
    if wants_json(request):
        return JsonResponse(data)
    messages.add_message(request, level, message)
    return redirect(safe_next(request, default_next))


def error_messages(error):
    """A ValidationError as one list of sentences a person can read."""
    return [message for messages_ in _error_dict(error).values() for message in messages_]


def _error_dict(error):
    if hasattr(error, "error_dict"):
        return {field: list(messages_) for field, messages_ in error}
    return {"detail": error.messages}


def action(view):
    """POST only, logged in, and service errors turned into the answer the caller can use.

    A visitor is sent to log in and then back to the page the form was on (not to this
    POST-only address). Without scripts a rejected action comes back as an error message on
    that page; a script gets {"field": ["message"]} with 400, or {"detail": …} with 403/404.
    """

    @require_POST
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if wants_json(request):
                return JsonResponse({"detail": "Log in first."}, status=401)
            return redirect_to_login(safe_next(request, "/"))
        try:
            return view(request, *args, **kwargs)
        except ValidationError as error:
            if wants_json(request):
                return JsonResponse(_error_dict(error), status=400)
            for message in error_messages(error):
                messages.error(request, message)
            return redirect(safe_next(request, "/"))
        except PermissionDenied as error:
            if wants_json(request):
                return JsonResponse({"detail": str(error) or "Not allowed."}, status=403)
            raise
        except (ObjectDoesNotExist, Http404):
            if wants_json(request):
                return JsonResponse({"detail": "Not found."}, status=404)
            raise Http404 from None

    return wrapper


def found_or_404(lookup, **kwargs):
    """Call a selector; an object the viewer may not see is a 404 page, like one that's gone."""
    try:
        return lookup(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def page_of(selector, request, **kwargs):
    """One page of a keyset list at `?cursor=`; a forged or foreign cursor is a 400."""
    try:
        return selector(cursor=request.GET.get("cursor") or None, **kwargs)
    except InvalidCursor as error:
        raise BadRequest(error_messages(error)[0]) from None


def form_errors_from(form, error):
    """Put a service's ValidationError on the form: each field's messages next to it, the rest
    (and fields the form doesn't show) at the top."""
    for field, messages_ in _error_dict(error).items():
        form.add_error(field if field in form.fields else None, messages_)
