"""Every moderator action: remove and restore posts and comments, suspend and restore accounts,
dismiss reports.

Each action is one transaction that
- locks its target, changes it (hiding, never deleting: every action has its undo), keeps the
  counters exact (post_count counts posts not removed, comment_count comments not removed),
- writes one ModerationAction row (who, what, target, reason, when),
- closes every open report on the target and tells each reporter (a notification).
An action whose target is already in that state raises ValidationError and changes nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from accounts.cache import profile_cache_forget
from accounts.models import User
from accounts.services import user_sessions_end
from core.outbox import outbox_enqueue
from core.transactions import write_transaction
from posts.models import Comment, Post
from posts.services.common import counter_move
from social.graph.triggers import timeline_author_changed, timeline_post_changed
from social.moderation.banned_images import images_ban, images_unban
from social.moderation.models import ModerationAction, Report
from social.moderation.moderators import MODERATE_PERMISSION
from social.notifications.models import Notification

Action = ModerationAction.Action
REASON_MAX = ModerationAction._meta.get_field("reason").max_length
VIEWS_TASK = "social.moderation.tasks.banned_image_views_make"


# --- Shared steps -----------------------------------------------------------------------------


def _reason_clean(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Give a reason: it goes to the audit log."]})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": [f"Keep the reason to {REASON_MAX} characters (this has {len(reason)})."]}
        )
    return reason


def _moderator_check(moderator):
    if not moderator.is_active or moderator.is_suspended:
        raise PermissionDenied("This account can't moderate.")
    if not moderator.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied("Only moderators can do this.")


def _log(*, moderator, action, target_repr, reason, report=None, **target):
    return ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        target_repr=target_repr[:200],
        reason=reason,
        report=report,
        **target,
    )


def _reports_close(*, moderator, reports, status):
    """Close the open reports among `reports` and tell each reporter; returns how many."""
    rows = list(
        reports.filter(status=Report.Status.OPEN)
        .select_for_update(of=("self",))
        .values_list("pk", "reporter_id")
    )
    if not rows:
        return 0
    Report.objects.filter(pk__in=[pk for pk, _ in rows], status=Report.Status.OPEN).update(
        status=status, handled_by=moderator, handled_at=timezone.now()
    )
    kind = (
        Notification.Kind.REPORT_RESOLVED
        if status == Report.Status.RESOLVED
        else Notification.Kind.REPORT_DISMISSED
    )
    # The reporter is the actor too: the notification is about their own report, and names no
    # moderator. It is written here, with the action, so it can't be lost.
    Notification.objects.bulk_create(
        Notification(recipient_id=reporter_id, actor_id=reporter_id, kind=kind)
        for reporter_id in {reporter_id for _, reporter_id in rows}
    )
    return len(rows)


def _post_repr(post):
    return f"Post {post.pk} by @{post.author.username}: {post.caption[:120]}"


def _comment_repr(comment):
    return f"Comment {comment.pk} by @{comment.author.username}: {comment.text[:120]}"


def _user_repr(user):
    return f"@{user.username}"


def _locked(model, obj, what):
    locked = model.objects.select_for_update().filter(pk=obj.pk).first()
    if locked is None:
        raise model.DoesNotExist(f"That {what} no longer exists.")
    return locked


def _removed_set(obj, *, moderator, reason, remove):
    """Hide (`remove`) or show again a locked post or comment; ValidationError if it already is."""
    label = f"{type(obj).__name__} {obj.pk}"
    if remove and obj.removed_at is not None:
        raise ValidationError(f"{label} is already removed.")
    if not remove and obj.removed_at is None:
        raise ValidationError(f"{label} is not removed.")
    fields = {"removed_at": None, "removed_by": None, "removal_reason": ""}
    if remove:
        fields = {"removed_at": timezone.now(), "removed_by": moderator, "removal_reason": reason}
    type(obj).objects.filter(pk=obj.pk).update(**fields)


def _record(*, moderator, action, reason, report, target, status, reports=None):
    """Write the audit row for `target` (as _post_target & co. give it), close its open reports."""
    fields, target_repr, same_target = target
    row = _log(
        moderator=moderator,
        action=action,
        target_repr=target_repr,
        reason=reason,
        report=report,
        **fields,
    )
    _reports_close(
        moderator=moderator,
        reports=same_target if reports is None else reports,
        status=status,
    )
    return row


def _post_target(post):
    return (
        {"post": post, "user_id": post.author_id},
        _post_repr(post),
        Report.objects.filter(post=post),
    )


def _comment_target(comment):
    return (
        {"comment": comment, "user_id": comment.author_id},
        _comment_repr(comment),
        Report.objects.filter(comment=comment),
    )


def _user_target(user):
    return {"user": user}, _user_repr(user), Report.objects.filter(user=user)


# --- Posts ------------------------------------------------------------------------------------


def _post_hide_or_show(*, moderator, post, reason, remove):
    post = _locked(Post, post, "post")
    _removed_set(post, moderator=moderator, reason=reason, remove=remove)
    counter_move(User, post.author_id, "post_count", -1 if remove else +1)
    profile_cache_forget(post.author_id)
    timeline_post_changed(post_id=post.pk, author_id=post.author_id)
    return post


def post_remove(*, moderator, post, reason, report=None):
    """Hide a post everywhere and ban its images; its open reports are resolved.

    Raises ValidationError when it is already removed. Returns the audit row.
    """
    reason = _reason_clean(reason)
    _moderator_check(moderator)
    with write_transaction():
        post = _post_hide_or_show(moderator=moderator, post=post, reason=reason, remove=True)
        images_ban(post=post, moderator=moderator)
        action = _record(
            moderator=moderator,
            action=Action.REMOVE_POST,
            reason=reason,
            report=report,
            target=_post_target(post),
            status=Report.Status.RESOLVED,
        )
        outbox_enqueue(VIEWS_TASK, post.pk)
    return action


def post_restore(*, moderator, post, reason, report=None):
    """Show a removed post again and lift the ban on its images.

    Raises ValidationError when it is not removed. Returns the audit row.
    """
    reason = _reason_clean(reason)
    _moderator_check(moderator)
    with write_transaction():
        post = _post_hide_or_show(moderator=moderator, post=post, reason=reason, remove=False)
        images_unban(post=post)
        return _record(
            moderator=moderator,
            action=Action.RESTORE_POST,
            reason=reason,
            report=report,
            target=_post_target(post),
            status=Report.Status.DISMISSED,
        )


# --- Comments ---------------------------------------------------------------------------------


def _comment_moderate(*, moderator, comment, reason, report, remove):
    reason = _reason_clean(reason)
    _moderator_check(moderator)
    with write_transaction():
        comment = _locked(Comment, comment, "comment")
        _removed_set(comment, moderator=moderator, reason=reason, remove=remove)
        counter_move(Post, comment.post_id, "comment_count", -1 if remove else +1)
        return _record(
            moderator=moderator,
            action=Action.REMOVE_COMMENT if remove else Action.RESTORE_COMMENT,
            reason=reason,
            report=report,
            target=_comment_target(comment),
            status=Report.Status.RESOLVED if remove else Report.Status.DISMISSED,
        )


def comment_remove(*, moderator, comment, reason, report=None):
    """Hide a comment everywhere; its open reports are resolved. Returns the audit row."""
    return _comment_moderate(
        moderator=moderator, comment=comment, reason=reason, report=report, remove=True
    )


def comment_restore(*, moderator, comment, reason, report=None):
    """Show a removed comment again. Returns the audit row."""
    return _comment_moderate(
        moderator=moderator, comment=comment, reason=reason, report=report, remove=False
    )


# --- Accounts ---------------------------------------------------------------------------------


def _suspend_check(*, moderator, user):
    if user.pk == moderator.pk:
        raise ValidationError("You can't suspend your own account.")
    if user.is_superuser or (user.is_staff and not moderator.is_superuser):
        raise PermissionDenied(f"@{user.username} is staff; only a superuser can suspend staff.")


def _suspended_set(user, *, suspend):
    """Suspend or lift the suspension of a locked account; ValidationError if it already is."""
    if suspend and user.suspended_at is not None:
        raise ValidationError(f"@{user.username} is already suspended.")
    if not suspend and user.suspended_at is None:
        raise ValidationError(f"@{user.username} is not suspended.")
    User.objects.filter(pk=user.pk).update(suspended_at=timezone.now() if suspend else None)
    profile_cache_forget(user.pk)
    timeline_author_changed(author_id=user.pk)


def user_suspend(*, moderator, user, reason, report=None):
    """Suspend an account: its sessions end at once, it can't log in or use its tokens (they
    stay, refused, until the suspension is lifted), and all it posted is hidden.

    Open reports on the account, its posts and its comments are resolved. Counters are kept
    (they count rows, which stay). Returns the audit row.
    """
    reason = _reason_clean(reason)
    _moderator_check(moderator)
    with write_transaction():
        user = _locked(User, user, "account")
        _suspend_check(moderator=moderator, user=user)
        _suspended_set(user, suspend=True)
        # Ended, not only refused: lifting the suspension must not bring them back to life.
        user_sessions_end(user=user, tokens=False)
        return _record(
            moderator=moderator,
            action=Action.SUSPEND_USER,
            reason=reason,
            report=report,
            target=_user_target(user),
            status=Report.Status.RESOLVED,
            reports=Report.objects.filter(
                Q(user=user) | Q(post__author=user) | Q(comment__author=user)
            ),
        )


def user_unsuspend(*, moderator, user, reason, report=None):
    """Lift a suspension: the account logs in again and what it posted shows again."""
    reason = _reason_clean(reason)
    _moderator_check(moderator)
    with write_transaction():
        user = _locked(User, user, "account")
        _suspended_set(user, suspend=False)
        return _record(
            moderator=moderator,
            action=Action.UNSUSPEND_USER,
            reason=reason,
            report=report,
            target=_user_target(user),
            status=Report.Status.DISMISSED,
        )


# --- Reports ----------------------------------------------------------------------------------


def _target_of(report):
    """(audit-row target fields, repr, reports on the same target) of `report`."""
    if report.post_id:
        return _post_target(report.post)
    if report.comment_id:
        return _comment_target(report.comment)
    return _user_target(report.user)


def report_dismiss(*, moderator, report, reason):
    """Dismiss a report, and every other open report on the same target: nothing is wrong.

    The reporters are told. Raises ValidationError when the report is already handled.
    """
    reason = _reason_clean(reason)
    _moderator_check(moderator)
    with write_transaction():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("post__author", "comment__author", "user")
            .get(pk=report.pk)
        )
        if report.status != Report.Status.OPEN:
            raise ValidationError(f"Report #{report.pk} is already {report.get_status_display()}.")
        target, target_repr, same_target = _target_of(report)
        action = _log(
            moderator=moderator,
            action=Action.DISMISS_REPORT,
            target_repr=f"Report #{report.pk} on {target_repr}",
            reason=reason,
            report=report,
            **target,
        )
        _reports_close(moderator=moderator, reports=same_target, status=Report.Status.DISMISSED)
    return action
