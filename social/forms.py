"""The forms of the social pages; report rules (reason, length, not yourself) live in
social.services and come back as field errors."""

from django import forms

from social.models import Report
from social.services import REPORT_TEXT_MAX


class ReportForm(forms.Form):
    """A report of an account, a post or a comment: a reason and optional details."""

    reason = forms.ChoiceField(
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason."},
    )
    text = forms.CharField(
        label="Anything else we should know?",
        required=False,
        # The length is the service's rule; the attribute feeds the browser and the counter.
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "maxlength": REPORT_TEXT_MAX,
                "placeholder": "Optional details for the moderators",
            }
        ),
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = f"Why are you reporting this {kind}?"
