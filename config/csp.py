"""The two pages whose Content-Security-Policy differs from settings.SECURE_CSP.

- The 500 page stands alone (templates/500.html: no static files, since they may be what
  failed), so its one <style> block is allowed by its SHA-256 on that response only.
The API docs (Swagger UI) need no exception: their start-up script comes as a file
(SpectacularSwaggerSplitView, config/api.py) and the page's few styles from our static file
(templates/drf_spectacular/swagger_ui.html).
"""

import base64
import functools
import hashlib
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.views.decorators.csp import csp_override
from django.views.defaults import server_error

STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@functools.cache
def _error_page_style_hash():
    """The CSP source that allows exactly the 500 page's style block."""
    match = STYLE_BLOCK.search(render_to_string("500.html"))
    digest = hashlib.sha256(match.group(1).encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def server_error_page(request, *args, **kwargs):
    """Django's 500 page, with a policy that lets its inline styles (and nothing else) apply."""
    policy = {**settings.SECURE_CSP, "style-src": [_error_page_style_hash()]}
    return csp_override(policy)(server_error)(request, *args, **kwargs)
