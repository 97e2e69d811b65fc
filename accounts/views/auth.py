"""Signing up, logging in and out, and the password pages (Django's own views, our templates)."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.forms import (
    LoginForm,
    ShutterPasswordChangeForm,
    ShutterSetPasswordForm,
    SignupForm,
)
from accounts.services import user_sessions_end, user_signup
from accounts.sessions import current_session_id
from accounts.two_factor.pending import login_pending_start
from accounts.two_factor.services import two_factor_enabled
from core.http import attempts_limited, form_errors_from, rate_limited, safe_next
from social.moderation.appeals import appeal_link_url, suspension_for_login

BACKEND = "accounts.backends.UsernameOrEmailBackend"


class RejectedFormStatusMixin:
    """A rejected form comes back with 400, keeping what was typed (except passwords)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@rate_limited("register")  # the API's register rate, in the same per-address bucket
def signup(request):
    """Create an account, log the person in and take them home (or to a safe `next`)."""
    if request.user.is_authenticated:
        return redirect(safe_next(request, reverse("posts:home")))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_signup(**form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            auth_login(request, user, backend=BACKEND)
            messages.success(request, f"Welcome to Shutter, {user.name}!")
            return redirect(safe_next(request, reverse("posts:home")))
    status = 400 if form.is_bound else 200
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "accounts/signup.html", context, status=status)


# The API's limits on the page: the token endpoint's rate per address, and the failed log-in
# locks per account and per address (core.limits), each a 429 page with Retry-After.
@method_decorator([rate_limited("login"), attempts_limited], name="post")
class LoginView(RejectedFormStatusMixin, auth_views.LoginView):
    """Username or email; `next` followed only when it stays on this site; suspended accounts
    hear that they are suspended."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor_enabled(user=user):
            # Not logged in yet: the password is right, the second step asks for a code.
            login_pending_start(request=self.request, user=user, next_url=self.get_success_url())
            return redirect("accounts:login-two-factor")
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code="suspended"):
            # The right password of a suspended account: it hears why, and how to appeal (the
            # e-mailed link's page; it can't sign in to reach its notifications).
            suspension = suspension_for_login(
                login=form.cleaned_data.get("username", ""),
                password=form.cleaned_data.get("password", ""),
            )
            if suspension is not None:
                response.context_data["suspension"] = suspension
                response.context_data["suspension_appeal_url"] = appeal_link_url(suspension)
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET), then home with a word that it worked."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You're logged out.")
        return response


class PasswordChangeView(RejectedFormStatusMixin, auth_views.PasswordChangeView):
    """A new password signs the account out everywhere else and ends its API tokens: whoever
    knew the old one keeps nothing. This browser stays signed in."""

    template_name = "registration/password_change_form.html"
    form_class = ShutterPasswordChangeForm
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        user_sessions_end(user=form.user, keep=current_session_id(self.request))
        update_session_auth_hash(self.request, form.user)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(RejectedFormStatusMixin, auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(RejectedFormStatusMixin, auth_views.PasswordResetConfirmView):
    """A reset ends every session and API token of the account: it is how an owner takes back
    an account someone else got into."""

    template_name = "registration/password_reset_confirm.html"
    form_class = ShutterSetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        user_sessions_end(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
