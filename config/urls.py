from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from config.health import healthz

# Django's own 500 page, with a policy that admits its inline styles (config/csp.py).
handler500 = "config.csp.server_error_page"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api")),
    path("healthz", healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("", include("social.urls")),
    path("", include("posts.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    if "debug_toolbar" in settings.INSTALLED_APPS:
        urlpatterns += [path("__debug__/", include("debug_toolbar.urls"))]
