"""Included under /accounts/ in the `accounts` namespace (accounts/urls.py)."""

from django.urls import path

from accounts.two_factor import views

urlpatterns = [
    path("login/two-factor/", views.login_step, name="login-two-factor"),
    path("settings/two-factor/", views.settings_page, name="two-factor"),
    path("settings/two-factor/start/", views.setup_start, name="two-factor-start"),
    path("settings/two-factor/setup/", views.setup, name="two-factor-setup"),
    path("settings/two-factor/setup/qr.svg", views.setup_qr, name="two-factor-qr"),
    path("settings/two-factor/recovery-codes/", views.recovery_codes, name="two-factor-codes"),
    path(
        "settings/two-factor/recovery-codes/new/",
        views.recovery_codes_new,
        name="two-factor-codes-new",
    ),
    path("settings/two-factor/off/", views.disable, name="two-factor-off"),
]
