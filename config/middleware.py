"""Request-scoped database pinning for read-your-writes."""

from django.conf import settings
from django.core import signing

from config.db_router import pinned_context

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
