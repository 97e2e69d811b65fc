"""Notifications (Shutter's kinds as Mastodon's types), follow requests and markers."""

from django.core.exceptions import ValidationError
from rest_framework.response import Response

from posts.selectors import comments_by_ids, posts_by_ids
from social.graph.models import Follow
from social.graph.selectors import follow_request_id_get, follow_requests_pending, relationships_get
from social.graph.services import follow_request_accept, follow_request_decline
from social.mastodon import entities
from social.mastodon.markers import TIMELINES, marker_save, markers_get
from social.mastodon.pagination import Listing, paged_response
from social.mastodon.params import id_param, list_param
from social.mastodon.views.base import MastodonView
from social.notifications.models import Notification
from social.notifications.selectors import (
    NEWEST_FIRST,
    notification_get,
    notification_position,
    notifications_list,
    notifications_unread_count,
)
from social.notifications.services import notification_dismiss, notifications_clear

Kind = Notification.Kind
# Shutter's kinds each Mastodon type covers. "follow_accepted" and the report outcomes have no
# Mastodon type an app would show rightly, so the Mastodon API leaves them out.
KINDS_OF_TYPE = {
    "favourite": [Kind.LIKE],
    "mention": [Kind.COMMENT, Kind.MENTION],
    "follow": [Kind.FOLLOW],
    "follow_request": [Kind.FOLLOW_REQUEST],
}
SHOWN_KINDS = [kind for kinds in KINDS_OF_TYPE.values() for kind in kinds]


def _kinds(params):
    types = list_param(params, "types")
    excluded = set(list_param(params, "exclude_types"))
    kinds = SHOWN_KINDS
    if types:
        kinds = [kind for t in types for kind in KINDS_OF_TYPE.get(t, [])]
    return [kind for kind in kinds if not any(kind in KINDS_OF_TYPE.get(t, []) for t in excluded)]


class _NotificationRendering(MastodonView):
    def render_notifications(self, rows):
        viewer = self.request.user
        post_ids = [row.post_id for row in rows if row.post_id and not row.comment_id]
        posts = posts_by_ids(viewer=viewer, post_ids=post_ids)
        comments = comments_by_ids(
            viewer=viewer, comment_ids=[row.comment_id for row in rows if row.comment_id]
        )
        self._mentions_load(
            [post.caption for post in posts.values()] + [c.text for c in comments.values()]
        )
        out = []
        for row in rows:
            if row.comment_id:
                row.comment = comments.get(row.comment_id)
                if row.comment is None:
                    continue
            post = posts.get(row.post_id)
            if row.post_id and not row.comment_id and post is None:
                continue
            status = entities.status(self.request, post) if post is not None else None
            out.append(entities.notification(self.request, row, post_status=status))
        return out


class NotificationsView(_NotificationRendering):
    many = True
    oauth_scopes = "read:notifications"

    def get(self, request):
        kinds = _kinds(request.query_params)

        def fetch(cursor, page_size):
            return notifications_list(
                user=request.user, cursor=cursor, page_size=page_size, kinds=kinds
            )

        def position_of_id(notification_id):
            found = notification_position(user=request.user, notification_id=notification_id)
            return None if found is None else [found["created_at"], found["id"]]

        listing = Listing(NEWEST_FIRST, fetch, position_of_id, lambda row: str(row.pk))
        return paged_response(request, listing, self.render_notifications)


class NotificationDetailView(_NotificationRendering):
    oauth_scopes = "read:notifications"

    def get(self, request, notification_id):
        row = notification_get(user=request.user, notification_id=id_param(notification_id))
        if row.kind not in SHOWN_KINDS:
            raise Notification.DoesNotExist("Not shown here.")
        rendered = self.render_notifications([row])
        if not rendered:
            raise Notification.DoesNotExist("Not shown here.")
        return Response(rendered[0])


class NotificationDismissView(MastodonView):
    oauth_scopes = "write:notifications"

    def post(self, request, notification_id):
        notification_dismiss(user=request.user, notification_id=id_param(notification_id))
        return Response({})


class NotificationsClearView(MastodonView):
    oauth_scopes = "write:notifications"

    def post(self, request):
        notifications_clear(user=request.user)
        return Response({})


class NotificationsUnreadCountView(MastodonView):
    oauth_scopes = "read:notifications"

    def get(self, request):
        return Response({"count": notifications_unread_count(user=request.user)})


FOLLOW_REQUEST_ORDER = (("created_at", "desc"), ("id", "desc"))


class FollowRequestsView(MastodonView):
    many = True
    oauth_scopes = "read:follows"

    def get(self, request):
        def fetch(cursor, page_size):
            return follow_requests_pending(owner=request.user, cursor=cursor, page_size=page_size)

        def render(follows):
            return self.accounts(follow.follower for follow in follows)

        return paged_response(request, Listing(FOLLOW_REQUEST_ORDER, fetch), render)


class _FollowRequestAnswerView(MastodonView):
    oauth_scopes = "write:follows"

    def post(self, request, account_id):
        requester_id = id_param(account_id)
        follow_id = follow_request_id_get(owner=request.user, follower_id=requester_id)
        self.answer(owner=request.user, follow_id=follow_id)
        found = relationships_get(viewer=request.user, user_ids=[requester_id]).get(requester_id)
        if found is None:
            raise Follow.DoesNotExist("No such account.")
        data = entities.relationship(found)
        data["followed_by"] = self.followed_by
        return Response(data)


class FollowRequestAuthorizeView(_FollowRequestAnswerView):
    followed_by = True

    def answer(self, **kwargs):
        follow_request_accept(**kwargs)


class FollowRequestRejectView(_FollowRequestAnswerView):
    followed_by = False

    def answer(self, **kwargs):
        follow_request_decline(**kwargs)


class MarkersView(MastodonView):
    oauth_scopes = {"GET": "read:statuses", "POST": "write:statuses"}

    def get(self, request):
        wanted = [t for t in list_param(request.query_params, "timeline") if t in TIMELINES]
        rows = markers_get(user=request.user, timelines=wanted or TIMELINES)
        return Response({name: entities.marker(row) for name, row in rows.items()})

    def post(self, request):
        saved = {}
        for timeline in TIMELINES:
            last_read_id = _marker_value(self.data, timeline)
            if last_read_id:
                saved[timeline] = entities.marker(
                    marker_save(user=request.user, timeline=timeline, last_read_id=last_read_id)
                )
        if not saved:
            raise ValidationError(
                {"home": ["Send home[last_read_id] or notifications[last_read_id]."]}
            )
        return Response(saved)


def _marker_value(data, timeline):
    nested = data.get(timeline)
    if isinstance(nested, dict):
        return str(nested.get("last_read_id") or "")
    return str(data.get(f"{timeline}[last_read_id]") or "")
