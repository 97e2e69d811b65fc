"""The site's URLs plus /bench/plain/, for config.settings.bench (scripts/bench.py) only."""

from django.http import JsonResponse
from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def plain(request):
    """The cheapest answer Django gives through the middleware: R0's numerator."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/plain/", plain), *site_urlpatterns]
