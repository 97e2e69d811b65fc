"""Reads of notifications: the list, the list grouped, the unread badge, the settings."""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from core.pagination import KeysetPage, paginate_keyset
from posts.models import Comment, PostImage, post_visible_q
from social.graph.models import Block, Follow
from social.notifications.models import (
    NOTIFICATION_SETTING_KINDS,
    Notification,
    NotificationOptOut,
)

NEWEST_FIRST = (("created_at", "desc"), ("id", "desc"))
GROUPS_NEWEST_FIRST = (("latest_at", "desc"), ("latest_id", "desc"))
Kind = Notification.Kind
# Kinds told together: likes of one post, likes of one comment. The others (a comment with
# its words, a follow with its Follow back) stay one to a row.
GROUPED_KINDS = (Kind.LIKE, Kind.COMMENT_LIKE)
# How many of a group's latest actors are named ("alice, bob and 12 others").
GROUP_ACTORS_NAMED = 2


def _notifications_for(user):
    """`user`'s notifications minus those from blocked-either-way or suspended actors and those
    about a post or comment `user` may not see now (removed, its author suspended, gone private
    or across a block). The rows stay, so what becomes visible again brings them back."""
    return Notification.objects.filter(
        Block.objects.unblocked_q(user, "actor"),
        # Through the notification's own join to its post: no subquery of every visible post.
        Q(post__isnull=True) | post_visible_q(user, prefix="post__"),
        Q(comment__isnull=True) | Q(comment__in=Comment.objects.visible_to(user).values("pk")),
        recipient=user,
        actor__is_active=True,
        actor__suspended_at__isnull=True,
    )


def _for_display(qs):
    return qs.select_related(
        "actor",
        "post",
        "comment",
        # Moderation notices: the reporter's report (whose, never its content) and the
        # author's own removed post or comment.
        "report__post__author",
        "report__comment__author",
        "report__user",
        "moderation__post",
        "moderation__comment",
    ).prefetch_related(
        Prefetch(
            "post__images",
            queryset=PostImage.objects.order_by("position")[:1],
            to_attr="cover_images",
        )
    )


def notification_get(*, user, notification_id):
    """One of `user`'s notifications as notifications_list shows it; DoesNotExist otherwise."""
    return _for_display(_notifications_for(user)).get(pk=notification_id)


def notification_position(*, user, notification_id):
    """(created_at, id) of `user`'s notification, for paging after it; None if there is none."""
    return (
        Notification.objects.filter(recipient=user, pk=notification_id)
        .values("created_at", "id")
        .first()
    )


def notifications_list(*, user, cursor=None, page_size=None, kinds=None):
    """`user`'s notifications, newest first, with actor, post, comment and the post's first
    image (as `post.cover_images`, a list of at most one) loaded. `kinds` keeps only those."""
    qs = _notifications_for(user)
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    qs = _for_display(qs)
    return paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size)


@dataclass
class NotificationGroup:
    """Notifications of one kind about one post (or comment) told as one: `notification` is
    the latest (actor, post, comment loaded, `actor_followed` annotated), `actors` the latest
    few distinct actors, newest first, `actor_count` how many there are in all."""

    notification: Notification
    actor_count: int
    unread: bool
    latest_at: object
    latest_id: int
    actors: list = field(default_factory=list)

    @property
    def others_count(self):
        return self.actor_count - len(self.actors)


def _group_keys():
    """The annotations that say which group a notification falls in."""
    return {
        "group_comment": Case(
            When(kind=Kind.COMMENT_LIKE, then=F("comment_id")),
            default=Value(None),
            output_field=IntegerField(),
        ),
        "group_single": Case(
            When(kind__in=GROUPED_KINDS, then=Value(0)),
            default=F("id"),
            output_field=IntegerField(),
        ),
    }


