from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from posts.views.media import media_file
from social.mastodon.urls import WELL_KNOWN as MASTODON_WELL_KNOWN

# Uploads go through a view in every mode, DEBUG or not: it decides who may have each file.
MEDIA_PATH = urlsplit(settings.MEDIA_URL).path.lstrip("/")

# Django's own 500 page, with a policy that admits its inline styles (config/csp.py).
handler500 = "config.csp.server_error_page"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api")),
    path("healthz", healthz, name="healthz"),
    *MASTODON_WELL_KNOWN,
    path(f"{MEDIA_PATH}<path:name>", media_file, name="media"),
    # OAuth 2 (/oauth/..., /.well-known/oauth-authorization-server, settings' authorised apps).
    path("", include("accounts.oauth.urls")),
    path("", include("accounts.urls")),
    path("", include("social.urls")),
    path("", include("posts.urls")),
]

if settings.DEBUG and "debug_toolbar" in settings.INSTALLED_APPS:
    urlpatterns += [path("__debug__/", include("debug_toolbar.urls"))]
