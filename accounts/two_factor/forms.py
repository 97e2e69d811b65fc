"""The forms of two-factor sign-in. They shape the input; services.py decides what is right."""

from django import forms

# A recovery code is 8 characters; room for the spaces and dashes people type between groups.
CODE_MAX = 32


def _code_field(label, help_text, *, numeric=False):
    attrs = {
        "autocomplete": "one-time-code",
        "autocapitalize": "none",
        "spellcheck": "false",
    }
    if numeric:
        attrs["inputmode"] = "numeric"
    field = forms.CharField(
        label=label, max_length=CODE_MAX, help_text=help_text, widget=forms.TextInput(attrs=attrs)
    )
    # No "0 / 32" counter under a code box (field.html adds one wherever maxlength is set).
    field.widget.attrs.pop("maxlength")
    return field


def _password_field():
    return forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecondFactorForm(forms.Form):
    """The log-in's second step."""

    code = _code_field(
        "Code",
        "The 6-digit code from your authenticator app, or one of your recovery codes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["autofocus"] = True


class SetupConfirmForm(forms.Form):
    code = _code_field("Code from the app", "The 6 digits your app shows now.", numeric=True)


class DisableForm(forms.Form):
    password = _password_field()
    code = _code_field("Code", "From your authenticator app, or a recovery code.")


class RecoveryCodesForm(forms.Form):
    password = _password_field()
