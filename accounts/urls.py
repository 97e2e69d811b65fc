from django.urls import include, path

from accounts.views import account, auth, profiles

app_name = "accounts"
urlpatterns = [
    path("accounts/signup/", auth.signup, name="signup"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth.PasswordChangeView.as_view(), name="password-change"),
    path(
        "accounts/password/change/done/",
        auth.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("accounts/password/reset/", auth.PasswordResetView.as_view(), name="password-reset"),
    path(
        "accounts/password/reset/done/",
        auth.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("accounts/settings/", account.settings_page, name="settings"),
    path(
        "accounts/settings/sessions/sign-out-everywhere/",
        account.sign_out_everywhere,
        name="sign-out-everywhere",
    ),
    path(
        "accounts/settings/sessions/<int:session_id>/sign-out/",
        account.session_end,
        name="session-end",
    ),
    path("accounts/delete/", account.delete_account, name="delete"),
    path("accounts/", include("accounts.two_factor.urls")),
    path("u/<str:username>/", profiles.profile, name="profile"),
    path("u/<str:username>/followers/", profiles.followers, name="followers"),
    path("u/<str:username>/following/", profiles.following, name="following"),
]