def _latest_actors(user, groups):
    """{(kind, post_id, comment key): [latest distinct actors]} for the groups of more than one
    actor, in one query (a window numbering each group's rows newest first).

    Grouped kinds have one notification per actor (a like is unique), so rows are actors."""
    wanted = [g.notification for g in groups if g.actor_count > 1]
    if not wanted:
        return {}
    which = Q(kind=Kind.LIKE, post_id__in=[n.post_id for n in wanted if n.kind == Kind.LIKE]) | Q(
        kind=Kind.COMMENT_LIKE,
        comment_id__in=[n.comment_id for n in wanted if n.kind == Kind.COMMENT_LIKE],
    )
    keys = _group_keys()
    rows = (
        _notifications_for(user)
        .filter(which)
        .annotate(
            group_comment=keys["group_comment"],
            place=Window(
                RowNumber(),
                partition_by=[F("kind"), F("post_id"), F("group_comment")],
                order_by=[F("created_at").desc(), F("id").desc()],
            ),
        )
        .filter(place__lte=GROUP_ACTORS_NAMED)
        .select_related("actor")
        .order_by("place")
    )
    found = {}
    for row in rows:
        found.setdefault((row.kind, row.post_id, row.group_comment), []).append(row.actor)
    return found


def _group_key(notification):
    comment = notification.comment_id if notification.kind == Kind.COMMENT_LIKE else None
    return (notification.kind, notification.post_id, comment)


def notifications_grouped(*, user, cursor=None, page_size=None):
    """`user`'s notifications told by group, latest group first: likes of a post in one,
    likes of a comment in one, every other notification alone. Items are NotificationGroups.

    The same rules as notifications_list (blocks, what the user may see). Four queries
    whatever the page's length: the groups, their latest notifications, those posts' first
    images, and the latest actors of the groups that have several.
    """
    groups = (
        _notifications_for(user)
        .annotate(**_group_keys())
        .values("kind", "post_id", "group_comment", "group_single")
        .annotate(
            latest_at=Max("created_at"),
            latest_id=Max("id"),
            actor_count=Count("actor", distinct=True),
            unread_count=Count("id", filter=Q(read_at__isnull=True)),
        )
        .values_list("latest_at", "latest_id", "actor_count", "unread_count", named=True)
    )
    page = paginate_keyset(groups, ordering=GROUPS_NEWEST_FIRST, cursor=cursor, page_size=page_size)
    if not page.items:
        return page
    latest = _for_display(
        Notification.objects.filter(pk__in=[row.latest_id for row in page.items]).annotate(
            actor_followed=Exists(Follow.objects.filter(follower=user, following=OuterRef("actor")))
        )
    ).in_bulk()
    items = [
        NotificationGroup(
            notification=latest[row.latest_id],
            actor_count=row.actor_count,
            unread=row.unread_count > 0,
            latest_at=row.latest_at,
            latest_id=row.latest_id,
        )
        for row in page.items
    ]
    actors = _latest_actors(user, items)
    for group in items:
        note = group.notification
        group.actors = actors.get(_group_key(note)) or [note.actor]
    return KeysetPage(items=items, next_cursor=page.next_cursor, has_next=page.has_next)


def notifications_unread_count(*, user):
    """How many of the notifications `notifications_list` shows are unread (the badge), not
    counting kinds `user` has since turned off. One query."""
    setting_of_kind = Case(
        *(
            When(kind__in=kinds, then=Value(setting.value))
            for setting, kinds in NOTIFICATION_SETTING_KINDS.items()
        ),
        default=Value(""),
    )
    turned_off = NotificationOptOut.objects.filter(user=user, setting=OuterRef("setting_of_kind"))
    unread = _notifications_for(user).filter(read_at__isnull=True)
    return unread.alias(setting_of_kind=setting_of_kind).exclude(Exists(turned_off)).count()


def notification_settings_get(*, user):
    """{setting: on?} for every notification setting of `user` (all on until turned off)."""
    off = set(NotificationOptOut.objects.filter(user=user).values_list("setting", flat=True))
    return {setting.value: setting not in off for setting in NotificationOptOut.Setting}
