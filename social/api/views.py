"""Social endpoints: follow, block and mute someone; follow requests; notifications; reports.

A thin face over the graph, notification and report services and selectors: who may be
followed, blocked or reported is decided there, and their exceptions become 400, 403 and 404
in core.rest.exceptions.
An account the caller can't open (blocked either way, suspended) is a 404 here too.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.selectors import profile_get
from core.rest.pagination import KeysetListAPIView
from social.api.serializers import (
    BlockStateSerializer,
    FollowRequestSerializer,
    FollowStateSerializer,
    MarkedReadSerializer,
    MuteStateSerializer,
    NotificationSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    UnreadCountSerializer,
    follow_status,
)
from social.graph.selectors import block_target_get, follow_requests_pending
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
from social.moderation.reports import report_create
from social.moderation.selectors import report_target_get
from social.notifications.selectors import notifications_list, notifications_unread_count
from social.notifications.services import notification_mark_all_read

USERS = "users"
FOLLOW_REQUESTS = "follow requests"
NOTIFICATIONS = "notifications"
REPORTS = "reports"


# --- Follow, block, mute -----------------------------------------------------------------------


@extend_schema(tags=[USERS], request=None, responses={200: FollowStateSerializer})
class FollowView(GenericAPIView):
    serializer_class = FollowStateSerializer
    oauth_scopes = "write:follows"
    throttle_scope = "follow"

    @extend_schema(
        summary="Follow someone",
        description=(
            'A public account is followed at once ("following"); a private one gets a request '
            '("requested") its owner accepts or declines. Following twice changes nothing.'
        ),
    )
    def post(self, request, username):
        target = profile_get(viewer=request.user, username=username)
        follow = follow_create(follower=request.user, following=target)
        return Response({"status": follow_status(follow)})

    @extend_schema(
        summary="Unfollow someone, or withdraw a follow request",
        description="A no-op when I don't follow them.",
    )
    def delete(self, request, username):
        target = profile_get(viewer=request.user, username=username)
        follow_remove(follower=request.user, following=target)
        return Response({"status": follow_status(None)})


@extend_schema(tags=[USERS], request=None, responses={200: BlockStateSerializer})
class BlockView(GenericAPIView):
    serializer_class = BlockStateSerializer
    oauth_scopes = "write:blocks"

    @extend_schema(
        summary="Block someone",
        description=(
            "Follows between us end both ways, and neither of us sees the other anywhere. "
            "Blocking twice changes nothing."
        ),
    )
    def post(self, request, username):
        target = block_target_get(viewer=request.user, username=username)
        block_create(blocker=request.user, blocked=target)
        return Response({"is_blocking": True})

    @extend_schema(
        summary="Unblock someone",
        description="Follows the block ended stay ended. A no-op when I don't block them.",
    )
    def delete(self, request, username):
        target = block_target_get(viewer=request.user, username=username)
        block_remove(blocker=request.user, blocked=target)
        return Response({"is_blocking": False})


@extend_schema(tags=[USERS], request=None, responses={200: MuteStateSerializer})
class MuteView(GenericAPIView):
    serializer_class = MuteStateSerializer
    oauth_scopes = "write:mutes"

    @extend_schema(
        summary="Mute someone",
        description=(
            "Their posts leave my home feed and their actions stop notifying me; they are not "
            "told. Muting twice changes nothing."
        ),
    )
    def post(self, request, username):
        target = profile_get(viewer=request.user, username=username)
        mute_create(muter=request.user, muted=target)
        return Response({"is_muting": True})

    @extend_schema(summary="Unmute someone", description="A no-op when I don't mute them.")
    def delete(self, request, username):
        target = profile_get(viewer=request.user, username=username)
        mute_remove(muter=request.user, muted=target)
        return Response({"is_muting": False})


# --- Follow requests ---------------------------------------------------------------------------


@extend_schema(
    tags=[FOLLOW_REQUESTS],
    summary="Requests to follow me",
    description="Pending requests to follow my private account, newest first.",
)
class FollowRequestListView(KeysetListAPIView):
    serializer_class = FollowRequestSerializer
    oauth_scopes = "read:follows"

    def get_page(self, *, cursor, page_size):
        return follow_requests_pending(owner=self.request.user, cursor=cursor, page_size=page_size)


@extend_schema(tags=[FOLLOW_REQUESTS], request=None, responses={204: None})
class FollowRequestAcceptView(GenericAPIView):
    serializer_class = FollowRequestSerializer
    oauth_scopes = "write:follows"

    @extend_schema(
        summary="Accept a follow request",
        description="The requester now follows me and is told. 404 once it was answered.",
    )
    def post(self, request, request_id):
        follow_request_accept(owner=request.user, follow_id=request_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=[FOLLOW_REQUESTS], request=None, responses={204: None})
class FollowRequestDeclineView(GenericAPIView):
    serializer_class = FollowRequestSerializer
    oauth_scopes = "write:follows"

    @extend_schema(
        summary="Decline a follow request",
        description="The requester is not told. 404 once it was answered.",
    )
    def post(self, request, request_id):
        follow_request_decline(owner=request.user, follow_id=request_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Notifications -----------------------------------------------------------------------------


@extend_schema(
    tags=[NOTIFICATIONS],
    summary="My notifications",
    description=(
        "Newest first. Reading them here does not mark them read: POST /notifications/read/ does."
    ),
)
class NotificationListView(KeysetListAPIView):
    serializer_class = NotificationSerializer
    oauth_scopes = "read:notifications"

    def get_page(self, *, cursor, page_size):
        return notifications_list(user=self.request.user, cursor=cursor, page_size=page_size)


@extend_schema(tags=[NOTIFICATIONS])
class NotificationUnreadCountView(GenericAPIView):
    serializer_class = UnreadCountSerializer
    oauth_scopes = "read:notifications"

    @extend_schema(summary="How many notifications are unread (the badge)")
    def get(self, request):
        return Response({"unread_count": notifications_unread_count(user=request.user)})


@extend_schema(tags=[NOTIFICATIONS], request=None, responses={200: MarkedReadSerializer})
class NotificationReadView(GenericAPIView):
    serializer_class = MarkedReadSerializer
    oauth_scopes = "write:notifications"

    @extend_schema(summary="Mark all my notifications read")
    def post(self, request):
        return Response({"marked_read": notification_mark_all_read(user=request.user)})


# --- Reports -----------------------------------------------------------------------------------


@extend_schema(tags=[REPORTS])
class ReportCreateView(GenericAPIView):
    serializer_class = ReportCreateSerializer
    oauth_scopes = "write:reports"
    error_statuses = ("404",)  # the target named in the body may not exist

    @extend_schema(
        summary="Report a post, comment or account",
        description=(
            "201 with the new report. While my report of the same thing is still open, "
            "reporting it again returns that report with 200. 404 for anything I can't see."
        ),
        responses={201: ReportSerializer, 200: ReportSerializer},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kind = data["target_type"]
        target = report_target_get(viewer=request.user, kind=kind, key=data["target"])
        try:
            report, created = report_create(
                reporter=request.user, reason=data["reason"], text=data["text"], **{kind: target}
            )
        except ValidationError as error:
            raise _target_named(error, kind) from None
        return Response(
            ReportSerializer(report, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


def _target_named(error, kind):
    """The service names the target by its kind ("post"...); the request calls it "target"."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {("target" if field == kind else field): messages for field, messages in error}
    )
