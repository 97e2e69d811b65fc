"""The forms of the account pages. They shape the input; the rules (username format, password
strength, bio length, web address) live in accounts.services and come back as field errors."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from accounts.services import BIO_MAX, DISPLAY_NAME_MAX, USERNAME_MAX
from core.rest.authentication import api_login

AVATAR_ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif"


# The one description of a good password: sign-up, change and reset all show it.
PASSWORD_HINT = "At least 8 characters; not a common password, not only numbers."


def _password_input(autocomplete):
    return forms.PasswordInput(attrs={"autocomplete": autocomplete})


class SignupForm(forms.Form):
    email = forms.CharField(
        label="Email",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    username = forms.CharField(
        label="Username",
        help_text=f"Up to {USERNAME_MAX} letters, numbers, periods and underscores.",
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    display_name = forms.CharField(
        label="Name",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": DISPLAY_NAME_MAX}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=_password_input("new-password"),
        help_text=PASSWORD_HINT,
    )


class _PasswordHintMixin:
    """Django's password forms list every validator's rules; ours say what sign-up says."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HINT


class ShutterPasswordChangeForm(_PasswordHintMixin, PasswordChangeForm):
    pass


class ShutterSetPasswordForm(_PasswordHintMixin, SetPasswordForm):
    pass


class LoginForm(forms.Form):
    """Username or email and password; LoginView reads the account from get_user()."""

    username = forms.CharField(
        label="Username or email",
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label="Password", strip=False, widget=_password_input("current-password")
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        login, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if login and password:
            # The API's check, so both faces agree: a suspended account is told so, and too
            # many failures for the account or from this address raise TooManyAttempts, which
            # the view answers with the 429 page (core.http.attempts_limited).
            self.user_cache = api_login(request=self.request, login=login, password=password)
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class ProfileSettingsForm(forms.Form):
    # Lengths are the services' rules: the widgets only tell the browser and the counters.
    display_name = forms.CharField(
        label="Name", required=False, widget=forms.TextInput(attrs={"maxlength": DISPLAY_NAME_MAX})
    )
    bio = forms.CharField(
        label="Bio",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": BIO_MAX}),
    )
    website = forms.CharField(
        label="Website",
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "url", "placeholder": "example.com", "autocapitalize": "none"}
        ),
    )
    avatar = forms.FileField(
        label="Profile photo",
        required=False,
        help_text="JPEG, PNG or WebP. It is cropped to a square.",
        widget=forms.FileInput(
            attrs={
                "accept": AVATAR_ACCEPT,
                "data-preview": "",
                "data-max-files": "1",
                "data-max-bytes": str(settings.SHUTTER["MAX_IMAGE_BYTES"]),
            }
        ),
    )
    is_private = forms.BooleanField(
        label="Private account",
        required=False,
        help_text=(
            "Only people you approve see your posts and who you follow. Your name, photo and "
            "bio stay public. Turning this off approves every waiting request."
        ),
    )

    @classmethod
    def for_user(cls, user, **kwargs):
        initial = {
            "display_name": user.display_name,
            "bio": user.bio,
            "website": user.website,
            "is_private": user.is_private,
        }
        return cls(initial=initial, **kwargs)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password", strip=False, widget=_password_input("current-password")
    )
