"""What the moderation actions of the admin share: the page that asks for a reason before an
action runs, and running it over many targets, each in its own transaction.

An action (single, bulk, from the changelist or from a change page) builds one Step per target
and hands them to `reason_step`. The first POST shows the reason page; the page posts the same
selection back with the reason and "apply", and the steps run: what can't be done (already
removed, staff, gone) is reported and skipped, the rest goes ahead.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.template.defaultfilters import truncatechars
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from social.moderation.models import ModerationAction, Report
from social.moderation.moderators import MODERATE_PERMISSION

REASON_MAX = ModerationAction._meta.get_field("reason").max_length
# POST fields that say which action ran on what; carried through the reason page unchanged.
CARRIED_FIELDS = ("action", "CHANGE_FORM-action", "select_across", helpers.ACTION_CHECKBOX_NAME)
LISTED_IN_MESSAGE = 5


class ReasonForm(forms.Form):
    """The reason starts empty and is required: the moderator writes why, every time (a
    pre-filled box made "Spam" the recorded reason of a single click)."""

    reason = forms.CharField(
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70, "autofocus": True}),
        help_text="Kept in the audit log with your name. Reporters are told the outcome, not "
        "the reason.",
        error_messages={"required": "Give a reason: it goes to the audit log."},
    )


class CategoryReasonForm(ReasonForm):
    """A removal or suspension also says which rule was broken: the author is told that."""

    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose the rule it broke"), *Report.Reason.choices],
        help_text="The author is told this category (not your reason) and may appeal.",
        error_messages={"required": "Choose the category the author is told."},
    )


@dataclass
class Step:
    """One target of an action: how the reason page shows it, and what doing it means."""

    label: str
    run: Any  # run(reason, **extra) -> the audit row; raises what the moderation services raise
    detail: str = ""
    thumbnail: str = ""
    notes: list = field(default_factory=list)


def image_url(name):
    return default_storage.url(name) if name else ""


def thumbnail_html(name, size=48):
    if not name:
        return "—"
    return format_html(
        '<img class="admin-thumb" src="{}" alt="" width="{}" height="{}">',
        image_url(name),
        size,
        size,
    )


def post_step(post, run, *, notes=()):
    """The reason page's line for a post (its images should be prefetched)."""
    first = next(iter(post.images.all()), None)
    thumbnail = image_url((first.thumbnail or first.image).name) if first else ""
    return Step(
        label=f"Post {post.pk} by @{post.author.username}",
        detail=post.caption,
        thumbnail=thumbnail,
        run=run,
        notes=list(notes),
    )


def comment_step(comment, run, *, notes=()):
    """The reason page's line for a comment."""
    return Step(
        label=f"Comment {comment.pk} by @{comment.author.username} on post {comment.post_id}",
        detail=comment.text,
        run=run,
        notes=list(notes),
    )


def user_step(user, run, *, notes=()):
    """The reason page's line for an account."""
    return Step(
        label=f"@{user.username}",
        detail=" · ".join(
            part
            for part in (
                user.display_name,
                f"{user.post_count} posts, {user.follower_count} followers",
                user.bio,
            )
            if part
        ),
        thumbnail=image_url(user.avatar.name) if user.avatar else "",
        run=run,
        notes=list(notes),
    )


def history_html(actions):
    """An object's moderation history, newest first, as a short list."""
    if not actions:
        return "None"
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{} — {} by @{}: {}</li>",
            (
                (
                    action.created_at.strftime("%Y-%m-%d %H:%M"),
                    action.get_action_display(),
                    action.moderator.username if action.moderator else "(deleted)",
                    truncatechars(action.reason, 120),
                )
                for action in actions
            ),
        ),
    )


class ModerationActionsMixin:
    """For ModelAdmins whose actions call the moderation services."""

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)

    def reason_step(self, request, *, title, steps, skipped=(), category=False):
        """Ask for a reason (and, with `category`, the category the author is told: removals
        and suspensions), then run every step with it; None means "done, go back". Both start
        empty: nothing runs on a reason the moderator didn't give."""
        form_class = CategoryReasonForm if category else ReasonForm
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                extra = {"category": form.cleaned_data["category"]} if category else {}
                self._steps_run(request, title, steps, skipped, form.cleaned_data["reason"], extra)
                return None
        else:
            form = form_class()
        if not steps:
            for note in skipped:
                self.message_user(request, note, messages.WARNING)
            self.message_user(request, f"{title}: nothing to do.", messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "steps": steps,
            "skipped": skipped,
            "carried": [
                (name, value) for name in CARRIED_FIELDS for value in request.POST.getlist(name)
            ],
        }
        return TemplateResponse(request, "admin/moderation/reason.html", context)

    def _steps_run(self, request, title, steps, skipped, reason, extra):
        done, failed = [], list(skipped)
        for step in steps:
            try:
                step.run(reason, **extra)
            except ValidationError as error:
                failed.append(" ".join(error.messages))
            except PermissionDenied as error:
                failed.append(str(error) or f"{step.label}: not allowed.")
            except ObjectDoesNotExist:
                failed.append(f"{step.label} no longer exists.")
            else:
                done.append(step.label)
        if done:
            listed = ", ".join(done[:LISTED_IN_MESSAGE])
            more = (
                f" and {len(done) - LISTED_IN_MESSAGE} more"
                if len(done) > LISTED_IN_MESSAGE
                else ""
            )
            self.message_user(request, f"{title}: done for {listed}{more}.", messages.SUCCESS)
        for note in failed:
            self.message_user(request, f"Not done: {note}", messages.WARNING)
