"""Request rates: per user, per anonymous address, and tighter scopes for costly writes.

The rates live in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], each from a SHUTTER_THROTTLE_*
environment variable. A view opts into a scope with `throttle_scope = "comment"`; the scoped
throttle counts only its writes, so reading a post's comments never uses up the comment rate.
Over the rate, DRF answers 429 with a Retry-After header. The site's pages count their writes
in the same scopes and buckets through core.http.rate_limited. Requests without an account
count per core.limits.client_address, the one rule for who is asking.
"""

from rest_framework import throttling
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings

from core.limits import client_address


class _CurrentRates:
    def get_rate(self):
        # DRF's own classes copy the rates once at import, so overridden settings (tests, a
        # settings module built later) would be ignored; reading them here always sees the
        # current ones.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()

    def get_ident(self, request):
        # Not DRF's NUM_PROXIES count: it believes a hop a direct client may have written.
        return client_address(request)


class AnonRateThrottle(_CurrentRates, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_CurrentRates, throttling.UserRateThrottle):
    pass


class ScopedWriteRateThrottle(_CurrentRates, throttling.ScopedRateThrottle):
    """The view's `throttle_scope` rate, counted on unsafe methods only."""

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
