"""My own account: the settings page (profile, photo, privacy) and deleting the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm, ProfileSettingsForm
from core.http import form_errors_from, render_refused_form
from social.graph.services import account_settings_update
from social.lifecycle import user_delete


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """Edit name, bio, website, photo and privacy; a rejected field keeps what was typed."""
    user = request.user
    if request.method == "GET":
        form = ProfileSettingsForm.for_user(user)
        return render(request, "accounts/settings.html", {"form": form})
    form = ProfileSettingsForm.for_user(user, data=request.POST, files=request.FILES)
    refusal = None
    if form.is_valid():
        try:
            accepted = _settings_save(user, form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
            refusal = error
        else:
            messages.success(request, "Profile saved")
            if accepted:
                messages.info(
                    request,
                    f"Your account is public: {accepted} follow request"
                    f"{'s were' if accepted != 1 else ' was'} approved.",
                )
            return redirect("accounts:settings")
    return render_refused_form(request, "accounts/settings.html", {"form": form}, refusal=refusal)


def _settings_save(user, data):
    """Save the form; returns how many requests going public approved."""
    fields = ("display_name", "bio", "website", "avatar", "is_private")
    return account_settings_update(user=user, **{field: data[field] for field in fields})


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Delete my account after my password; I am logged out and taken to the front page."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            logout(request)
            messages.info(request, "Your account and everything in it were deleted.")
            return redirect("posts:home")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)
