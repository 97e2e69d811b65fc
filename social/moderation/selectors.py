"""Reads of moderation: the report queue, a report's context, an author's history.

The queue's annotations are correlated subqueries on indexed foreign keys, so a page of the
queue is one query however many rows it shows.
"""

from django.db.models import Case, Count, F, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower

from accounts.models import User
from posts.models import Comment, Post, PostImage
from social.moderation.models import Appeal, ModerationAction, Report

Action = ModerationAction.Action
OPEN = Report.Status.OPEN
# Actions that count against an author in the queue ("2 earlier removals").
STRIKES = (Action.REMOVE_POST, Action.REMOVE_COMMENT, Action.SUSPEND_USER)
HISTORY_SHOWN = 10
SAME_TARGET_SHOWN = 20


def _open_reports_on(field):
    """Subquery: open reports on the outer report's target through `field` (0 when unset)."""
    same = Report.objects.filter(status=OPEN, **{field: OuterRef(field)}).values(field)
    return Coalesce(Subquery(same.annotate(n=Count("pk")).values("n")[:1]), Value(0))


def report_queue(qs=None):
    """Reports with what the queue shows: reporter, target and its author joined, plus
    `author_id_any` (whose content it is), `open_on_target` (open reports on the same target),
    `author_strikes` (earlier removals and suspensions of that author) and `cover`
    (the reported post's first image file name)."""
    qs = Report.objects.all() if qs is None else qs
    first_image = PostImage.objects.filter(post=OuterRef("post_id")).order_by("position")
    strikes = (
        ModerationAction.objects.filter(user=OuterRef("author_id_any"), action__in=STRIKES)
        .order_by()
        .values("user")
    )
    return qs.select_related(
        "reporter", "post__author", "comment__author", "comment__post", "user", "handled_by"
    ).annotate(
        author_id_any=Coalesce(F("post__author_id"), F("comment__author_id"), F("user_id")),
        open_on_target=_open_reports_on("post")
        + _open_reports_on("comment")
        + _open_reports_on("user"),
        author_strikes=Coalesce(
            Subquery(strikes.annotate(n=Count("pk")).values("n")[:1]), Value(0)
        ),
        cover=Subquery(first_image.values("thumbnail")[:1]),
        cover_original=Subquery(first_image.values("image")[:1]),
        queue_rank=Case(When(status=OPEN, then=Value(0)), default=Value(1)),
    )


def report_context(*, report):
    """What a moderator needs beside one report: the target's images and comment thread
    context, the other open reports on it, and its author's moderation history."""
    same_target = Report.objects.filter(status=OPEN).exclude(pk=report.pk)
    if report.post_id:
        same_target = same_target.filter(post_id=report.post_id)
        author = report.post.author
    elif report.comment_id:
        same_target = same_target.filter(comment_id=report.comment_id)
        author = report.comment.author
    else:
        same_target = same_target.filter(user_id=report.user_id)
        author = report.user
    images = []
    if report.post_id:
        images = list(PostImage.objects.filter(post_id=report.post_id).order_by("position"))
    elif report.comment_id:
        images = list(
            PostImage.objects.filter(post_id=report.comment.post_id).order_by("position")[:1]
        )
    return {
        "author": author,
        "images": images,
        "same_target": list(
            same_target.select_related("reporter").order_by("created_at")[:SAME_TARGET_SHOWN]
        ),
        "same_target_count": same_target.count(),
        "history": author_history(user=author),
        "reports_against": author_report_counts(user=author),
    }


def author_history(*, user, limit=HISTORY_SHOWN):
    """The latest moderation actions about `user`'s account and content, newest first."""
    return list(
        ModerationAction.objects.filter(user=user)
        .select_related("moderator")
        .order_by("-created_at", "-pk")[:limit]
    )


def author_report_counts(*, user):
    """How many reports were made about `user`'s account, posts and comments, by status."""
    about = Report.objects.filter(Q(user=user) | Q(post__author=user) | Q(comment__author=user))
    counts = dict(about.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Report.Status.values}


def queue_summary():
    """{"open": open reports, "oldest": when the oldest open one came in (or None)}."""
    return Report.objects.filter(status=OPEN).aggregate(open=Count("pk"), oldest=Min("created_at"))


def appeals_open_count():
    """How many appeals wait for a moderator."""
    return Appeal.objects.filter(status=Appeal.Status.OPEN).count()


def next_open_report(*, after):
    """The open report to work after `after`: the oldest other one (the queue's order)."""
    return (
        Report.objects.filter(status=OPEN)
        .exclude(pk=after.pk)
        .order_by("created_at", "pk")
        .only("pk")
        .first()
    )


def actions_by(*, moderator, limit=HISTORY_SHOWN):
    """`moderator`'s latest actions, newest first."""
    return list(
        ModerationAction.objects.filter(moderator=moderator).order_by("-created_at", "-pk")[:limit]
    )


def report_target_get(*, viewer, kind, key):
    """The post (by id), comment (by id) or account (by username) `viewer` wants to report.

    <Model>.DoesNotExist when the viewer can't see it: nobody reports what they were not shown.
    A comment counts as seen only when its post is visible too.
    """
    if kind == "post":
        return Post.objects.visible_to(viewer).get(pk=key)
    if kind == "comment":
        return (
            Comment.objects.visible_to(viewer)
            .filter(post__in=Post.objects.visible_to(viewer).values("pk"))
            .get(pk=key)
        )
    if kind == "user":
        return (
            User.objects.visible_to(viewer)
            .alias(username_lower=Lower("username"))
            .get(username_lower=key.lower())
        )
    raise ValueError(f"Nothing called {kind!r} can be reported.")
