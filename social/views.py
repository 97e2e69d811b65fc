"""The social pages and actions: follow, block, mute, follow requests, notifications, reports.

Actions are POSTs (see core.http.action): JSON for app.js, else a message and a redirect
to the page the form was on. Who may follow, block or report whom is decided in
the social services and selectors; these views only translate.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.selectors import profile_get
from accounts.views.profiles import follow_state
from core.http import (
    action,
    cursor_of,
    done,
    form_errors_from,
    rate_limited,
    safe_next,
    service_errors,
)
from social.forms import AppealForm, NotificationSettingsForm, ReportForm
from social.graph.selectors import (
    block_target_get,
    blocks_made,
    follow_requests_pending,
    mutes_made,
)
from social.graph.services import (
    block_create,
    block_remove,
    follow_create,
    follow_remove,
    follow_request_accept,
    follow_request_decline,
    mute_create,
    mute_remove,
)
from social.moderation import appeals
from social.moderation.reports import report_create
from social.moderation.selectors import report_target_get
from social.notifications.selectors import notification_settings_get, notifications_grouped
from social.notifications.services import (
    notification_mark_all_read,
    notification_settings_update,
)


def _profile_url(person):
    return reverse("accounts:profile", args=[person.username])


# --- Follow ------------------------------------------------------------------------------------


@action
@rate_limited("follow")
def follow(request, username):
    """Follow a public account, or ask to follow a private one."""
    person = profile_get(viewer=request.user, username=username)
    follow_create(follower=request.user, following=person)
    return _follow_done(request, person, was="")


# The API counts unfollows in the follow rate too (one scope for both methods of its view).
@action
@rate_limited("follow")
def unfollow(request, username):
    """Unfollow, or withdraw a request that wasn't answered yet.

    Unfollowing a private account loses its posts (seeing them again takes a new request they
    must accept), so that one asks first: without `confirmed` in the form, the answer is the
    "Unfollow them?" page, whose button posts again with it. app.js asks in a dialog instead.
    """
    person = profile_get(viewer=request.user, username=username)
    was = follow_state(person)
    if person.is_private and was == "accepted" and not request.POST.get("confirmed"):
        context = {"profile": person, "next": safe_next(request, _profile_url(person))}
        return render(request, "social/unfollow_confirm.html", context)
    follow_remove(follower=request.user, following=person)
    return _follow_done(request, person, was=was)


@require_http_methods(["GET", "POST"])
def remove_follower(request, username):
    """GET asks "Remove this follower?" on a page of its own; POST removes them."""
    if request.method == "POST":
        return _remove_follower(request, username)
    return _remove_follower_confirm(request, username)


@login_required
@service_errors
def _remove_follower_confirm(request, username):
    person = profile_get(viewer=request.user, username=username)
    context = {"profile": person, "next": safe_next(request, "")}
    return render(request, "social/remove_follower_confirm.html", context)


@action
@rate_limited("follow")
def _remove_follower(request, username):
    person = profile_get(viewer=request.user, username=username)
    removed = follow_remove(follower=person, following=request.user)
    message = (
        f"You removed {person.username} from your followers. They won't be told."
        if removed
        else f"{person.username} doesn't follow you"
    )
    return done(
        request,
        data={"removed": removed},
        message=message,
        default_next=reverse("accounts:followers", args=[request.user.username]),
    )


def _follow_done(request, person, *, was):
    # Read again: the follower count moved, and a private account's answer is "pending".
    person = profile_get(viewer=request.user, username=person.username)
    state = follow_state(person)
    name = person.username
    if state == "accepted":
        message = f"You're following {name}"
    elif state == "pending":
        message = f"Follow request sent to {name}"
    elif was == "pending":
        message = f"You withdrew your follow request to {name}"
    else:
        message = f"You unfollowed {name}"
    return done(
        request,
        data={"state": state, "follower_count": person.follower_count},
        message=message,
        default_next=_profile_url(person),
    )


# --- Block and mute --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def block(request, username):
    """GET asks "Block them?" on a page of its own; POST blocks."""
    if request.method == "POST":
        return _block(request, username)
    return _block_confirm(request, username)


@login_required
@service_errors
def _block_confirm(request, username):
    person = block_target_get(viewer=request.user, username=username)
    try:
        profile_get(viewer=request.user, username=username)
        blocking = False
    except ObjectDoesNotExist:
        # block_target_get found them and profile_get did not: I am the one blocking.
        blocking = True
    context = {"profile": person, "blocking": blocking, "next": safe_next(request, "")}
    return render(request, "social/block_confirm.html", context)


@action
def _block(request, username):
    person = block_target_get(viewer=request.user, username=username)
    block_create(blocker=request.user, blocked=person)
    return done(
        request,
        data={"is_blocking": True},
        message=f"You blocked {person.username}. They won't be told.",
        # Their profile is a 404 to me now (with the way to unblock), so home is the default.
        default_next=reverse("posts:home"),
    )


@action
def unblock(request, username):
    person = block_target_get(viewer=request.user, username=username)
    block_remove(blocker=request.user, blocked=person)
    return done(
        request,
        data={"is_blocking": False},
        message=f"You unblocked {person.username}",
        default_next=_profile_url(person),
    )


@action
def mute(request, username):
    person = profile_get(viewer=request.user, username=username)
    mute_create(muter=request.user, muted=person)
    return done(
        request,
        data={"is_muting": True},
        message=f"You muted {person.username}. Their posts leave your feed; they won't be told.",
        default_next=_profile_url(person),
    )


@action
def unmute(request, username):
    person = profile_get(viewer=request.user, username=username)
    mute_remove(muter=request.user, muted=person)
    return done(
        request,
        data={"is_muting": False},
        message=f"You unmuted {person.username}",
        default_next=_profile_url(person),
    )


@login_required
@require_GET
@service_errors
def blocked_list(request):
    """Accounts I blocked, most recent first, each with Unblock (a POST form)."""
    page = blocks_made(owner=request.user, cursor=cursor_of(request))
    people = [block.blocked for block in page.items]
    context = {"people": people, "next_cursor": page.next_cursor, "which": "blocked"}
    return render(request, "social/blocked_muted.html", context)


@login_required
@require_GET
@service_errors
def muted_list(request):
    """Accounts I muted, most recent first, each with Unmute (a POST form)."""
    page = mutes_made(owner=request.user, cursor=cursor_of(request))
    people = [mute.muted for mute in page.items]
    context = {"people": people, "next_cursor": page.next_cursor, "which": "muted"}
    return render(request, "social/blocked_muted.html", context)


# --- Follow requests ---------------------------------------------------------------------------


@login_required
@require_GET
@service_errors
def follow_requests(request):
    """Requests to follow my account, newest first, each with Confirm and Delete."""
    page = follow_requests_pending(owner=request.user, cursor=cursor_of(request))
    return render(
        request,
        "social/requests.html",
        {"requests": page.items, "next_cursor": page.next_cursor},
    )


@action
def request_accept(request, request_id):
    follow = follow_request_accept(owner=request.user, follow_id=request_id)
    return done(
        request,
        data={"state": "accepted"},
        message=f"{follow.follower.username} now follows you",
        default_next=reverse("social:requests"),
    )


@action
def request_decline(request, request_id):
    follow_request_decline(owner=request.user, follow_id=request_id)
    return done(
        request,
        data={"state": "declined"},
        message="Request deleted. They won't be told.",
        default_next=reverse("social:requests"),
    )


# --- Notifications -----------------------------------------------------------------------------


@login_required
@require_GET
@service_errors
def notifications(request):
    """My notifications, newest first, likes of one post (or comment) told together. Opening
    the page marks them all read, after the ones that were unread are drawn as new."""
    page = notifications_grouped(user=request.user, cursor=cursor_of(request))
    context = {
        "groups": page.items,
        "next_cursor": page.next_cursor,
        # They are read once this page is out: the badge on it already says so.
        "unread_notifications": 0,
    }
    response = render(request, "social/notifications.html", context)
    notification_mark_all_read(user=request.user)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@service_errors
def notification_settings(request):
    """Turn kinds of notification on or off (ticked is on); a kind turned off is not sent."""
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        form.is_valid()  # unticked boxes are simply off: a checkbox can't be invalid
        notification_settings_update(user=request.user, changes=form.cleaned_data)
        messages.success(request, "Notification settings saved.")
        return redirect("social:notification-settings")
    form = NotificationSettingsForm(initial=notification_settings_get(user=request.user))
    return render(request, "social/notification_settings.html", {"form": form})


# --- Reports -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def report_user(request, username):
    """Report an account: a reason and optional details, for the moderators' queue."""
    person = report_target_get(viewer=request.user, kind="user", key=username)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_create(reporter=request.user, user=person, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "Thanks, we'll look into it.")
            return redirect(safe_next(request, _profile_url(person)))
    status = 400 if form.is_bound else 200
    context = {"form": form, "profile": person}
    return render(request, "social/report_user.html", context, status=status)


# --- Moderation notices and appeals ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def appeal(request, action_id):
    """What moderators removed of mine (or my suspension), why, and asking them to look again.

    Only its author may open it: anyone else gets the 404 the removed content gets."""
    action = appeals.appealable_action_get(viewer=request.user, action_id=action_id)
    return _appeal_page(request, action, here=reverse("social:appeal", args=[action.pk]))


@require_http_methods(["GET", "POST"])
@service_errors
def appeal_by_link(request, token):
    """The same page through the signed link a suspended account is e-mailed (and shown at
    the refused log-in): it can't sign in, so the link stands for the session."""
    action = appeals.action_from_token(token)
    if action is None:
        return render(request, "social/appeal_link_invalid.html", status=404)
    return _appeal_page(request, action, here=request.path)


def _appeal_page(request, action, *, here):
    existing = appeals.appeal_of(action)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            appeals.appeal_create(
                appellant=action.user, action=action, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "Thanks. A moderator will look again and tell you.")
            return redirect(here)
    kind, target = appeals.removed_target(action)
    context = {
        "action": action,
        "kind": kind,
        "target": target,
        "appeal": existing,
        "in_effect": appeals.in_effect(action),
        "form": form,
        "here": here,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "social/appeal.html", context, status=status)
