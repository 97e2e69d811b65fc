"""Someone's profile with its grid, and their followers and following lists.

What a viewer may see is the selectors' business: an account hidden by a block or a suspension
is a 404; a private account's grid and lists come back empty to those who may not see them, and
the page shows a lock instead.
"""

from contextlib import suppress

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.selectors import profile_get, user_followers, user_following
from core.http import cursor_of, service_errors
from posts.selectors import profile_posts
from posts.suggestions import suggested_accounts
from social.graph.selectors import block_target_get

PROFILE_SUGGESTIONS = 3


def follow_state(person):
    """The viewer's follow of `person` as follow_button.html names it."""
    if person.is_following:
        return "accepted"
    return "pending" if person.follow_requested else ""


def _header(request, profile):
    return {
        "profile": profile,
        "state": follow_state(profile),
        "can_see": profile.can_see_content,
        "is_muted": profile.is_muting,
    }


@require_GET
@service_errors
def profile(request, username):
    """The header for everyone who may open the account; the grid for those who may see it."""
    try:
        person = profile_get(viewer=request.user, username=username)
    except ObjectDoesNotExist:
        return _hidden_profile(request, username)
    posts = profile_posts(
        viewer=request.user, user=person, cursor=cursor_of(request), page_size=_grid_page_size()
    )
    context = {**_header(request, person), "posts": posts, "next_cursor": posts.next_cursor}
    if request.user.pk == person.pk and cursor_of(request) is None:
        # My own profile: a short "Suggested for you" strip under the header, as Instagram's
        # "Discover people" (two queries, one once its ranking is cached).
        context["suggestions"] = suggested_accounts(viewer=request.user, limit=PROFILE_SUGGESTIONS)
    return render(request, "accounts/profile.html", context)


def _grid_page_size():
    # Whole rows of three, so a page without scripts doesn't end on a ragged row.
    size = settings.SHUTTER["PAGE_SIZE"]
    return size + (-size) % 3


def _hidden_profile(request, username):
    """A 404 for everyone; the person who blocked the account also gets the way to unblock."""
    if request.user.is_authenticated:
        with suppress(ObjectDoesNotExist):
            # Found here (but not by profile_get) only when the viewer is the one blocking.
            blocked = block_target_get(viewer=request.user, username=username)
            return render(
                request, "accounts/profile_blocked.html", {"profile": blocked}, status=404
            )
    return render(request, "404.html", status=404)


FOLLOW_LISTS = {
    "followers": (user_followers, "Followers", "When people follow this account, they'll be here."),
    "following": (
        user_following,
        "Following",
        "When this account follows people, they'll be here.",
    ),
}


def _follow_list(request, username, list_name):
    selector, heading, empty_text = FOLLOW_LISTS[list_name]
    person = profile_get(viewer=request.user, username=username)
    people = selector(viewer=request.user, user=person, cursor=cursor_of(request))
    context = {
        **_header(request, person),
        "rows": [(row, follow_state(row)) for row in people],
        "next_cursor": people.next_cursor,
        "list_name": list_name,
        "heading": heading,
        "empty_text": empty_text,
    }
    return render(request, "accounts/follow_list.html", context)


@require_GET
@service_errors
def followers(request, username):
    """Who follows the account, each with my follow button; a lock when it's private to me."""
    return _follow_list(request, username, "followers")


@require_GET
@service_errors
def following(request, username):
    """Whom the account follows, each with my follow button; a lock when it's private to me."""
    return _follow_list(request, username, "following")
