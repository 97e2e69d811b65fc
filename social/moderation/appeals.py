"""Moderation that tells people: the author's notice of a removal or suspension, the appeal
they may make, and the moderator's decision on it.

- A removal or suspension queues `moderation_notice_send` (outbox, after commit): the author
  gets a notification (kind POST_REMOVED, COMMENT_REMOVED or USER_SUSPENDED, pointing at the
  audit row, which holds the category). A suspended account can't sign in to read it, so it
  also gets an e-mail with a signed link to the appeal page, which works without a session;
  the refused log-in page offers the same link to whoever gave the right password.
- `appeal_create`: the author asks for a review, once per action, while it is in effect.
- `appeal_decide`: a moderator upholds it, or reverses it, which restores the post, comment
  or account through the moderation services; either way an audit row (UPHOLD_APPEAL or
  REVERSE_APPEAL) is written and the author is told (through the same outbox task).

What was removed is shown to its author only; nobody else learns it exists.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.outbox import outbox_enqueue
from core.transactions import write_transaction
from social.moderation import services
from social.moderation.models import Appeal, ModerationAction
from social.notifications.models import Notification

Action = ModerationAction.Action
Kind = Notification.Kind
APPEAL_TEXT_MAX = Appeal._meta.get_field("text").max_length
# What the author is told about each action they may appeal, and about each decision.
NOTICE_KIND = {
    Action.REMOVE_POST: Kind.POST_REMOVED,
    Action.REMOVE_COMMENT: Kind.COMMENT_REMOVED,
    Action.SUSPEND_USER: Kind.USER_SUSPENDED,
    Action.UPHOLD_APPEAL: Kind.APPEAL_UPHELD,
    Action.REVERSE_APPEAL: Kind.APPEAL_REVERSED,
}
APPEALABLE = (Action.REMOVE_POST, Action.REMOVE_COMMENT, Action.SUSPEND_USER)
TOKEN_SALT = "social.moderation.appeal"
TOKEN_MAX_AGE = 60 * 60 * 24 * 60  # an e-mailed appeal link works for 60 days


# --- Links that work without a session ------------------------------------------------------


def appeal_token(action):
    return signing.dumps(action.pk, salt=TOKEN_SALT)


def appeal_link_url(action):
    """The appeal page of `action` for someone who can't sign in: signed, no session needed."""
    return reverse("social:appeal-by-link", args=[appeal_token(action)])


def action_from_token(token):
    """The appealable action a signed link names, or None (forged, expired, gone)."""
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return _appealable().filter(pk=pk).first()


# --- Reads ------------------------------------------------------------------------------------


def _appealable():
    return ModerationAction.objects.filter(action__in=APPEALABLE).select_related(
        "post__author", "comment__post", "user", "appeal_made"
    )


def appealable_action_get(*, viewer, action_id):
    """The removal or suspension `action_id` of `viewer`'s own content or account.

    ModerationAction.DoesNotExist for anyone else: what was removed is its author's business.
    """
    if not viewer.is_authenticated:
        raise ModerationAction.DoesNotExist
    return _appealable().get(pk=action_id, user=viewer)


def in_effect(action):
    """Whether the removal or suspension still stands (nothing restored it since)."""
    if action.action == Action.REMOVE_POST:
        return action.post is not None and action.post.removed_at is not None
    if action.action == Action.REMOVE_COMMENT:
        return action.comment is not None and action.comment.removed_at is not None
    return action.user is not None and action.user.suspended_at is not None


def appeal_of(action):
    try:
        return action.appeal_made
    except Appeal.DoesNotExist:
        return None


def removed_post_notice(*, viewer, post_id):
    """For the author of removed post `post_id`: the removal's audit row (its category, the
    way to appeal). None for anyone else, or when the post is not removed: they get a 404."""
    if not viewer.is_authenticated:
        return None
    return (
        _appealable()
        .filter(
            action=Action.REMOVE_POST,
            post_id=post_id,
            post__author=viewer,
            post__removed_at__isnull=False,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def suspension_for_login(*, login, password):
    """The suspension of the account `login` (username or e-mail) and `password` open, or None.

    For the refused log-in page, which the right password earns the appeal link.
    """
    candidates = User.objects.filter(
        Q(username__iexact=login) | Q(email__iexact=login), suspended_at__isnull=False
    ).order_by("pk")
    for user in candidates:
        if user.check_password(password):
            return (
                _appealable()
                .filter(action=Action.SUSPEND_USER, user=user)
                .order_by("-created_at", "-pk")
                .first()
            )
    return None


# --- The author's notice ----------------------------------------------------------------------


def _mail_suspended(user, action, kind):
    if not user.email:
        return
    link = settings.SHUTTER_SITE_URL.rstrip("/") + appeal_link_url(action.appealed)
    category = action.appealed.get_category_display().lower()
    if kind == Kind.USER_SUSPENDED:
        subject = "Your Shutter account is suspended"
        body = (
            f"Hi {user.name},\n\n"
            f"Our moderators suspended your account @{user.username} for {category}. While it "
            "is suspended you can't sign in, and your posts and comments are hidden.\n\n"
            "If you think this is a mistake, ask for a review here (no sign-in needed):\n\n"
            f"{link}\n\nShutter\n"
        )
    elif kind == Kind.APPEAL_REVERSED:
        subject = "Your Shutter account is back"
        body = (
            f"Hi {user.name},\n\n"
            "Our moderators looked again at your appeal and lifted the suspension of "
            f"@{user.username}. You can sign in again.\n\nShutter\n"
        )
    else:
        subject = "Your appeal was reviewed"
        body = (
            f"Hi {user.name},\n\n"
            "Our moderators looked again at your appeal and kept the suspension of "
            f"@{user.username} ({category}).\n\nDetails: {link}\n\nShutter\n"
        )
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])


