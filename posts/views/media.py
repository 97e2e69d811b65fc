"""Every file under MEDIA_URL, in every mode: only for whoever may see what it belongs to.

The stored name leads to its owner (a post's image or an account's avatar) in one indexed query,
the owner's app applies its usual visibility rules, and core/media.py builds the answer (the
file itself, or an X-Accel-Redirect for nginx). What does not exist and what the viewer may not
see get the same 404.
"""

from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from accounts.models import AVATAR_FOLDER
from accounts.selectors import avatar_file_access
from core.media import MediaAccess, media_name_clean, media_not_found, media_response
from core.rest.authentication import request_viewer
from posts.models import MEDIA_FOLDER as POSTS_FOLDER
from posts.selectors import post_file_access

ACCESS_BY_FOLDER = {POSTS_FOLDER: post_file_access, AVATAR_FOLDER: avatar_file_access}


@require_safe
def media_file(request, name):
    name = media_name_clean(name)
    access_of = ACCESS_BY_FOLDER.get(name.partition("/")[0]) if name else None
    if access_of is None:
        return media_not_found()
    # Lazy: a public avatar never looks at who asks, so its answer reads no session.
    viewer = SimpleLazyObject(lambda: request_viewer(request))
    access = access_of(viewer=viewer, name=name)
    if access is None:
        return media_not_found()
    if access is MediaAccess.PUBLIC:
        _keep_out_of_vary(request)
    return media_response(name, access=access) or media_not_found()


def _keep_out_of_vary(request):
    # A public file is the same bytes for everyone allowed it; the session was read only to
    # apply blocks. Unmarked, SessionMiddleware would add `Vary: Cookie`, and shared caches
    # (a CDN) would keep a copy per visitor or none at all.
    session = getattr(request, "session", None)
    if session is not None:
        session.accessed = False
