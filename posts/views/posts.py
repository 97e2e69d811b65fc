"""One post: sharing it, its page, editing and deleting it (the author), reporting it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from core.http import (
    cursor_of,
    form_errors_from,
    member_required,
    rate_limited,
    render_refused_form,
    safe_next,
    service_errors,
    wants_json,
)
from posts import selectors
from posts.forms import PostCreateForm, PostEditForm, ReportForm
from posts.hydration import post_card_of
from posts.models import Post
from posts.services import post_author_check, post_create, post_delete, post_update
from social.moderation.appeals import removed_post_notice
from social.moderation.reports import report_create
from social.moderation.selectors import report_target_get

GET_AND_POST = ["GET", "HEAD", "POST"]


def post_url(post_id):
    return reverse("posts:post-detail", args=[post_id])


def render_post_detail(request, post, *, comment_form=None, status=200):
    """The post's page: the post card with its comments (paged, oldest first)."""
    comments = selectors.post_comments(
        viewer=request.user, post=post, cursor=cursor_of(request), with_replies=True
    )
    context = {
        "post": post_card_of(post),
        "comments": comments.items,
        "comments_next": comments.next_cursor,
        "comment_form": comment_form,
    }
    return render(request, "posts/post_detail.html", context, status=status)


@require_safe
@service_errors
def post_detail(request, post_id):
    """The post's page. A post moderators removed is a 404 to everyone but its author, who
    is told why and how to appeal."""
    try:
        post = selectors.post_detail(viewer=request.user, post_id=post_id)
    except Post.DoesNotExist:
        removal = removed_post_notice(viewer=request.user, post_id=post_id)
        if removal is None:
            raise
        return render(request, "posts/post_removed.html", {"action": removal})
    return render_post_detail(request, post)


@require_http_methods(GET_AND_POST)
@member_required
@rate_limited("post_create")
@service_errors
def post_new(request):
    """Share 1 to 10 photos with alt texts and a caption; nothing is stored if one is refused."""
    form = PostCreateForm(request.POST or None, request.FILES or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        images = form.cleaned_data["images"]
        try:
            post = post_create(
                author=request.user,
                images=images,
                alt_texts=form.alt_texts(len(images)),
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
            refusal = error
        else:
            messages.success(request, "Post shared.")
            if wants_json(request):
                # app.js's Share (which shows the upload's progress) goes there itself, so
                # the message is shown on the post's page and not used up on the way.
                return JsonResponse({"url": post_url(post.pk)}, status=201)
            return redirect(post_url(post.pk))
    if form.errors:
        return render_refused_form(request, "posts/post_new.html", {"form": form}, refusal=refusal)
    return render(request, "posts/post_new.html", {"form": form})


@require_http_methods(GET_AND_POST)
@member_required
@service_errors
def post_edit(request, post_id):
    """The author edits the caption and alt texts; others get 403, or 404 if they can't see it."""
    post = selectors.post_detail(viewer=request.user, post_id=post_id)
    post_author_check(actor=request.user, post=post)
    form = PostEditForm(request.POST or None, post=post)
    if request.method == "POST" and form.is_valid():
        try:
            post_update(
                actor=request.user,
                post=post,
                caption=form.cleaned_data["caption"],
                alt_texts=form.alt_texts(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "Post updated.")
            return redirect(post_url(post.pk))
    status = 400 if form.errors else 200
    return render(request, "posts/post_edit.html", {"post": post, "form": form}, status=status)


@require_http_methods(GET_AND_POST)
@member_required
@service_errors
def post_delete_page(request, post_id):
    """Ask, then delete (author only). The row, not a visibility lookup, goes to the service:
    authors may delete their own post even after moderators removed it."""
    post = Post.objects.select_related("author").prefetch_related("images").get(pk=post_id)
    if request.method == "POST":
        post_delete(actor=request.user, post=post)
        messages.success(request, "Post deleted.")
        return redirect("accounts:profile", request.user.username)
    post_author_check(actor=request.user, post=post)
    return render(request, "posts/post_delete.html", {"post": post})


def _report(request, *, kind, target, back):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_create(
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
                **{kind: target},
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, f"Thanks for telling us. Moderators will review this {kind}.")
            return redirect(safe_next(request, back))
    context = {"form": form, "kind": kind, "target": target, "back": back}
    return render(request, "posts/report.html", context, status=400 if form.errors else 200)


@require_http_methods(GET_AND_POST)
@member_required
@service_errors
def post_report(request, post_id):
    post = report_target_get(viewer=request.user, kind="post", key=post_id)
    return _report(request, kind="post", target=post, back=post_url(post.pk))


@require_http_methods(GET_AND_POST)
@member_required
@service_errors
def comment_report(request, comment_id):
    comment = report_target_get(viewer=request.user, kind="comment", key=comment_id)
    back = f"{post_url(comment.post_id)}#comment-{comment.pk}"
    return _report(request, kind="comment", target=comment, back=back)
