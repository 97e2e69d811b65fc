"""Conversations under a post: a comment's thread of replies, replying, liking a comment.

Pages work without scripts: "Reply" opens a page with the comment and a form; "View N more
replies" opens the thread's page from where the post's page left off. app.js follows the same
links and forms in place (Accept: application/json for the writes).
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_safe

from core.http import (
    action,
    cursor_of,
    done,
    form_errors_from,
    member_required,
    rate_limited,
    service_errors,
    wants_json,
)
from posts import selectors
from posts.forms import CommentForm
from posts.models import Comment
from posts.services import comment_add, comment_like_add, comment_like_remove
from posts.views.posts import post_url


def _comment_url(comment):
    return f"{post_url(comment.post_id)}#comment-{comment.pk}"


@require_safe
@service_errors
def comment_replies(request, comment_id):
    """A comment's thread: the comment, its replies (paged, oldest first), a reply form."""
    comment = selectors.comment_get(viewer=request.user, comment_id=comment_id)
    top = comment
    if comment.parent_id is not None:
        top = selectors.comment_get(viewer=request.user, comment_id=comment.parent_id)
    page = selectors.comment_replies(viewer=request.user, comment=top, cursor=cursor_of(request))
    context = {
        "comment": top,
        "post": top.post,
        "replies": page.items,
        "next_cursor": page.next_cursor,
        "reply_to": comment,
        "form": None,
    }
    return render(request, "posts/comment_thread.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@member_required
@service_errors
def comment_reply(request, comment_id):
    """GET: the comment with a form to reply; POST: the reply (a refused one comes back here,
    400, the text kept). A reply to a reply joins the top-level comment's thread."""
    comment = selectors.comment_get(viewer=request.user, comment_id=comment_id)
    if request.method == "POST":
        return _reply_post(request, comment)
    return _reply_page(request, comment, form=CommentForm())


def _reply_page(request, comment, *, form, status=200):
    context = {"reply_to": comment, "post": comment.post, "form": form}
    return render(request, "posts/comment_reply.html", context, status=status)


@rate_limited("comment")
def _reply_post(request, comment):
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        reply = comment_add(
            author=request.user,
            post=comment.post,
            text=form.cleaned_data.get("text", ""),
            reply_to=comment,
        )
    except ValidationError as error:
        if wants_json(request):
            return JsonResponse(_errors(error), status=400)
        form_errors_from(form, error)
        return _reply_page(request, comment, form=form, status=400)
    if wants_json(request):
        html = render_to_string(
            "includes/comment.html", {"comment": reply, "post": comment.post}, request=request
        )
        counts = selectors.post_counts(post_id=reply.post_id)
        return JsonResponse(
            {"html": html, "parent_id": reply.parent_id, "comment_count": counts["comment_count"]}
        )
    return done(request, data={}, message="Reply posted.", default_next=_comment_url(reply))


def _errors(error):
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error}
    return {"text": list(error.messages)}


def _like_state(request, comment_id, *, liked):
    counts = selectors.comment_counts(comment_id=comment_id)
    comment = Comment(pk=comment_id, post_id=counts["post_id"])
    data = {"liked": liked, "like_count": counts["like_count"]}
    return done(request, data=data, default_next=_comment_url(comment))


@action
def comment_like(request, comment_id):
    comment_like_add(user=request.user, comment=Comment.objects.get(pk=comment_id))
    return _like_state(request, comment_id, liked=True)


@action
def comment_unlike(request, comment_id):
    comment_like_remove(user=request.user, comment=Comment.objects.get(pk=comment_id))
    return _like_state(request, comment_id, liked=False)
