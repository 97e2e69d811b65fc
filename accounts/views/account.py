"""My own account: the settings page (profile, photo, privacy, where I am signed in), signing
out elsewhere, and deleting the account."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import DeleteAccountForm, ProfileSettingsForm
from accounts.selectors import user_sessions_list
from accounts.services import user_session_end, user_sessions_end
from accounts.sessions import current_session_id
from core.http import form_errors_from
from social.graph.services import account_settings_update
from social.lifecycle import user_delete


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """Edit name, bio, website, photo and privacy; a rejected field keeps what was typed."""
    user = request.user
    if request.method == "GET":
        return _settings_render(request, ProfileSettingsForm.for_user(user))
    form = ProfileSettingsForm.for_user(user, data=request.POST, files=request.FILES)
    if form.is_valid():
        try:
            accepted = _settings_save(user, form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "Profile saved")
            if accepted:
                messages.info(
                    request,
                    f"Your account is public: {accepted} follow request"
                    f"{'s were' if accepted != 1 else ' was'} approved.",
                )
            return redirect("accounts:settings")
    return _settings_render(request, form, status=400)


def _settings_render(request, form, status=200):
    context = {
        "form": form,
        "signed_in_sessions": user_sessions_list(user=request.user),
        "current_session_id": current_session_id(request),
    }
    return render(request, "accounts/settings.html", context, status=status)


def _settings_save(user, data):
    """Save the form; returns how many requests going public approved."""
    fields = ("display_name", "bio", "website", "avatar", "is_private")
    return account_settings_update(user=user, **{field: data[field] for field in fields})


@require_POST
@login_required
def sign_out_everywhere(request):
    """End every other session of my account and all its API tokens; this browser stays."""
    user_sessions_end(user=request.user, keep=current_session_id(request))
    update_session_auth_hash(request, request.user)
    messages.success(
        request, "You're signed out everywhere else, and apps using your API token must log in."
    )
    return redirect("accounts:settings")


@require_POST
@login_required
def session_end(request, session_id):
    """Sign out one of my sessions; ending this browser's own is logging out."""
    if session_id == current_session_id(request):
        logout(request)
        messages.info(request, "You're logged out.")
        return redirect("posts:home")
    try:
        user_session_end(user=request.user, session_id=session_id)
    except ObjectDoesNotExist:
        raise Http404("No such session.") from None
    messages.success(request, "That session is signed out.")
    return redirect("accounts:settings")


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