def moderation_notice_send(*, action_id):
    """Tell the author about audit row `action_id` (a removal, a suspension, a decision on their
    appeal): a notification, and an e-mail when their account is suspended. Idempotent: a
    notice already written is not written, nor mailed, again; a failed mail is retried."""
    action = (
        ModerationAction.objects.select_related("appeal__action__user", "user")
        .filter(pk=action_id)
        .first()
    )
    if action is None or action.action not in NOTICE_KIND:
        return False
    kind = NOTICE_KIND[action.action]
    appealed = action.appeal.action if action.appeal_id else action
    action.appealed = appealed
    author = appealed.user
    if author is None:
        return False
    with write_transaction():
        if Notification.objects.filter(kind=kind, moderation=appealed).exists():
            return False
        notice = Notification.objects.create(
            recipient=author, actor=author, kind=kind, moderation=appealed
        )
    if appealed.action == Action.SUSPEND_USER:
        try:
            _mail_suspended(author, action, kind)
        except BaseException:
            # Sent on the retry, which finds no notice and writes it again.
            Notification.objects.filter(pk=notice.pk).delete()
            raise
    return True


# --- Appeals ----------------------------------------------------------------------------------


def appeal_create(*, appellant, action, text):
    """`appellant` asks moderators to look again at `action` (theirs, still in effect, not
    appealed before). ValidationError otherwise, nothing stored. Returns the Appeal."""
    text = (text or "").strip()
    if action.user_id != appellant.pk or action.action not in APPEALABLE:
        raise ModerationAction.DoesNotExist
    errors = []
    if not text:
        errors.append("Say why we should look again.")
    elif len(text) > APPEAL_TEXT_MAX:
        errors.append(f"Keep it to {APPEAL_TEXT_MAX} characters (this has {len(text)}).")
    if errors:
        raise ValidationError({"text": errors})
    with write_transaction():
        action = ModerationAction.objects.select_for_update().get(pk=action.pk)
        action = _appealable().get(pk=action.pk)
        if appeal_of(action) is not None:
            raise ValidationError("You already asked for a review of this decision.")
        if removed_target(action)[1] is None:
            raise ValidationError("That no longer exists.")
        if not in_effect(action):
            raise ValidationError("This decision was already reversed.")
        return Appeal.objects.create(action=action, appellant=appellant, text=text)


def _restore(*, moderator, action, reason):
    if action.action == Action.REMOVE_POST:
        return services.post_restore(moderator=moderator, post=action.post, reason=reason)
    if action.action == Action.REMOVE_COMMENT:
        return services.comment_restore(moderator=moderator, comment=action.comment, reason=reason)
    return services.user_unsuspend(moderator=moderator, user=action.user, reason=reason)


def appeal_decide(*, moderator, appeal, reverse, reason):
    """Decide an open appeal: `reverse` restores what the action removed (through the
    moderation services, their own audit rows included), else the action stands. Writes the
    decision's audit row and tells the author. ValidationError when already decided."""
    reason = services._reason_clean(reason)
    services._moderator_check(moderator)
    with write_transaction():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.status != Appeal.Status.OPEN:
            raise ValidationError(f"Appeal #{appeal.pk} is already decided.")
        action = _appealable().get(pk=appeal.action_id)
        if reverse and in_effect(action):
            _restore(moderator=moderator, action=action, reason=reason)
        appeal.status = Appeal.Status.REVERSED if reverse else Appeal.Status.UPHELD
        appeal.decided_by = moderator
        appeal.decided_at = timezone.now()
        appeal.save(update_fields=["status", "decided_by", "decided_at"])
        row = ModerationAction.objects.create(
            moderator=moderator,
            action=Action.REVERSE_APPEAL if reverse else Action.UPHOLD_APPEAL,
            appeal=appeal,
            post_id=action.post_id,
            comment_id=action.comment_id,
            user_id=action.user_id,
            target_repr=f"Appeal #{appeal.pk} on {action.target_repr}"[:200],
            reason=reason,
        )
        outbox_enqueue(services.NOTICE_TASK, row.pk)
    return row


def removed_target(action):
    """What the author sees of what was removed: ("post", Post), ("comment", Comment) or
    ("account", User). Only ever shown to the author."""
    if action.action == Action.REMOVE_POST:
        return "post", action.post
    if action.action == Action.REMOVE_COMMENT:
        return "comment", action.comment
    return "account", action.user
