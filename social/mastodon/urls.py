"""The Mastodon client API's routes, without a trailing slash, as Mastodon has them.

Shutter's own API routes all end in a slash, so the two never meet; config.api puts these
before its JSON 404. /api/v1/instance and /api/v2/instance answer with a slash as well.
"""

from django.urls import path, re_path

from social.mastodon.views import (
    accounts,
    instance,
    media,
    misc,
    notifications,
    statuses,
    timelines,
)

ID = "<str:account_id>"
STATUS = "<str:status_id>"

V1 = [
    re_path(r"^instance/?$", instance.InstanceV1View.as_view(), name="mastodon-instance"),
    # Accounts
    path("accounts/verify_credentials", accounts.VerifyCredentialsView.as_view()),
    path("accounts/update_credentials", accounts.UpdateCredentialsView.as_view()),
    path("accounts/lookup", accounts.LookupView.as_view()),
    path("accounts/relationships", accounts.RelationshipsView.as_view()),
    path("accounts/search", accounts.AccountSearchView.as_view()),
    path("accounts/familiar_followers", misc.empty("read:follows")),
    path(f"accounts/{ID}", accounts.AccountDetailView.as_view()),
    path(f"accounts/{ID}/statuses", accounts.AccountStatusesView.as_view()),
    path(f"accounts/{ID}/followers", accounts.AccountFollowersView.as_view()),
    path(f"accounts/{ID}/following", accounts.AccountFollowingView.as_view()),
    path(f"accounts/{ID}/follow", accounts.FollowView.as_view()),
    path(f"accounts/{ID}/unfollow", accounts.UnfollowView.as_view()),
    path(f"accounts/{ID}/block", accounts.BlockView.as_view()),
    path(f"accounts/{ID}/unblock", accounts.UnblockView.as_view()),
    path(f"accounts/{ID}/mute", accounts.MuteView.as_view()),
    path(f"accounts/{ID}/unmute", accounts.UnmuteView.as_view()),
    path(f"accounts/{ID}/featured_tags", misc.empty("read:accounts", public=True)),
    path(f"accounts/{ID}/lists", misc.empty("read:lists")),
    path(f"accounts/{ID}/identity_proofs", misc.empty("read:accounts")),
    path("blocks", accounts.BlocksView.as_view()),
    path("mutes", accounts.MutesView.as_view()),
    # Statuses
    path("statuses", statuses.StatusesView.as_view()),
    path(f"statuses/{STATUS}", statuses.StatusDetailView.as_view()),
    path(f"statuses/{STATUS}/context", statuses.StatusContextView.as_view()),
    path(f"statuses/{STATUS}/favourite", statuses.FavouriteView.as_view()),
    path(f"statuses/{STATUS}/unfavourite", statuses.UnfavouriteView.as_view()),
    path(f"statuses/{STATUS}/favourited_by", statuses.FavouritedByView.as_view()),
    path(f"statuses/{STATUS}/reblogged_by", statuses.RebloggedByView.as_view()),
    path(f"statuses/{STATUS}/bookmark", statuses.BookmarkView.as_view()),
    path(f"statuses/{STATUS}/unbookmark", statuses.UnbookmarkView.as_view()),
    path(f"statuses/{STATUS}/source", statuses.StatusSourceView.as_view()),
    path(f"statuses/{STATUS}/history", misc.empty("read:statuses")),
    path(
        f"statuses/{STATUS}/reblog",
        statuses.NotSupportedView.as_view(message="Shutter has no reblogs."),
    ),
    path(
        f"statuses/{STATUS}/unreblog",
        statuses.NotSupportedView.as_view(message="Shutter has no reblogs."),
    ),
    path(
        f"statuses/{STATUS}/pin",
        statuses.NotSupportedView.as_view(message="Shutter has no pinned posts."),
    ),
    path(
        f"statuses/{STATUS}/unpin",
        statuses.NotSupportedView.as_view(message="Shutter has no pinned posts."),
    ),
    # Media
    path("media", media.MediaCreateV1View.as_view()),
    path("media/<str:media_id>", media.MediaDetailView.as_view()),
    # Timelines
    path("timelines/home", timelines.HomeTimelineView.as_view()),
    path("timelines/public", timelines.PublicTimelineView.as_view()),
    path("timelines/tag/<str:hashtag>", timelines.TagTimelineView.as_view()),
    path("timelines/list/<str:list_id>", misc.empty("read:lists")),
    path("bookmarks", timelines.BookmarksView.as_view()),
    path("favourites", timelines.FavouritesView.as_view()),
    path("markers", notifications.MarkersView.as_view()),
    # Notifications and follow requests
    path("notifications", notifications.NotificationsView.as_view()),
    path("notifications/clear", notifications.NotificationsClearView.as_view()),
    path("notifications/unread_count", notifications.NotificationsUnreadCountView.as_view()),
    path("notifications/<str:notification_id>", notifications.NotificationDetailView.as_view()),
    path(
        "notifications/<str:notification_id>/dismiss",
        notifications.NotificationDismissView.as_view(),
    ),
    path("follow_requests", notifications.FollowRequestsView.as_view()),
    path(f"follow_requests/{ID}/authorize", notifications.FollowRequestAuthorizeView.as_view()),
    path(f"follow_requests/{ID}/reject", notifications.FollowRequestRejectView.as_view()),
    # Search and reports
    path("reports", misc.ReportsView.as_view()),
    path("preferences", misc.PreferencesView.as_view()),
    # What Shutter has nothing behind: Mastodon's empty answers
    path("custom_emojis", misc.empty("read", public=True, app_token=True)),
    path("filters", misc.empty("read:filters")),
    path("lists", misc.empty("read:lists")),
    path("announcements", misc.empty("read", public=True)),
    path("trends", misc.empty("read", public=True)),
    path("trends/tags", misc.empty("read", public=True)),
    path("trends/statuses", misc.empty("read", public=True)),
    path("trends/links", misc.empty("read", public=True)),
    path("followed_tags", misc.empty("read:follows")),
    path("conversations", misc.empty("read:statuses")),
    path("endorsements", misc.empty("read:accounts")),
    path("featured_tags", misc.empty("read:accounts")),
    path("domain_blocks", misc.empty("read:blocks")),
    path("scheduled_statuses", misc.empty("read:statuses")),
    path("suggestions", misc.empty("read")),
]

V2 = [
    re_path(r"^instance/?$", instance.InstanceV2View.as_view(), name="mastodon-instance"),
    path("media", media.MediaCreateView.as_view()),
    path("search", misc.SearchView.as_view()),
    path("filters", misc.empty("read:filters")),
    path("suggestions", misc.empty("read")),
]

# At the site's root, outside /api/.
WELL_KNOWN = [
    path(".well-known/nodeinfo", instance.nodeinfo_links, name="mastodon-nodeinfo-links"),
    path("nodeinfo/2.0", instance.nodeinfo, name="mastodon-nodeinfo"),
]
