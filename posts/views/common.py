"""What every posts view shares: JSON or redirect answers, safe `next`, service refusals."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, ObjectDoesNotExist, PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from config.pagination import InvalidCursor

NOT_FOUND = "Not found."


def wants_json(request):
    """app.js asks for JSON; a plain form post (no scripts) gets a redirect or a page."""
    return "application/json" in request.headers.get("Accept", "")


def safe_next(request, default):
    """The `next` the form carried when it points back into this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def done(request, data, *, default):
    """An action's answer: `data` as JSON for app.js, else back to where the form was."""
    if wants_json(request):
        return JsonResponse(data)
    return redirect(safe_next(request, default))


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
    """Turn the services' refusals into answers: what the viewer can't see is 404 (it doesn't
    leak that it exists), what they may see but not do is 403, a forged page link is 400."""

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


def cursor_of(request):
    return request.GET.get("cursor") or None
