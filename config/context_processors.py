"""What every page's top bar needs, whichever view rendered it."""

from django.utils.functional import SimpleLazyObject

from social.notifications.selectors import notifications_unread_count

_CACHE_ATTR = "_shutter_unread_notifications"


def _unread_count(request):
    # A view may render several templates (a page and a fragment): count once per request.
    if not hasattr(request, _CACHE_ATTR):
        setattr(request, _CACHE_ATTR, notifications_unread_count(user=request.user))
    return getattr(request, _CACHE_ATTR)


def shutter(request):
    """`unread_notifications` for the badge: 0 for visitors, counted lazily for members.

    Lazy so that a response that never prints the badge (a redirect, a JSON answer rendered
    through a template) costs no query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: _unread_count(request))}
