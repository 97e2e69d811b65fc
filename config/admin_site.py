"""The admin site: Django's own, entered through the site's log-in page, and on production
settings only with a second factor passed in this session.

Every model admin keeps registering on `django.contrib.admin.site`: ShutterAdminConfig
(config/admin_app.py) makes this class that default site. The admin's own log-in form is not
used: it checks a password only, so it would let a staff member with two-factor sign-in in
without the second factor, and it skips the site's failed log-in limits. /admin/login/ sends
people to the one log-in.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device

SET_UP_MESSAGE = "Turn on two-factor sign-in to use the admin."


def second_factor_missing(request):
    """Whether the admin must still ask this signed-in person for a second factor."""
    return settings.SHUTTER_REQUIRE_2FA_FOR_STAFF and not request.user.is_verified()


class ShutterAdminSite(AdminSite):
    site_header = "Shutter moderation"
    site_title = "Shutter moderation"
    index_title = "Moderation and site administration"
    # The app list beside every page would take a quarter of a 1280 px screen from the report
    # queue; the breadcrumbs and the index lead everywhere it did.
    enable_nav_sidebar = False

    def has_permission(self, request):
        return super().has_permission(request) and not second_factor_missing(request)

    def login(self, request, extra_context=None):
        """Not a page: send each visitor where they can get in (see the module docstring)."""
        next_url = self._next_url(request)
        user = request.user
        if self.has_permission(request):
            return redirect(next_url)
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if not (user.is_active and user.is_staff):
            # Signed in as someone who may not use the admin: sending them to log in would
            # bring them straight back here.
            raise PermissionDenied
        if user_has_device(user):
            step = reverse("accounts:login-two-factor")
            return redirect(f"{step}?{urlencode({'next': next_url})}")
        messages.info(request, SET_UP_MESSAGE)
        return redirect("accounts:two-factor")

    def _next_url(self, request):
        target = request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return target
        return reverse("admin:index", current_app=self.name)
