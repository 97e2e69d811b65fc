from django.urls import path

from social import views

app_name = "social"
urlpatterns = [
    path("u/<str:username>/follow/", views.follow, name="follow"),
    path("u/<str:username>/unfollow/", views.unfollow, name="unfollow"),
    path("u/<str:username>/remove-follower/", views.remove_follower, name="remove-follower"),
    path("u/<str:username>/block/", views.block, name="block"),
    path("u/<str:username>/unblock/", views.unblock, name="unblock"),
    path("u/<str:username>/mute/", views.mute, name="mute"),
    path("u/<str:username>/unmute/", views.unmute, name="unmute"),
    path("u/<str:username>/report/", views.report_user, name="user-report"),
    path("requests/", views.follow_requests, name="requests"),
    path("requests/<int:request_id>/accept/", views.request_accept, name="request-accept"),
    path("requests/<int:request_id>/decline/", views.request_decline, name="request-decline"),
    path("notifications/", views.notifications, name="notifications"),
    path("accounts/settings/blocked/", views.blocked_list, name="blocked"),
    path("accounts/settings/muted/", views.muted_list, name="muted"),
    path("moderation/<int:action_id>/appeal/", views.appeal, name="appeal"),
    path("moderation/appeal/<str:token>/", views.appeal_by_link, name="appeal-by-link"),
    path(
        "accounts/settings/notifications/",
        views.notification_settings,
        name="notification-settings",
    ),
]
