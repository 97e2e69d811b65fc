"""Every model of the social app, for Django's registry. Code imports them from where they
live: social.graph.models, social.notifications.models, social.moderation.models."""

from social.graph.models import Block, Follow, Mute
from social.mastodon.models import Marker
from social.moderation.models import Appeal, BannedImage, ModerationAction, Report
from social.notifications.models import Notification

__all__ = [
    "Appeal",
    "BannedImage",
    "Block",
    "Follow",
    "Marker",
    "ModerationAction",
    "Mute",
    "Notification",
    "Report",
]
