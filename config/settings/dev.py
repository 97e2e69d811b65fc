"""Local development: DEBUG on, debug toolbar, console e-mail."""

from config.env import env_bool
from config.settings.base import *  # noqa: F403
from config.settings.base import INSTALLED_APPS, MIDDLEWARE, REST_FRAMEWORK

DEBUG = env_bool("DJANGO_DEBUG", True)
INTERNAL_IPS = ["127.0.0.1"]

INSTALLED_APPS = [*INSTALLED_APPS, "debug_toolbar"]
# Inside the CSP middleware: the toolbar puts the request's nonce on its scripts when it adds
# them to a page, which must happen before the policy (and its nonce) is written.
_CSP_AT = MIDDLEWARE.index("django.middleware.csp.ContentSecurityPolicyMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_CSP_AT],
    "debug_toolbar.middleware.DebugToolbarMiddleware",
    *MIDDLEWARE[_CSP_AT:],
]

# Collapsed until asked for: open, the toolbar covers Sign up on a desktop and most of a phone.
# Its handle sits low on the right edge (static/css/app.css), clear of headers and counts.
DEBUG_TOOLBAR_CONFIG = {"SHOW_COLLAPSED": True}

if DEBUG:
    REST_FRAMEWORK = {
        **REST_FRAMEWORK,
        "DEFAULT_RENDERER_CLASSES": [
            *REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"],
            "rest_framework.renderers.BrowsableAPIRenderer",
        ],
    }
