"""Request-wide guards: NUL characters in URLs, and database pinning for read-your-writes."""

from urllib.parse import unquote_plus

from django.conf import settings
from django.core import signing
from django.core.exceptions import BadRequest
from django.http import JsonResponse

from core.db_router import pinned_context

API_PREFIX = "/api/"
NUL = "\x00"
NUL_MESSAGE = "The address holds a NUL character (%00), which no page or resource here has."


class NulCharacterMiddleware:
    """A URL whose path or query string holds a NUL character is a 400, before any view runs.

    PostgreSQL text can't hold NUL and psycopg refuses to send it, so a username, hashtag or
    search term carrying %00 would otherwise reach the database and end in a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote_plus(request.META.get("QUERY_STRING", ""))
        if NUL not in request.path and NUL not in query:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": NUL_MESSAGE}, status=400)
        raise BadRequest(NUL_MESSAGE)  # Django's handler renders the 400 page


PIN_COOKIE = "shutter_pin"
_SALT = "shutter.read-your-writes"


class ReadYourWritesMiddleware:
    """Reads go to the primary for the rest of a request that wrote, and for a few seconds
    after it for the same client (a signed cookie), so the next page shows what they did."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with pinned_context(pinned=self._recently_wrote(request)) as scope:
            response = self.get_response(request)
        if scope.wrote:
            window = settings.SHUTTER_REPLICA["READ_YOUR_WRITES_SECONDS"]
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=_SALT,
                max_age=window,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def _recently_wrote(self, request):
        window = settings.SHUTTER_REPLICA["READ_YOUR_WRITES_SECONDS"]
        try:
            request.get_signed_cookie(PIN_COOKIE, salt=_SALT, max_age=window)
        except (KeyError, signing.BadSignature):
            return False
        return True
