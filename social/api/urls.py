"""The social endpoints under /api/v1/ (names in the "api" namespace)."""

from django.urls import path

from social.api import views

urlpatterns = [
    path("users/<str:username>/follow/", views.FollowView.as_view(), name="user-follow"),
    path(
        "me/followers/<str:username>/",
        views.FollowerRemoveView.as_view(),
        name="follower-remove",
    ),
    path("users/<str:username>/block/", views.BlockView.as_view(), name="user-block"),
    path("users/<str:username>/mute/", views.MuteView.as_view(), name="user-mute"),
    path("blocks/", views.BlockListView.as_view(), name="blocks"),
    path("mutes/", views.MuteListView.as_view(), name="mutes"),
    path("follow-requests/", views.FollowRequestListView.as_view(), name="follow-requests"),
    path(
        "follow-requests/<int:request_id>/accept/",
        views.FollowRequestAcceptView.as_view(),
        name="follow-request-accept",
    ),
    path(
        "follow-requests/<int:request_id>/decline/",
        views.FollowRequestDeclineView.as_view(),
        name="follow-request-decline",
    ),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/unread-count/",
        views.NotificationUnreadCountView.as_view(),
        name="notifications-unread-count",
    ),
    path("notifications/read/", views.NotificationReadView.as_view(), name="notifications-read"),
    path(
        "notifications/grouped/",
        views.NotificationGroupedListView.as_view(),
        name="notifications-grouped",
    ),
    path(
        "notifications/settings/",
        views.NotificationSettingsView.as_view(),
        name="notification-settings",
    ),
    path("reports/", views.ReportCreateView.as_view(), name="report-create"),
    path("moderation/<int:action_id>/appeal/", views.AppealView.as_view(), name="appeal"),
]
