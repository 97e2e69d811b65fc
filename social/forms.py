"""The forms of the social pages; report rules (reason, length, not yourself) live in
the social services and come back as field errors."""

from django import forms

from social.moderation.appeals import APPEAL_TEXT_MAX
from social.moderation.models import Report
from social.moderation.reports import REPORT_TEXT_MAX
from social.notifications.models import NotificationOptOut


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you reporting this account?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Anything else we should know?",
        required=False,
        # The length is the service's rule; the attribute feeds the browser and the counter.
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REPORT_TEXT_MAX}),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label="Why should we look again?",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": APPEAL_TEXT_MAX}),
        error_messages={"required": "Say why we should look again."},
    )


class NotificationSettingsForm(forms.Form):
    """One checkbox per kind of notification (NotificationOptOut.Setting): ticked is on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for setting in NotificationOptOut.Setting:
            self.fields[setting.value] = forms.BooleanField(label=setting.label, required=False)
