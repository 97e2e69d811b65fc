"""Form actions on a post: like, save, comment, and their undoing.

Each is a POST with CSRF. app.js sends `Accept: application/json` and gets the new state;
without scripts the browser gets a redirect to the form's `next` (the page it was on).
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.template.loader import render_to_string

from core.http import action, done, form_errors_from, rate_limited, wants_json
from posts import selectors, services
from posts.forms import CommentForm
from posts.models import Comment
from posts.services import comment_add, like_add, like_remove, save_add, save_remove
from posts.views.posts import post_url, render_post_detail


def _like_state(request, post_id, *, liked):
    data = {"liked": liked, "like_count": selectors.post_counts(post_id=post_id)["like_count"]}
    return done(request, data=data, default_next=post_url(post_id))


@action
def like(request, post_id):
    like_add(user=request.user, post=selectors.post_target_get(post_id=post_id))
    return _like_state(request, post_id, liked=True)


@action
def unlike(request, post_id):
    like_remove(user=request.user, post=selectors.post_target_get(post_id=post_id))
    return _like_state(request, post_id, liked=False)


@action
def save(request, post_id):
    save_add(user=request.user, post=selectors.post_target_get(post_id=post_id))
    return done(request, data={"saved": True}, default_next=post_url(post_id))


@action
def unsave(request, post_id):
    save_remove(user=request.user, post=selectors.post_target_get(post_id=post_id))
    return done(request, data={"saved": False}, default_next=post_url(post_id))


@action
@rate_limited("comment")
def comment_create(request, post_id):
    """Add a comment. A refused one comes back on the post's page (400) with the text kept."""
    post = selectors.post_target_get(post_id=post_id)
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        comment = comment_add(
            author=request.user,
            post=post,
            text=form.cleaned_data["text"],
            reply_to=_reply_to(form),
        )
    except ValidationError as error:
        # The text is judged before the post's visibility: a hidden post stays a 404.
        shown = selectors.post_detail(viewer=request.user, post_id=post_id)
        if wants_json(request):
            raise  # action answers {"text": ["…"]} with 400
        form_errors_from(form, error)
        return render_post_detail(request, shown, comment_form=form, status=400)
    if wants_json(request):
        html = render_to_string(
            "includes/comment.html", {"comment": comment, "post": post}, request=request
        )
        return JsonResponse(
            {
                "html": html,
                "parent_id": comment.parent_id,
                "comment_count": selectors.post_counts(post_id=post_id)["comment_count"],
            }
        )
    return done(request, data={}, default_next=f"{post_url(post_id)}#comment-{comment.pk}")


def _reply_to(form):
    """The comment the form replies to (app.js's Reply sets `reply_to`), or None."""
    if "reply_to" in form.errors:
        raise ValidationError({"reply_to": ["Reply to a comment of this post."]})
    reply_to = form.cleaned_data.get("reply_to")
    if reply_to is None:
        return None
    return Comment.objects.select_related("author").get(pk=reply_to)


@action
def comment_delete(request, comment_id):
    """Delete a comment: its author or the post's author (403 for others who can see it)."""
    comment = Comment.objects.get(pk=comment_id)
    services.comment_delete(actor=request.user, comment=comment)
    if wants_json(request):
        count = selectors.post_counts(post_id=comment.post_id)["comment_count"]
        return JsonResponse({"deleted": True, "comment_count": count})
    return done(
        request, data={}, message="Comment deleted.", default_next=post_url(comment.post_id)
    )
