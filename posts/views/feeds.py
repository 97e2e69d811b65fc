"""Lists of posts: home feed, explore, tag pages, search, my saved posts, and suggested people.

Each view calls one selector per list; the page's SQL query count is fixed by the selector
(a page of rows and one prefetch of their images), whatever the number of posts.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.selectors import user_search
from core.http import cursor_of, member_required, service_errors
from posts import selectors
from posts.suggestions import suggested_accounts

SEARCH_MAX_LENGTH = 100
# How many suggested accounts the empty feed shows, and their own page.
FEED_SUGGESTIONS, PAGE_SUGGESTIONS = 5, 30


def _list_context(page, **extra):
    return {"posts": page.items, "next_cursor": page.next_cursor, **extra}


@require_safe
@service_errors
def home(request):
    """`/`: my feed when I'm logged in; for a visitor, explore with an invitation to join."""
    if not request.user.is_authenticated:
        return _explore(request, visitor_home=True)
    cursor = cursor_of(request)
    page = selectors.home_feed(viewer=request.user, cursor=cursor)
    suggestions = []
    if not page.items and cursor is None:
        # An empty feed is where a new member starts: people to follow, not only Explore.
        suggestions = suggested_accounts(viewer=request.user, limit=FEED_SUGGESTIONS)
    return render(request, "posts/home.html", _list_context(page, suggestions=suggestions))


def _explore(request, *, visitor_home=False):
    page = selectors.explore(viewer=request.user, cursor=cursor_of(request))
    context = _list_context(page, visitor_home=visitor_home)
    return render(request, "posts/explore.html", context)


@require_safe
@service_errors
def explore(request):
    return _explore(request)


@require_safe
@service_errors
def tag(request, name):
    """Posts with #name, newest first; 404 for a hashtag none of whose posts I may see, the
    same page as for one no post ever had."""
    page = selectors.tag_posts(viewer=request.user, name=name, cursor=cursor_of(request))
    return render(request, "posts/tag.html", _list_context(page, tag=name.lstrip("#").lower()))


@require_safe
def search(request):
    """Accounts and hashtags starting with ?q=; a prompt while there is no query."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    people, hashtags = [], []
    if query:
        people = user_search(viewer=request.user, prefix=query)
        hashtags = selectors.hashtag_search(viewer=request.user, prefix=query)
    context = {"query": query, "people": people, "hashtags": hashtags}
    return render(request, "posts/search.html", context)


@require_safe
@member_required
def people_suggested(request):
    """`/people/suggested/`: accounts I may want to follow, each with its Follow button."""
    people = suggested_accounts(viewer=request.user, limit=PAGE_SUGGESTIONS)
    return render(request, "posts/suggested.html", {"suggestions": people})


@require_safe
@member_required
@service_errors
def saved(request):
    """The posts I saved that I may still see, latest save first."""
    page = selectors.saved_posts(viewer=request.user, cursor=cursor_of(request))
    return render(request, "posts/saved.html", _list_context(page))
