"""The API's URLs, included under /api/: version 1 of the endpoints, the schema and its docs.

Each app lists its endpoints in `urlpatterns` of its own `api` module; add it to V1 below.
URL names live in the "api" namespace, e.g. reverse("api:me").
"""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from social.mastodon import urls as mastodon


# Exempt from CSRF: it changes nothing, and a POST to an unknown path must get this JSON 404,
# not the CSRF failure page in HTML.
@csrf_exempt
def not_found(request, *args, **kwargs):
    """An unknown /api/v1/ path answers in JSON like every other API error."""
    return JsonResponse({"detail": "Not found."}, status=404)


V1 = [
    # Mastodon's client API (issue 14): its routes have no trailing slash, Shutter's all do.
    *mastodon.V1,
    path("", include("accounts.api")),
    path("", include("posts.api.urls")),
    path("", include("social.api.urls")),
    # Mastodon's app registration (OAuth 2), no trailing slash as on Mastodon.
    path("", include("accounts.oauth.api")),
    re_path(r"^(?:.*/)?$", not_found),
]

V2 = [*mastodon.V2, re_path(r"^(?:.*/)?$", not_found)]

urlpatterns = [
    path("v1/", include((V1, "api"))),
    path("v2/", include((V2, "api-v2"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Split: the start-up script comes from ?script, not inline, so the CSP holds here too.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
